package io.github.mqtt2tdengine.internal.payload;

import io.github.mqtt2tdengine.payload.PayloadSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one place where each mapping's super table and sub-table template are settled. The rule, for each of the two
 * separately: a mapping takes its {@link PayloadSpec}'s value when the spec names one, else the pipeline's
 * ({@code SyncPipeline.Builder.superTable}/{@code subTableTemplate}, a shortcut for the specs that name none). It fails
 * when a mapping gets no value, and when the pipeline sets a value that no mapping takes or agrees with (every spec
 * names another), which would be silently ignored. Not API; may change in any release.
 */
public final class TableNaming {
    private TableNaming() {
    }

    /**
     * Settles the table naming of every mapping.
     *
     * @param superTable the pipeline's super table, or null
     * @param subTableTemplate the pipeline's template, or null
     * @param mappings topic filter and spec of each mapping, in priority order
     * @return each spec with its super table and template set, in the same order
     * @throws IllegalStateException when a mapping has no value, or the pipeline's value is taken by no mapping,
     *     saying how to fix it
     */
    public static List<Map.Entry<String, PayloadSpec>> resolve(String superTable, String subTableTemplate,
            List<Map.Entry<String, PayloadSpec>> mappings) {
        check("superTable", superTable, mappings, PayloadSpec::superTable);
        check("subTableTemplate", subTableTemplate, mappings, PayloadSpec::subTableTemplate);
        List<Map.Entry<String, PayloadSpec>> out = new ArrayList<>(mappings.size());
        for (Map.Entry<String, PayloadSpec> m : mappings) {
            PayloadSpec spec = m.getValue();
            if (spec.superTable().isPresent() && spec.subTableTemplate().isPresent()) {
                out.add(m);
                continue;
            }
            PayloadSpec.Builder b = spec.toBuilder();
            if (spec.superTable().isEmpty()) {
                b.superTable(superTable);
            }
            if (spec.subTableTemplate().isEmpty()) {
                b.subTableTemplate(subTableTemplate);
            }
            out.add(Map.entry(m.getKey(), b.build()));
        }
        return out;
    }

    private static void check(String what, String pipelineValue, List<Map.Entry<String, PayloadSpec>> mappings,
            Function<PayloadSpec, Optional<String>> ofSpec) {
        List<String> others = new ArrayList<>();
        boolean taken = false;
        for (Map.Entry<String, PayloadSpec> m : mappings) {
            Optional<String> own = ofSpec.apply(m.getValue());
            if (own.isEmpty() && pipelineValue == null) {
                throw new IllegalStateException(what + " must be set (on the pipeline or the mapping of '"
                        + m.getKey() + "')");
            }
            taken |= own.isEmpty() || own.get().equals(pipelineValue);
            own.ifPresent(v -> others.add("'" + m.getKey() + "' -> '" + v + "'"));
        }
        if (pipelineValue != null && !taken) {
            throw new IllegalStateException(what + " '" + pipelineValue + "' set on the pipeline is taken by no "
                    + "mapping, because every PayloadSpec names its own " + others + "; set it in one place: remove "
                    + "SyncPipeline.Builder." + what + "(...), or remove PayloadSpec.Builder." + what + "(...) from "
                    + "the specs that should take the pipeline's");
        }
    }
}
