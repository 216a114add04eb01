package io.github.mqtt2tdengine.tdengine.internal;

import io.github.mqtt2tdengine.spi.Row;
import io.github.mqtt2tdengine.spi.TableSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Some rows of a batch grouped by sub-table, once per write: each group's positions in batch order and its latest
 * tags, which the tag updates, the SQL statements and parameter binding all use. Not API; may change in any release.
 */
public final class SubTableGroups {
    private SubTableGroups() {
    }

    /**
     * One sub-table's rows.
     *
     * @param subTable the sub-table name
     * @param schema its super table (of its last row)
     * @param positions the rows' positions in the batch, in order
     * @param latestTags for each tag, the value of the last row that has one; null where none has (a message without
     *     a tag field does not clear the tag)
     */
    public record Group(String subTable, TableSchema schema, int[] positions, Object[] latestTags) {
    }

    /**
     * Groups rows by sub-table, groups in the order of their first row.
     *
     * @param rows the batch
     * @param positions which of them, in order
     * @return the groups
     */
    public static List<Group> of(List<Row> rows, int[] positions) {
        Map<String, int[]> counts = new HashMap<>(Math.max(16, positions.length * 2));
        List<String> order = new ArrayList<>();
        // two passes: count per sub-table, then fill exact arrays (no boxed lists)
        for (int p : positions) {
            int[] n = counts.get(rows.get(p).subTable());
            if (n == null) {
                counts.put(rows.get(p).subTable(), new int[] {1});
                order.add(rows.get(p).subTable());
            } else {
                n[0]++;
            }
        }
        Map<String, int[]> filled = new HashMap<>(counts.size() * 2);
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            filled.put(e.getKey(), new int[e.getValue()[0] + 1]); // [0]: next free slot + 1
        }
        for (int p : positions) {
            int[] slots = filled.get(rows.get(p).subTable());
            slots[++slots[0]] = p;
        }
        List<Group> groups = new ArrayList<>(order.size());
        for (String subTable : order) {
            int[] slots = filled.get(subTable);
            int[] group = java.util.Arrays.copyOfRange(slots, 1, slots.length);
            groups.add(new Group(subTable, rows.get(group[group.length - 1]).schema(), group, latestTags(rows, group)));
        }
        return groups;
    }

    private static Object[] latestTags(List<Row> rows, int[] group) {
        Object[] out = new Object[rows.get(group[group.length - 1]).schema().tags().size()];
        int missing = out.length;
        for (int g = group.length - 1; g >= 0 && missing > 0; g--) {
            Row row = rows.get(group[g]);
            for (int i = 0; i < out.length; i++) {
                if (out[i] == null && row.tag(i) != null) {
                    out[i] = row.tag(i);
                    missing--;
                }
            }
        }
        return out;
    }

    /**
     * Returns the positions of some groups, sorted (batch order).
     *
     * @param groups the groups
     * @return their positions
     */
    public static int[] positions(List<Group> groups) {
        int n = 0;
        for (Group g : groups) {
            n += g.positions().length;
        }
        int[] out = new int[n];
        int i = 0;
        for (Group g : groups) {
            System.arraycopy(g.positions(), 0, out, i, g.positions().length);
            i += g.positions().length;
        }
        java.util.Arrays.sort(out);
        return out;
    }
}
