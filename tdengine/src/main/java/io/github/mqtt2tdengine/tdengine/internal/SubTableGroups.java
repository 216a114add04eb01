package io.github.mqtt2tdengine.tdengine.internal;

import io.github.mqtt2tdengine.spi.Row;
import io.github.mqtt2tdengine.spi.TableSchema;
import java.util.ArrayList;
import java.util.Arrays;
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
        // one pass: positions appended to a growing array per sub-table, groups in the order of their first row
        Map<String, Positions> bySubTable = new HashMap<>(Math.max(16, positions.length * 2));
        List<Positions> order = new ArrayList<>();
        for (int p : positions) {
            String subTable = rows.get(p).subTable();
            Positions g = bySubTable.get(subTable);
            if (g == null) {
                g = new Positions(subTable);
                bySubTable.put(subTable, g);
                order.add(g);
            }
            g.add(p);
        }
        List<Group> groups = new ArrayList<>(order.size());
        for (Positions g : order) {
            int[] group = g.n == g.positions.length ? g.positions : Arrays.copyOf(g.positions, g.n);
            groups.add(new Group(g.subTable, rows.get(group[group.length - 1]).schema(), group, latestTags(rows,
                    group)));
        }
        return groups;
    }

    /** One sub-table's positions while grouping. */
    private static final class Positions {
        final String subTable;
        int[] positions = new int[1];
        int n;

        Positions(String subTable) {
            this.subTable = subTable;
        }

        void add(int p) {
            if (n == positions.length) {
                positions = Arrays.copyOf(positions, n * 2);
            }
            positions[n++] = p;
        }
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
        Arrays.sort(out);
        return out;
    }
}
