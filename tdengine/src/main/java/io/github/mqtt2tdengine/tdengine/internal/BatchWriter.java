package io.github.mqtt2tdengine.tdengine.internal;

import io.github.mqtt2tdengine.spi.Row;
import io.github.mqtt2tdengine.spi.SinkBatch;
import io.github.mqtt2tdengine.spi.TableSchema;
import io.github.mqtt2tdengine.tdengine.WriteMode;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one batch on the writer thread's connection: tag updates first, then the rows of the super tables bound
 * with parameters (under AUTO only when the batch brings enough rows per sub-table), then the rest as multi-table
 * INSERT statements. A data error splits the rows in halves until the bad rows stand alone, which are rejected with
 * TDengine's reason while the rest are written. Not API; may change in any release.
 */
public final class BatchWriter {
    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);

    private final String database;
    private final String pipelineName;
    private final WriteMode writeMode;
    private final int autoRowsPerSubTable;
    private final Set<TableSchema> bindable;
    private final SubTables subTables;
    private final InsertBuilder inserts;
    private final TagUpdates tagUpdates;

    /**
     * Creates the writer of one sink.
     *
     * @param database the target database
     * @param pipelineName for messages
     * @param writeMode SQL, STMT or AUTO
     * @param autoRowsPerSubTable under AUTO, the rows per sub-table from which binding pays
     * @param bindable the super tables that may be bound (none under SQL)
     * @param subTables the sub-tables known to exist
     * @param maxSqlBytes the longest INSERT statement
     */
    public BatchWriter(String database, String pipelineName, WriteMode writeMode, int autoRowsPerSubTable,
            Set<TableSchema> bindable, SubTables subTables, int maxSqlBytes) {
        this.database = database;
        this.pipelineName = pipelineName;
        this.writeMode = writeMode;
        this.autoRowsPerSubTable = autoRowsPerSubTable;
        this.bindable = Set.copyOf(bindable);
        this.subTables = subTables;
        this.inserts = new InsertBuilder(database, maxSqlBytes, subTables);
        this.tagUpdates = new TagUpdates(database, pipelineName, subTables);
    }

    /**
     * Writes a batch; rows that cannot be written are rejected in it.
     *
     * @param session the calling writer thread's connection
     * @param batch the batch
     * @throws SQLException on a connection error (nothing about what was written is known: the batch is retried)
     */
    public void write(Connections.Session session, SinkBatch batch) throws SQLException {
        List<Row> rows = batch.rows();
        int[] all = new int[rows.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        boolean qualified = session.qualified();
        try (Statement st = session.connection().createStatement()) {
            List<SubTableGroups.Group> groups = tagUpdates.beforeWrite(st, batch, SubTableGroups.of(rows, all),
                    qualified);
            List<SubTableGroups.Group> rest = bindable.isEmpty() ? groups : writeBound(session, st, batch, groups);
            if (!rest.isEmpty()) {
                writeSql(st, batch, rest, qualified);
            }
        }
    }

    /** Writes the groups of bindable super tables (under AUTO: where binding pays); returns the groups left. */
    private List<SubTableGroups.Group> writeBound(Connections.Session session, Statement st, SinkBatch batch,
            List<SubTableGroups.Group> groups) throws SQLException {
        Map<TableSchema, List<SubTableGroups.Group>> bySchema = new LinkedHashMap<>();
        List<SubTableGroups.Group> rest = new ArrayList<>();
        for (SubTableGroups.Group g : groups) {
            if (bindable.contains(g.schema())) {
                bySchema.computeIfAbsent(g.schema(), k -> new ArrayList<>()).add(g);
            } else {
                rest.add(g);
            }
        }
        StmtWriter writer = session.stmt(database);
        for (Map.Entry<TableSchema, List<SubTableGroups.Group>> e : bySchema.entrySet()) {
            List<SubTableGroups.Group> bound = e.getValue();
            if (writeMode == WriteMode.AUTO && !bindingPays(bound)) {
                rest.addAll(bound);
                continue;
            }
            writeBound(writer, st, batch, e.getKey(), bound, session.qualified());
        }
        return rest;
    }

    /** AUTO: binding pays once a batch brings enough rows per sub-table. */
    private boolean bindingPays(List<SubTableGroups.Group> groups) {
        long rows = 0;
        for (SubTableGroups.Group g : groups) {
            rows += g.positions().length;
        }
        return rows >= (long) autoRowsPerSubTable * groups.size();
    }

    /** Binds and executes rows; on a data error splits them in halves until the bad rows stand alone. */
    private void writeBound(StmtWriter writer, Statement st, SinkBatch batch, TableSchema schema,
            List<SubTableGroups.Group> groups, boolean qualified) throws SQLException {
        StmtWriter.Bound done;
        try {
            done = writer.write(schema, batch.rows(), groups);
        } catch (SQLException e) {
            if (ErrorCodes.classify(e) != ErrorCodes.Kind.DATA) {
                throw e;
            }
            int[] positions = SubTableGroups.positions(groups);
            if (positions.length == 1) {
                batch.reject(positions[0], ErrorCodes.describe(e));
                return;
            }
            LOG.debug("Pipeline '{}': batch {}: {} on a bound batch of {} rows; splitting it", pipelineName,
                    batch.sequence(), ErrorCodes.describe(e), positions.length);
            int half = positions.length / 2;
            writeBound(writer, st, batch, schema, SubTableGroups.of(batch.rows(), Arrays.copyOfRange(positions, 0,
                    half)), qualified);
            writeBound(writer, st, batch, schema, SubTableGroups.of(batch.rows(), Arrays.copyOfRange(positions, half,
                    positions.length)), qualified);
            return;
        }
        for (InsertBuilder.Rejected r : done.rejected()) {
            batch.reject(r.row(), r.reason());
        }
        Map<String, Object[]> created = new LinkedHashMap<>();
        for (Map.Entry<String, Object[]> e : done.subTables().entrySet()) {
            if (!subTables.exists(e.getKey())) {
                created.put(e.getKey(), e.getValue()); // the tags USING was bound with
            }
        }
        tagUpdates.afterCreate(st, created, subTable -> schema, qualified);
    }

    /** Writes some rows as SQL; on a data error splits them in halves until the bad rows stand alone. */
    private void writeSql(Statement st, SinkBatch batch, List<SubTableGroups.Group> groups, boolean qualified)
            throws SQLException {
        InsertBuilder.Result built = inserts.build(batch.rows(), groups, qualified);
        for (InsertBuilder.Rejected r : built.rejected()) {
            batch.reject(r.row(), r.reason());
        }
        Map<String, TableSchema> schemas = null;
        for (InsertBuilder.Statement s : built.statements()) {
            try {
                st.executeUpdate(s.sql());
                if (!s.created().isEmpty()) {
                    if (schemas == null) {
                        schemas = new HashMap<>();
                        for (SubTableGroups.Group g : groups) {
                            schemas.put(g.subTable(), g.schema());
                        }
                    }
                    tagUpdates.afterCreate(st, s.created(), schemas::get, qualified);
                }
            } catch (SQLException e) {
                if (ErrorCodes.isTableMissing(e) && !s.existing().isEmpty()) {
                    // a sub-table this sink knew was dropped behind its back: write these rows again with USING
                    LOG.info("Pipeline '{}': TDengine: a known sub-table of {} no longer exists; writing with USING",
                            pipelineName, s.existing());
                    s.existing().forEach(subTables::forget);
                    writeSql(st, batch, SubTableGroups.of(batch.rows(), s.rows()), qualified);
                    continue;
                }
                if (ErrorCodes.classify(e) != ErrorCodes.Kind.DATA) {
                    throw e;
                }
                int[] rows = s.rows();
                if (rows.length == 1) {
                    batch.reject(rows[0], ErrorCodes.describe(e));
                    continue;
                }
                LOG.debug("Pipeline '{}': batch {}: {} on a statement of {} rows; splitting it", pipelineName,
                        batch.sequence(), ErrorCodes.describe(e), rows.length);
                int half = rows.length / 2;
                writeSql(st, batch, SubTableGroups.of(batch.rows(), Arrays.copyOfRange(rows, 0, half)), qualified);
                writeSql(st, batch, SubTableGroups.of(batch.rows(), Arrays.copyOfRange(rows, half, rows.length)),
                        qualified);
            }
        }
    }
}
