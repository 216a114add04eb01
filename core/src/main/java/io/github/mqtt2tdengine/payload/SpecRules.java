package io.github.mqtt2tdengine.payload;

import io.github.mqtt2tdengine.internal.expression.Expression;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The cross-field rules of a {@link PayloadSpec}, checked by {@link PayloadSpec.Builder#build()}: unique names, valid
 * paths, what expressions and the row filter may read, one primary key, TDengine's tag rules and the template's
 * placeholders. Package-private, so not API: the {@code payload} package may not use core's {@code internal} packages
 * (except the leaf {@code internal.expression}), and the rules read the spec's own types.
 */
final class SpecRules {
    private static final String RECEIVE_TIME = "receive-time column";

    private SpecRules() {
    }

    /**
     * Checks a spec.
     *
     * @param spec the spec as built
     * @throws IllegalStateException naming the field and how to fix it when a rule is broken
     */
    static void check(PayloadSpec spec) {
        Map<String, String> seen = new HashMap<>();
        Set<String> tags = new LinkedHashSet<>();
        Set<String> known = new LinkedHashSet<>();
        int primaryKeys = 0;
        boolean jsonTag = false;
        String receiveTime = spec.receiveTimeColumn().orElse(null);
        if (receiveTime != null) {
            claim(seen, receiveTime, RECEIVE_TIME);
        }
        if (spec.topicTarget() != FieldTarget.IGNORE) {
            claim(seen, spec.topicName(), "topic");
            known.add(spec.topicName());
            if (spec.topicTarget() == FieldTarget.TAG) {
                tags.add(spec.topicName());
            }
        }
        if (spec.qosTarget() != FieldTarget.IGNORE) {
            claim(seen, spec.qosName(), "qos");
            known.add(spec.qosName());
            if (spec.qosTarget() == FieldTarget.TAG) {
                tags.add(spec.qosName());
            }
        }
        for (Field f : spec.fields()) {
            claim(seen, f.name(), "field");
            known.add(f.name());
            if (f.path() != null) {
                JsonPaths.check("JSONPath of field '" + f.name() + "'", f.path());
            }
            if (f.primaryKey()) {
                primaryKeys++;
            }
            if (f.target() == FieldTarget.TAG) {
                tags.add(f.name());
                jsonTag |= f.type().kind() == ColumnType.Kind.JSON;
            }
        }
        checkExpressions(spec, known);
        if (primaryKeys > 1) {
            throw new IllegalStateException("only one field can be the primary key, but " + primaryKeys
                    + " are marked");
        }
        if (primaryKeys == 0 && receiveTime == null) {
            throw new IllegalStateException("withoutReceiveTime() needs a field marked as primary key");
        }
        if (tags.isEmpty()) {
            throw new IllegalStateException("a super table needs at least one tag; map one with tag(...), "
                    + "tagFromTopicLevel(...), topic(FieldTarget.TAG) or qos(FieldTarget.TAG)");
        }
        if (jsonTag && tags.size() > 1) {
            throw new IllegalStateException("a JSON tag must be the only tag, but tags are " + tags);
        }
        if (spec.subTableTemplate().isPresent()) {
            for (String placeholder : SubTableTemplate.parse(spec.subTableTemplate().get()).placeholders()) {
                if (!known.contains(placeholder)) {
                    throw new IllegalStateException("subTableTemplate references unknown field '" + placeholder
                            + "'; known fields: " + known);
                }
            }
        }
    }

    /**
     * A computed field reads the fields declared before it (and topic, qos, the receive time); the row filter reads
     * what the row stores.
     */
    private static void checkExpressions(PayloadSpec spec, Set<String> known) {
        String receiveTime = spec.receiveTimeColumn().orElse(null);
        Set<String> readable = new LinkedHashSet<>(known);
        readable.add(spec.topicName());
        readable.add(spec.qosName());
        if (receiveTime != null) {
            readable.add(receiveTime);
        }
        Set<String> computedLater = new HashSet<>();
        for (Field f : spec.fields()) {
            if (f.expression().isPresent()) {
                computedLater.add(f.name());
            }
        }
        for (Field f : spec.fields()) {
            if (f.expression().isPresent()) {
                computedLater.remove(f.name());
                String text = f.expression().get();
                for (String n : Expression.parse(text).names()) {
                    if (!readable.contains(n) || computedLater.contains(n) || n.equals(f.name())) {
                        throw new IllegalStateException("field '" + f.name() + "': expression '" + text + "' reads '"
                                + n + "', which is " + (readable.contains(n) ? "computed after it (or is itself)"
                                : "no field") + "; it can read " + readable);
                    }
                }
            }
        }
        if (spec.filter().orElse(null) instanceof ExpressionFilter ef) {
            Set<String> stored = new LinkedHashSet<>(known);
            if (receiveTime != null) {
                stored.add(receiveTime);
            }
            for (Field f : spec.fields()) {
                if (f.target() == FieldTarget.IGNORE) {
                    stored.remove(f.name());
                }
            }
            for (String n : ef.expression().names()) {
                if (!stored.contains(n)) {
                    throw new IllegalStateException("filter '" + ef.expression().text() + "' reads '" + n
                            + "', which is not a column or tag of the row; it can read " + stored);
                }
            }
        }
    }

    private static void claim(Map<String, String> seen, String name, String what) {
        String previous = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), what);
        if (previous != null) {
            String way = previous.equals(RECEIVE_TIME) ? "; rename the receive-time column with "
                    + "receiveTimeColumn(\"received_at\"), or drop it with withoutReceiveTime() when a message "
                    + "timestamp is the primary key" : "; names must differ in more than letter case";
            throw new IllegalStateException("name '" + name + "' is used twice (" + previous + " and " + what
                    + ")" + way);
        }
    }
}
