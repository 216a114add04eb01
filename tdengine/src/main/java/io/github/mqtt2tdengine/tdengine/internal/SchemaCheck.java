package io.github.mqtt2tdengine.tdengine.internal;

import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.spi.SchemaColumn;
import io.github.mqtt2tdengine.spi.TableSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares a mapping's super table with what {@code DESCRIBE} reports for the existing one. Not API.
 */
public final class SchemaCheck {

    /**
     * One line of {@code DESCRIBE}.
     *
     * @param field the column or tag name
     * @param type the type as TDengine prints it
     * @param length declared length (VARCHAR, NCHAR, VARBINARY) or byte size
     * @param tag whether the note says TAG
     */
    public record Described(String field, String type, int length, boolean tag) {
    }

    /**
     * What the comparison found.
     *
     * @param mismatches type or role conflicts, one sentence each (always fatal)
     * @param missingColumns mapped columns the table lacks
     * @param missingTags mapped tags the table lacks
     */
    public record Result(List<String> mismatches, List<SchemaColumn> missingColumns, List<SchemaColumn> missingTags) {
    }

    private SchemaCheck() {
    }

    /**
     * Compares.
     *
     * @param schema the mapping's super table
     * @param described the DESCRIBE output
     * @return the findings
     */
    public static Result compare(TableSchema schema, List<Described> described) {
        Map<String, Described> byName = new LinkedHashMap<>();
        for (Described d : described) {
            byName.put(d.field().toLowerCase(Locale.ROOT), d);
        }
        List<String> mismatches = new ArrayList<>();
        List<SchemaColumn> missingColumns = new ArrayList<>();
        List<SchemaColumn> missingTags = new ArrayList<>();
        String st = schema.superTable();
        if (!described.isEmpty()) {
            String first = described.get(0).field();
            String pk = schema.columns().get(0).name();
            if (!first.equalsIgnoreCase(pk)) {
                mismatches.add("super table `" + st + "`: its primary-key timestamp is `" + first + "`, but the mapping "
                        + "writes it as `" + pk + "`");
            }
        }
        check(st, schema.columns(), false, byName, mismatches, missingColumns);
        check(st, schema.tags(), true, byName, mismatches, missingTags);
        return new Result(mismatches, missingColumns, missingTags);
    }

    private static void check(String st, List<SchemaColumn> expected, boolean tags, Map<String, Described> byName,
            List<String> mismatches, List<SchemaColumn> missing) {
        for (SchemaColumn c : expected) {
            Described d = byName.get(c.name().toLowerCase(Locale.ROOT));
            String what = tags ? "tag" : "column";
            if (d == null) {
                missing.add(c);
                continue;
            }
            if (d.tag() != tags) {
                mismatches.add("super table `" + st + "` " + what + " `" + c.name() + "`: the mapping writes it as a "
                        + what + ", but the table has it as a " + (d.tag() ? "tag" : "column"));
                continue;
            }
            String actual = normalize(d.type());
            ColumnType.Kind kind = c.type().kind();
            String expectedName = kind == ColumnType.Kind.VARCHAR ? "VARCHAR" : c.type().kind().name().replace('_', ' ');
            if (!actual.equals(expectedName)) {
                mismatches.add("super table `" + st + "` " + what + " `" + c.name() + "`: expected " + c.type()
                        + ", actual " + shown(d));
            } else if (kind.hasLength() && d.length() < c.type().length()) {
                mismatches.add("super table `" + st + "` " + what + " `" + c.name() + "`: expected " + c.type()
                        + ", actual " + shown(d) + " (too short)");
            }
        }
    }

    private static String normalize(String type) {
        String t = type.trim().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        int paren = t.indexOf('(');
        if (paren >= 0) {
            t = t.substring(0, paren).trim();
        }
        return t.equals("BINARY") ? "VARCHAR" : t.equals("BOOLEAN") ? "BOOL" : t;
    }

    private static String shown(Described d) {
        String t = normalize(d.type());
        return t.equals("VARCHAR") || t.equals("NCHAR") || t.equals("VARBINARY") ? t + "(" + d.length() + ")" : t;
    }
}
