package io.github.mqtt2tdengine.tdengine.internal;

import io.github.mqtt2tdengine.payload.TagChangePolicy;
import io.github.mqtt2tdengine.spi.SinkBatch;
import io.github.mqtt2tdengine.spi.TableSchema;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tag updates under {@link TagChangePolicy#UPDATE} (a TDengine trap: {@code INSERT ... USING ... TAGS} silently keeps
 * the old tags of an existing sub-table): before a batch's rows, {@code ALTER TABLE ... SET TAG} for each known
 * sub-table whose latest row brings other tag values; after a statement that created sub-tables, the tags they were
 * created with are remembered. Compares row values, so tags that did not change cost no rendering. Not API; may
 * change in any release.
 */
public final class TagUpdates {
    private static final Logger LOG = LoggerFactory.getLogger(TagUpdates.class);

    private final String database;
    private final String pipelineName;
    private final SubTables subTables;

    /**
     * Creates the tag updates of one sink.
     *
     * @param database the target database
     * @param pipelineName for messages
     * @param subTables the sub-tables known, with the tags last written
     */
    public TagUpdates(String database, String pipelineName, SubTables subTables) {
        this.database = database;
        this.pipelineName = pipelineName;
        this.subTables = subTables;
    }

    /**
     * Sets the tags of known sub-tables whose latest row brings other values, before their rows are written.
     *
     * @param st a statement on the writer's connection
     * @param batch the batch (rows of a sub-table whose tags cannot be set are rejected in it)
     * @param groups the rows to write, by sub-table
     * @param qualified whether table names carry the database
     * @return the groups still to write
     * @throws SQLException on a connection error (a data error rejects the sub-table's rows instead)
     */
    public List<SubTableGroups.Group> beforeWrite(Statement st, SinkBatch batch, List<SubTableGroups.Group> groups,
            boolean qualified) throws SQLException {
        List<SubTableGroups.Group> kept = null;
        for (int i = 0; i < groups.size(); i++) {
            SubTableGroups.Group g = groups.get(i);
            boolean write = setIfChanged(st, batch, g, qualified);
            if (!write && kept == null) {
                kept = new ArrayList<>(groups.subList(0, i));
            } else if (write && kept != null) {
                kept.add(g);
            }
        }
        return kept == null ? groups : kept;
    }

    /** Sets a group's changed tags; false when they cannot be set (its rows are then rejected). */
    private boolean setIfChanged(Statement st, SinkBatch batch, SubTableGroups.Group g, boolean qualified)
            throws SQLException {
        if (g.schema().tagChangePolicy() != TagChangePolicy.UPDATE) {
            return true;
        }
        Object[] known = subTables.tags(g.subTable());
        Object[] change = known == null ? null : changed(g.latestTags(), known);
        if (change == null) {
            return true;
        }
        String sql;
        try {
            sql = Sql.alterTags(qualified ? database : null, g.subTable(), g.schema().tags(),
                    literals(g.schema(), change));
        } catch (IllegalArgumentException ex) {
            return true; // the INSERT rejects the row with the reason
        }
        try {
            st.executeUpdate(sql);
            subTables.remember(g.subTable(), merged(known, change));
            LOG.debug("Pipeline '{}': TDengine: tags of `{}` updated", pipelineName, g.subTable());
            return true;
        } catch (SQLException ex) {
            if (ErrorCodes.isTableMissing(ex)) {
                subTables.forget(g.subTable()); // dropped: the INSERT creates it with these tags
                return true;
            }
            if (ErrorCodes.classify(ex) != ErrorCodes.Kind.DATA) {
                throw ex;
            }
            String reason = "tags of sub-table '" + g.subTable() + "' cannot be updated: " + ErrorCodes.describe(ex);
            for (int p : g.positions()) {
                batch.reject(p, reason);
            }
            return false;
        }
    }

    /**
     * Remembers the sub-tables a committed statement created and, while the registry is incomplete (they may have
     * existed with other tags, which USING keeps silently), sets their tags once.
     *
     * @param st a statement on the writer's connection
     * @param created the sub-tables written with {@code USING ... TAGS}, with their latest tags (row values)
     * @param schemaOf each created sub-table's super table
     * @param qualified whether table names carry the database
     */
    public void afterCreate(Statement st, Map<String, Object[]> created, Function<String, TableSchema> schemaOf,
            boolean qualified) {
        for (Map.Entry<String, Object[]> e : created.entrySet()) {
            TableSchema schema = subTables.complete() ? null : schemaOf.apply(e.getKey());
            if (schema != null && schema.tagChangePolicy() == TagChangePolicy.UPDATE) {
                Object[] change = changed(e.getValue(), SubTables.unknownTags());
                // the rows are committed already: a failure here is logged, not retried (the next change retries it)
                try {
                    if (change != null) {
                        st.executeUpdate(Sql.alterTags(qualified ? database : null, e.getKey(), schema.tags(),
                                literals(schema, change)));
                    }
                } catch (SQLException | IllegalArgumentException ex) {
                    LOG.warn("Pipeline '{}': TDengine: tags of sub-table `{}` not updated: {}", pipelineName,
                            e.getKey(), ex instanceof SQLException sql ? ErrorCodes.describe(sql) : ex.getMessage());
                    continue;
                }
            }
            subTables.remember(e.getKey(), e.getValue());
        }
    }

    /**
     * Returns the latest tags that differ from those known, null where unchanged; a tag no row has a value for (null)
     * is never a change: a message without a tag field does not clear the tag.
     */
    private static Object[] changed(Object[] latest, Object[] known) {
        Object[] change = null;
        for (int i = 0; i < latest.length; i++) {
            if (latest[i] != null && (known.length == 0 || !sameValue(latest[i], known[i]))) {
                if (change == null) {
                    change = new Object[latest.length];
                }
                change[i] = latest[i];
            }
        }
        return change;
    }

    private static boolean sameValue(Object a, Object b) {
        return a instanceof byte[] x && b instanceof byte[] y ? Arrays.equals(x, y) : a.equals(b);
    }

    /** One SQL literal per changed tag, null where unchanged. */
    private static String[] literals(TableSchema schema, Object[] change) {
        String[] out = new String[change.length];
        StringBuilder sb = new StringBuilder(32);
        for (int i = 0; i < change.length; i++) {
            if (change[i] != null) {
                sb.setLength(0);
                out[i] = Sql.appendLiteral(sb, change[i], schema.tags().get(i).type()).toString();
            }
        }
        return out;
    }

    private static Object[] merged(Object[] known, Object[] change) {
        Object[] out = known.length == 0 ? new Object[change.length] : known.clone();
        for (int i = 0; i < change.length; i++) {
            if (change[i] != null) {
                out[i] = change[i];
            }
        }
        return out;
    }
}
