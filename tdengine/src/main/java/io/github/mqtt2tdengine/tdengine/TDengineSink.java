package io.github.mqtt2tdengine.tdengine;

import io.github.mqtt2tdengine.RetriableSinkException;
import io.github.mqtt2tdengine.Secret;
import io.github.mqtt2tdengine.SinkException;
import io.github.mqtt2tdengine.payload.TagChangePolicy;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.spi.Row;
import io.github.mqtt2tdengine.spi.SchemaColumn;
import io.github.mqtt2tdengine.spi.Sink;
import io.github.mqtt2tdengine.spi.SinkBatch;
import io.github.mqtt2tdengine.spi.SinkContext;
import io.github.mqtt2tdengine.spi.TableSchema;
import io.github.mqtt2tdengine.tdengine.internal.ConnectProbe;
import io.github.mqtt2tdengine.tdengine.internal.ErrorCodes;
import io.github.mqtt2tdengine.tdengine.internal.InsertBuilder;
import io.github.mqtt2tdengine.tdengine.internal.SchemaCheck;
import io.github.mqtt2tdengine.tdengine.internal.Sql;
import io.github.mqtt2tdengine.tdengine.internal.StmtWriter;
import io.github.mqtt2tdengine.tdengine.internal.SubTables;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TDengine destination: creates or checks the super tables, reads the database precision, and writes batches as
 * multi-table multi-row {@code INSERT ... USING ... TAGS ... VALUES} statements through the TDengine JDBC driver
 * (WebSocket {@code jdbc:TAOS-WS://}, REST {@code jdbc:TAOS-RS://}, native {@code jdbc:TAOS://}) or a host's
 * {@link DataSource}; or, under {@link WriteMode#STMT} (or {@link WriteMode#AUTO} for batches with many rows per
 * sub-table), with the driver's parameter binding.
 *
 * <p>Errors: connection loss, timeouts and busy servers become {@link RetriableSinkException} (the engine retries,
 * nothing is acknowledged); a data error (value or timestamp out of range, bad name, wrong type) fails a whole
 * TDengine statement, so the sink splits the batch in halves until the bad rows are isolated, writes the good ones
 * and rejects only the bad ones with TDengine's code and message; authentication and missing-database errors are
 * fatal. Each writer thread has its own connection. Immutable once built; {@link #toString()} hides the password and
 * the URL's query string.
 *
 * @since 0.1.0
 */
public final class TDengineSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(TDengineSink.class);
    /**
     * {@link WriteMode#AUTO} binds a super table's rows when a batch brings at least this many per sub-table:
     * {@value}, from the sink benchmark against a real TDengine (README, sink figures).
     */
    public static final int AUTO_ROWS_PER_SUB_TABLE = 20;

    private final String url;
    private final DataSource dataSource;
    private final String user;
    private final Secret password;
    private final String database;
    private final TimePrecision createDatabase;
    private final SchemaPolicy schemaPolicy;
    private final int maxSqlBytes;
    private final int knownSubTables;
    private final WriteMode writeMode;
    /** The super tables written with parameter binding (STMT, AUTO): set by open(). */
    private volatile Set<TableSchema> bindable = Set.of();
    private final Map<Connection, StmtWriter> stmtWriters = new ConcurrentHashMap<>();
    private volatile SubTables subTables = new SubTables(0);
    private final Consumer<String> dryRun;
    private final Map<Long, Connection> connections = new ConcurrentHashMap<>();
    private volatile InsertBuilder inserts;
    /** Connections whose current database is the target: INSERTs there name tables without the database. */
    private final Set<Connection> bound = ConcurrentHashMap.newKeySet();
    /** Set once open() has made sure the database exists: from then on new connections are bound to it. */
    private volatile boolean databaseReady;
    private volatile TimePrecision precision = TimePrecision.MILLISECONDS;
    private volatile String pipelineName = "?";

    private TDengineSink(Builder b, String database) {
        this.url = b.url;
        this.dataSource = b.dataSource;
        this.user = b.user;
        this.password = b.password;
        this.database = database;
        this.createDatabase = b.createDatabase;
        this.schemaPolicy = b.schemaPolicy;
        this.maxSqlBytes = b.maxSqlBytes;
        this.knownSubTables = b.knownSubTables;
        this.writeMode = b.writeMode;
        this.dryRun = b.dryRun;
    }

    /**
     * Starts a builder.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the target database.
     *
     * @return the database name
     */
    public String database() {
        return database;
    }

    @Override
    public void open(SinkContext context) {
        this.pipelineName = context.pipelineName();
        this.subTables = new SubTables(knownSubTables);
        this.inserts = new InsertBuilder(database, maxSqlBytes, subTables);
        if (dryRun != null) {
            if (createDatabase != null) {
                dryRun.accept("CREATE DATABASE IF NOT EXISTS " + ident(database) + " PRECISION '"
                        + createDatabase.sqlName() + "'");
                precision = createDatabase;
            }
            for (TableSchema table : context.tables()) {
                dryRun.accept(Sql.createStable(database, table));
            }
            LOG.info("Pipeline '{}': TDengine dry run: statements are printed, not sent (precision {})", pipelineName,
                    precision.sqlName());
            return;
        }
        Connection c = connection();
        try (Statement st = c.createStatement()) {
            if (createDatabase != null) {
                execute(st, "CREATE DATABASE IF NOT EXISTS " + ident(database) + " PRECISION '"
                        + createDatabase.sqlName() + "'");
            }
            precision = readPrecision(st);
            for (TableSchema table : context.tables()) {
                prepare(st, table);
            }
        } catch (SQLException e) {
            closeConnection();
            throw failure("cannot prepare database `" + database + "`", e);
        }
        loadSubTables(c, context.tables());
        databaseReady = true;
        bind(c);
        chooseBinding(c, context.tables());
        LOG.info("Pipeline '{}': TDengine {} database `{}` (precision {}) ready, super tables {}, write mode {}{}",
                pipelineName, safeUrl(), database, precision.sqlName(), context.tables().stream()
                        .map(TableSchema::superTable).toList(), writeMode, writeMode == WriteMode.AUTO
                        ? " (parameter binding for " + bindable.stream().map(TableSchema::superTable).toList() + ")"
                        : "");
    }

    /**
     * Decides which super tables are written with parameter binding: none under SQL; under STMT all of them, or the
     * start fails saying why not; under AUTO those the driver and the types allow.
     */
    private void chooseBinding(Connection c, List<TableSchema> tables) {
        if (writeMode == WriteMode.SQL || tables.isEmpty()) {
            return;
        }
        Set<TableSchema> ok = new java.util.HashSet<>();
        boolean driver = StmtWriter.supported(c, tables.get(0), bound.contains(c) ? null : database);
        for (TableSchema table : tables) {
            String unbindable = StmtWriter.unbindable(table);
            if (writeMode == WriteMode.STMT && !driver) {
                closeConnection();
                throw new SinkException("Pipeline '" + pipelineName + "': TDengine " + safeUrl() + ": writeMode "
                        + "STMT needs a driver with parameter binding (native jdbc:TAOS:// or WebSocket "
                        + "jdbc:TAOS-WS://), but this connection's prepared statements cannot bind; use writeMode "
                        + "SQL or AUTO");
            }
            if (writeMode == WriteMode.STMT && unbindable != null) {
                closeConnection();
                throw new SinkException("Pipeline '" + pipelineName + "': super table `" + table.superTable()
                        + "`: writeMode STMT cannot bind " + unbindable + ": the TDengine JDBC driver has no "
                        + "setter for UNSIGNED types; use writeMode SQL, or AUTO (which writes this super table with "
                        + "SQL)");
            }
            if (driver && unbindable == null) {
                ok.add(table);
            }
        }
        bindable = Set.copyOf(ok);
    }

    /**
     * Loads the names of the sub-tables that exist already, so that INSERTs into them need no USING clause and a
     * sub-table not found is known not to exist. Their tags are not read: under {@code TagChangePolicy.UPDATE} the
     * first write to each sets them once.
     */
    private void loadSubTables(Connection c, List<TableSchema> tables) {
        if (knownSubTables == 0) {
            return;
        }
        int loaded = 0;
        try (Statement st = c.createStatement()) {
            for (TableSchema table : tables) {
                StringBuilder sql = new StringBuilder("SELECT table_name FROM information_schema.ins_tables WHERE "
                        + "db_name = ");
                Sql.appendString(sql, database).append(" AND stable_name = ");
                Sql.appendString(sql, table.superTable()).append(" LIMIT ").append(knownSubTables - loaded + 1);
                try (ResultSet rs = st.executeQuery(sql.toString())) {
                    while (rs.next()) {
                        subTables.remember(rs.getString(1), SubTables.unknownTags());
                        loaded++;
                    }
                }
            }
            subTables.complete(loaded <= knownSubTables);
        } catch (SQLException | RuntimeException e) {
            // RuntimeException: a driver's emulation of a statement; without the list every INSERT keeps USING
            subTables.complete(false);
            LOG.debug("Pipeline '{}': TDengine: existing sub-tables not loaded ({}); INSERTs name their super table "
                    + "until each sub-table was written once", pipelineName, e.toString());
        }
        LOG.debug("Pipeline '{}': TDengine: {} existing sub-tables known at start (complete: {})", pipelineName,
                subTables.size(), subTables.complete());
    }

    private TimePrecision readPrecision(Statement st) throws SQLException {
        String sql = "SELECT `precision` FROM information_schema.ins_databases WHERE name = "
                + Sql.appendString(new StringBuilder(), database);
        try (ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                throw new SinkException("Pipeline '" + pipelineName + "': TDengine database `" + database
                        + "` does not exist; create it or use createDatabase(precision)");
            }
            return TimePrecision.fromSqlName(rs.getString(1));
        }
    }

    private void prepare(Statement st, TableSchema table) throws SQLException {
        execute(st, Sql.createStable(database, table));
        SchemaCheck.Result result = SchemaCheck.compare(table, describe(st, table));
        if (!result.mismatches().isEmpty()) {
            throw new SinkException("Pipeline '" + pipelineName + "': " + String.join("; ", result.mismatches()));
        }
        List<SchemaColumn> missing = new ArrayList<>(result.missingColumns());
        missing.addAll(result.missingTags());
        if (missing.isEmpty()) {
            return;
        }
        if (schemaPolicy != SchemaPolicy.ADD_MISSING) {
            throw new SinkException("Pipeline '" + pipelineName + "': super table `" + table.superTable()
                    + "` lacks mapped " + missing + "; add them or use schemaPolicy(ADD_MISSING)");
        }
        for (SchemaColumn c : result.missingColumns()) {
            execute(st, "ALTER STABLE " + Sql.qualified(database, table.superTable()) + " ADD COLUMN "
                    + ident(c.name()) + " " + c.type().sql());
        }
        for (SchemaColumn c : result.missingTags()) {
            execute(st, "ALTER STABLE " + Sql.qualified(database, table.superTable()) + " ADD TAG "
                    + ident(c.name()) + " " + c.type().sql());
        }
        LOG.warn("Pipeline '{}': added {} to super table `{}` (schemaPolicy ADD_MISSING)", pipelineName, missing,
                table.superTable());
    }

    private List<SchemaCheck.Described> describe(Statement st, TableSchema table) throws SQLException {
        List<SchemaCheck.Described> described = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("DESCRIBE " + Sql.qualified(database, table.superTable()))) {
            while (rs.next()) {
                String note = rs.getString(4);
                described.add(new SchemaCheck.Described(rs.getString(1), rs.getString(2), rs.getInt(3),
                        note != null && note.trim().equalsIgnoreCase("TAG")));
            }
        }
        return described;
    }

    private static void execute(Statement st, String sql) throws SQLException {
        LOG.debug("TDengine: {}", sql);
        st.execute(sql);
    }

    private static String ident(String name) {
        return Sql.appendIdentifier(new StringBuilder(), name).toString();
    }

    @Override
    public TimePrecision precision() {
        return precision;
    }

    /**
     * Compares the mapping's super tables with the database without changing anything: connects, reads the precision
     * and runs {@code DESCRIBE} on each super table. Called by tools such as the runner's {@code --check}; the
     * pipeline does not call it.
     *
     * @param tables the mapping's super tables ({@code SyncPipeline.tables()})
     * @return one line per finding, the first naming the database and its precision
     * @throws SinkException if the database cannot be reached or does not exist
     */
    public List<String> check(List<TableSchema> tables) {
        List<String> report = new ArrayList<>();
        Connection c = connection();
        try (Statement st = c.createStatement()) {
            TimePrecision p = readPrecision(st);
            report.add("database `" + database + "`: exists, precision " + p.sqlName());
            for (TableSchema table : tables) {
                List<SchemaCheck.Described> described;
                try {
                    described = describe(st, table);
                } catch (SQLException e) {
                    report.add("super table `" + table.superTable() + "`: not found (" + ErrorCodes.describe(e)
                            + "); the pipeline would create it");
                    continue;
                }
                SchemaCheck.Result r = SchemaCheck.compare(table, described);
                if (r.mismatches().isEmpty() && r.missingColumns().isEmpty() && r.missingTags().isEmpty()) {
                    report.add("super table `" + table.superTable() + "`: matches the mapping");
                }
                report.addAll(r.mismatches());
                if (!r.missingColumns().isEmpty() || !r.missingTags().isEmpty()) {
                    List<SchemaColumn> missing = new ArrayList<>(r.missingColumns());
                    missing.addAll(r.missingTags());
                    report.add("super table `" + table.superTable() + "` lacks mapped " + missing);
                }
            }
        } catch (SQLException e) {
            throw failure("cannot check database `" + database + "`", e);
        } finally {
            close();
        }
        return report;
    }

    @Override
    public void write(SinkBatch batch) {
        List<Row> rows = batch.rows();
        int[] all = new int[rows.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        if (dryRun != null) {
            InsertBuilder.Result built = inserts.build(rows, all);
            for (InsertBuilder.Rejected r : built.rejected()) {
                batch.reject(r.row(), r.reason());
            }
            for (InsertBuilder.Statement s : built.statements()) {
                dryRun.accept(s.sql());
                s.created().forEach(subTables::remember);
            }
            return;
        }
        Connection c = connection();
        try (Statement st = c.createStatement()) {
            boolean qualified = !bound.contains(c);
            int[] positions = updateTags(st, batch, all, qualified);
            int[] rest = bindable.isEmpty() ? positions : writeBound(c, st, batch, positions, qualified);
            if (rest.length > 0) {
                writeSql(st, batch, rest, qualified);
            }
        } catch (SQLException e) {
            closeConnection();
            throw failure("cannot write batch " + batch.sequence(), e);
        }
    }

    /**
     * Under {@code TagChangePolicy.UPDATE}, sets the tags of known sub-tables whose latest row brings other tag values
     * ({@code ALTER TABLE ... SET TAG}), before their rows are written. Compares row values, so tags that did not
     * change cost no rendering.
     *
     * @return the positions still to write (rows of a sub-table whose tags cannot be set are rejected)
     */
    private int[] updateTags(Statement st, SinkBatch batch, int[] positions, boolean qualified) throws SQLException {
        List<Row> rows = batch.rows();
        // the latest value of each tag per sub-table: rows scanned from the last, a tag filled by the latest row
        // that has it (a message without a tag field does not clear the tag)
        Map<String, Object[]> latest = null;
        Map<String, Row> latestRow = null;
        for (int i = positions.length - 1; i >= 0; i--) {
            Row row = rows.get(positions[i]);
            if (row.schema().tagChangePolicy() != TagChangePolicy.UPDATE) {
                continue;
            }
            if (latest == null) {
                latest = new java.util.HashMap<>();
                latestRow = new java.util.HashMap<>();
            }
            Object[] tags = latest.get(row.subTable());
            if (tags == null) {
                if (!subTables.exists(row.subTable())) {
                    continue;
                }
                tags = new Object[row.schema().tags().size()];
                latest.put(row.subTable(), tags);
                latestRow.put(row.subTable(), row);
            }
            for (int t = 0; t < tags.length; t++) {
                if (tags[t] == null) {
                    tags[t] = row.tag(t);
                }
            }
        }
        if (latest == null || latest.isEmpty()) {
            return positions;
        }
        java.util.Set<String> failed = null;
        for (Map.Entry<String, Object[]> e : latest.entrySet()) {
            Object[] known = subTables.tags(e.getKey());
            Object[] change = known == null ? null : changedTags(e.getValue(), known);
            if (change == null) {
                continue;
            }
            Row row = latestRow.get(e.getKey());
            String sql;
            try {
                sql = Sql.alterTags(qualified ? database : null, e.getKey(), row.schema().tags(), changeLiterals(
                        row.schema(), change));
            } catch (IllegalArgumentException ex) {
                continue; // the INSERT rejects the row with the reason
            }
            try {
                st.executeUpdate(sql);
                subTables.remember(e.getKey(), merged(known, change));
                LOG.debug("Pipeline '{}': TDengine: tags of `{}` updated", pipelineName, e.getKey());
            } catch (SQLException ex) {
                if (ErrorCodes.isTableMissing(ex)) {
                    subTables.forget(e.getKey()); // dropped: the INSERT creates it with these tags
                    continue;
                }
                if (ErrorCodes.classify(ex) != ErrorCodes.Kind.DATA) {
                    throw ex;
                }
                if (failed == null) {
                    failed = new java.util.HashSet<>();
                }
                failed.add(e.getKey());
                String reason = "tags of sub-table '" + e.getKey() + "' cannot be updated: " + ErrorCodes.describe(ex);
                for (int p : positions) {
                    if (rows.get(p).subTable().equals(e.getKey())) {
                        batch.reject(p, reason);
                    }
                }
            }
        }
        if (failed == null) {
            return positions;
        }
        java.util.Set<String> skip = failed;
        return java.util.Arrays.stream(positions).filter(p -> !skip.contains(rows.get(p).subTable())).toArray();
    }

    /**
     * Returns the latest tags that differ from those known, null where unchanged; a tag no row has a value for (null)
     * is never a change: a message without a tag field does not clear the tag.
     *
     * @param latest the latest tags of the sub-table's rows ({@link InsertBuilder#latestTags})
     * @param known the tags last written, {@link SubTables#unknownTags()} when not known
     * @return the changes, or null when there are none
     */
    private static Object[] changedTags(Object[] latest, Object[] known) {
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
        return a instanceof byte[] x && b instanceof byte[] y ? java.util.Arrays.equals(x, y) : a.equals(b);
    }

    /** One SQL literal per changed tag, null where unchanged. */
    private static String[] changeLiterals(TableSchema schema, Object[] change) {
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

    /**
     * Remembers the sub-tables a committed statement created, and (registry incomplete) sets tags it may have kept.
     *
     * @param created the sub-tables written with {@code USING ... TAGS}, with their latest tags (row values)
     * @param written the batch positions of the statement's rows
     */
    private void created(Statement st, SinkBatch batch, Map<String, Object[]> created, int[] written,
            boolean qualified) {
        if (created.isEmpty()) {
            return;
        }
        Map<String, Row> rowOf = null;
        if (!subTables.complete()) {
            // the sub-tables may have existed with other tags, which USING keeps silently: find each one's schema
            rowOf = new java.util.HashMap<>();
            for (int p : written) {
                Row row = batch.rows().get(p);
                if (created.containsKey(row.subTable())) {
                    rowOf.put(row.subTable(), row);
                }
            }
        }
        for (Map.Entry<String, Object[]> e : created.entrySet()) {
            Row row = rowOf == null ? null : rowOf.get(e.getKey());
            if (row != null && row.schema().tagChangePolicy() == TagChangePolicy.UPDATE) {
                Object[] change = changedTags(e.getValue(), SubTables.unknownTags());
                // set them once. The rows are committed already: a failure here is logged, not retried (the next
                // change retries it)
                try {
                    if (change != null) {
                        st.executeUpdate(Sql.alterTags(qualified ? database : null, e.getKey(), row.schema().tags(),
                                changeLiterals(row.schema(), change)));
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
     * Writes the rows of the super tables bound with parameters (under AUTO only when the batch brings enough rows
     * per sub-table); returns the positions left for SQL.
     */
    private int[] writeBound(Connection c, Statement st, SinkBatch batch, int[] positions, boolean qualified)
            throws SQLException {
        List<Row> rows = batch.rows();
        Map<TableSchema, List<Integer>> bySchema = new java.util.LinkedHashMap<>();
        List<Integer> rest = new ArrayList<>();
        // rows of one mapping share their schema instance: look each one up once (hashing a schema walks its columns)
        TableSchema last = null;
        List<Integer> lastGroup = null;
        for (int p : positions) {
            TableSchema schema = rows.get(p).schema();
            if (schema != last) {
                last = schema;
                lastGroup = bindable.contains(schema) ? bySchema.computeIfAbsent(schema, k -> new ArrayList<>())
                        : rest;
            }
            lastGroup.add(p);
        }
        StmtWriter writer = stmtWriters.computeIfAbsent(c, k -> new StmtWriter(k, qualified ? database : null));
        for (Map.Entry<TableSchema, List<Integer>> e : bySchema.entrySet()) {
            int[] group = e.getValue().stream().mapToInt(Integer::intValue).toArray();
            if (writeMode == WriteMode.AUTO && !bindingPays(rows, group)) {
                rest.addAll(e.getValue());
                continue;
            }
            writeBound(writer, st, batch, e.getKey(), group, qualified);
        }
        if (rest.size() == positions.length) {
            return positions;
        }
        return rest.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** AUTO: binding pays once a batch brings {@value #AUTO_ROWS_PER_SUB_TABLE} or more rows per sub-table. */
    private static boolean bindingPays(List<Row> rows, int[] group) {
        Set<String> names = new java.util.HashSet<>();
        for (int p : group) {
            names.add(rows.get(p).subTable());
        }
        return group.length >= (long) AUTO_ROWS_PER_SUB_TABLE * names.size();
    }

    /** Binds and executes rows; on a data error splits them in halves until the bad rows stand alone. */
    private void writeBound(StmtWriter writer, Statement st, SinkBatch batch, TableSchema schema, int[] positions,
            boolean qualified) throws SQLException {
        StmtWriter.Bound done;
        try {
            done = writer.write(schema, batch.rows(), positions);
        } catch (SQLException e) {
            if (ErrorCodes.classify(e) != ErrorCodes.Kind.DATA) {
                throw e;
            }
            if (positions.length == 1) {
                batch.reject(positions[0], ErrorCodes.describe(e));
                return;
            }
            LOG.debug("Pipeline '{}': batch {}: {} on a bound batch of {} rows; splitting it", pipelineName,
                    batch.sequence(), ErrorCodes.describe(e), positions.length);
            int half = positions.length / 2;
            writeBound(writer, st, batch, schema, java.util.Arrays.copyOfRange(positions, 0, half), qualified);
            writeBound(writer, st, batch, schema, java.util.Arrays.copyOfRange(positions, half, positions.length),
                    qualified);
            return;
        }
        for (InsertBuilder.Rejected r : done.rejected()) {
            batch.reject(r.row(), r.reason());
        }
        Map<String, Object[]> created = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Object[]> e : done.subTables().entrySet()) {
            if (!subTables.exists(e.getKey())) {
                created.put(e.getKey(), e.getValue()); // the tags USING was bound with
            }
        }
        created(st, batch, created, positions, qualified);
    }

    /** Writes some rows; on a data error splits them in halves until the bad rows stand alone, then rejects those. */
    private void writeSql(Statement st, SinkBatch batch, int[] positions, boolean qualified) throws SQLException {
        InsertBuilder.Result built = inserts.build(batch.rows(), positions, qualified);
        for (InsertBuilder.Rejected r : built.rejected()) {
            batch.reject(r.row(), r.reason());
        }
        for (InsertBuilder.Statement s : built.statements()) {
            try {
                st.executeUpdate(s.sql());
                created(st, batch, s.created(), s.rows(), qualified);
            } catch (SQLException e) {
                if (ErrorCodes.isTableMissing(e) && !s.existing().isEmpty()) {
                    // a sub-table this sink knew was dropped behind its back: write these rows again with USING
                    LOG.info("Pipeline '{}': TDengine: a known sub-table of {} no longer exists; writing with USING",
                            pipelineName, s.existing());
                    s.existing().forEach(subTables::forget);
                    writeSql(st, batch, s.rows(), qualified);
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
                writeSql(st, batch, java.util.Arrays.copyOfRange(rows, 0, half), qualified);
                writeSql(st, batch, java.util.Arrays.copyOfRange(rows, half, rows.length), qualified);
            }
        }
    }

    private RuntimeException failure(String what, SQLException e) {
        String message = "Pipeline '" + pipelineName + "': TDengine " + safeUrl() + ": " + what + ": "
                + ErrorCodes.describe(e);
        return ErrorCodes.classify(e) == ErrorCodes.Kind.FATAL ? new SinkException(message, e)
                : new RetriableSinkException(message, e);
    }

    private static boolean hasCause(SQLException e) {
        Throwable c = e.getCause();
        return c != null && c != e && !(c instanceof SQLException);
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        for (int i = 0; i < 20 && root.getCause() != null && root.getCause() != root; i++) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private Connection connection() {
        long id = Thread.currentThread().getId();
        Connection c = connections.get(id);
        if (c != null) {
            return c;
        }
        try {
            if (dataSource != null) {
                c = user != null ? dataSource.getConnection(user, password == null ? null : password.reveal())
                        : dataSource.getConnection();
            } else {
                Properties props = new Properties();
                if (user != null) {
                    props.setProperty("user", user);
                }
                if (password != null) {
                    props.setProperty("password", password.reveal());
                }
                c = DriverManager.getConnection(withoutDatabase(url), props);
            }
        } catch (SQLException e) {
            // the driver does not always chain the cause (WebSocket: "can't create connection with any server"):
            // a plain TCP connect tells whether the address is wrong, refused or unreachable
            String probe = hasCause(e) ? "cause: " + rootCause(e) : dataSource == null ? ConnectProbe.describe(url)
                    : "";
            throw failure(probe.isEmpty() ? "cannot connect" : "cannot connect (" + probe + ")", e);
        }
        connections.put(id, c);
        if (databaseReady) {
            bind(c);
        }
        return c;
    }

    private static String currentDatabase(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT DATABASE()")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /**
     * Binds a connection to the target database when that is safe, so that INSERTs can name tables without it (the
     * native client logs a warning line for every database-qualified table clause of an INSERT). A connection the
     * sink opened gets {@code USE db}. A connection from the host's {@code DataSource} gets it only when it has no
     * current database; one bound to another database is left as it is, with qualified names. Either way the current
     * database is checked with
     * {@code SELECT DATABASE()}; on any doubt (REST, which is stateless; a DataSource bound elsewhere; an error) names
     * stay qualified.
     */
    private void bind(Connection c) {
        if (url != null && url.startsWith("jdbc:TAOS-RS:")) {
            return; // REST is stateless (the driver emulates USE in the URL path, and fails on quoted names)
        }
        try (Statement st = c.createStatement()) {
            boolean use = dataSource == null;
            if (!use) {
                String current = currentDatabase(st);
                if (current != null && !current.equals(database)) {
                    LOG.debug("Pipeline '{}': the DataSource's connection is bound to `{}`, not `{}`: table names stay "
                            + "qualified", pipelineName, current, database);
                    return;
                }
                use = current == null;
            }
            if (use) {
                st.execute("USE " + ident(database));
            }
            if (database.equals(currentDatabase(st))) {
                bound.add(c);
                return;
            }
            LOG.debug("Pipeline '{}': TDengine connection not bound to `{}`: table names stay qualified",
                    pipelineName, database);
        } catch (SQLException | RuntimeException e) {
            // RuntimeException: drivers answer statements they emulate with unchecked errors; qualified names work
            LOG.debug("Pipeline '{}': TDengine connection cannot be bound to `{}` ({}): table names stay qualified",
                    pipelineName, database, e.toString());
        }
    }

    private void closeConnection() {
        Connection c = connections.remove(Thread.currentThread().getId());
        if (c != null) {
            bound.remove(c);
            StmtWriter writer = stmtWriters.remove(c);
            if (writer != null) {
                writer.close();
            }
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("TDengine: closing a connection: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        stmtWriters.values().forEach(StmtWriter::close);
        stmtWriters.clear();
        for (Connection c : connections.values()) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("TDengine: closing a connection: {}", e.toString());
            }
        }
        connections.clear();
        bound.clear();
    }

    private String safeUrl() {
        return dryRun != null ? "dry run" : url == null ? "DataSource" : stripQuery(url);
    }

    /**
     * Removes the database from a URL's path: every statement names its database, and a driver that runs
     * {@code USE db} on connect would fail before {@code CREATE DATABASE IF NOT EXISTS} could run.
     */
    static String withoutDatabase(String url) {
        int scheme = url.indexOf("://");
        int slash = scheme < 0 ? -1 : url.indexOf('/', scheme + 3);
        if (slash < 0) {
            return url;
        }
        int q = url.indexOf('?', slash);
        return url.substring(0, slash + 1) + (q < 0 ? "" : url.substring(q));
    }

    static String stripQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    @Override
    public String toString() {
        return "TDengineSink{" + safeUrl() + ", database=" + database + ", user=" + user + ", password="
                + (password == null ? "none" : password) + ", schemaPolicy=" + schemaPolicy + ", maxSqlBytes="
                + maxSqlBytes + ", writeMode=" + writeMode + '}';
    }

    /** Builds a {@link TDengineSink}; mutable, not thread-safe, reusable. */
    public static final class Builder {
        /** Largest INSERT statement when not set: {@value} bytes (TDengine's default limit is 1 MiB). */
        public static final int DEFAULT_MAX_SQL_BYTES = 1_000_000;
        /** Sub-tables remembered as existing when not set: {@value}. */
        public static final int DEFAULT_KNOWN_SUB_TABLES = 100_000;
        /** How rows are written when not set: {@link WriteMode#SQL}. */
        public static final WriteMode DEFAULT_WRITE_MODE = WriteMode.SQL;

        private String url;
        private DataSource dataSource;
        private String user;
        private Secret password;
        private String database;
        private TimePrecision createDatabase;
        private SchemaPolicy schemaPolicy = SchemaPolicy.CHECK;
        private int maxSqlBytes = DEFAULT_MAX_SQL_BYTES;
        private int knownSubTables = DEFAULT_KNOWN_SUB_TABLES;
        private WriteMode writeMode = DEFAULT_WRITE_MODE;
        private Consumer<String> dryRun;

        private Builder() {
        }

        /**
         * Connects through the TDengine JDBC driver: {@code jdbc:TAOS-WS://host:6041/db} (WebSocket, recommended),
         * {@code jdbc:TAOS-RS://host:6041/db} (REST) or {@code jdbc:TAOS://host:6030/db} (native, needs the TDengine
         * client library). The database may be given in the URL or with {@link #database(String)}.
         *
         * @param url the JDBC URL
         * @return this builder
         */
        public Builder jdbcUrl(String url) {
            Objects.requireNonNull(url, "jdbcUrl must not be null");
            if (!url.startsWith("jdbc:TAOS")) {
                throw new IllegalArgumentException("jdbcUrl must start with jdbc:TAOS-WS://, jdbc:TAOS-RS:// or "
                        + "jdbc:TAOS://, but was '" + stripQuery(url) + "'");
            }
            this.url = url;
            this.dataSource = null;
            return this;
        }

        /**
         * Uses connections from a host's pool instead of a URL.
         *
         * @param dataSource the pool
         * @return this builder
         */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource must not be null");
            this.url = null;
            return this;
        }

        /**
         * Sets user and password (otherwise the URL's or the DataSource's apply). The password is never logged.
         *
         * @param user the user
         * @param password the password
         * @return this builder
         */
        public Builder credentials(String user, String password) {
            this.user = Objects.requireNonNull(user, "user must not be null");
            this.password = password == null ? null : Secret.of(password);
            return this;
        }

        /**
         * Sets the target database ("Target DB" in the TDengine Cloud MQTT data source form); overrides one in the URL.
         *
         * @param database the database name
         * @return this builder
         */
        public Builder database(String database) {
            Objects.requireNonNull(database, "database must not be null");
            Sql.checkIdentifier(database);
            this.database = database;
            return this;
        }

        /**
         * Creates the database at start if it does not exist ({@code CREATE DATABASE IF NOT EXISTS ... PRECISION}).
         *
         * @param precision the precision of a new database; null to not create (the default)
         * @return this builder
         */
        public Builder createDatabase(TimePrecision precision) {
            this.createDatabase = precision;
            return this;
        }

        /**
         * Sets what happens when an existing super table lacks mapped columns; default {@link SchemaPolicy#CHECK}.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder schemaPolicy(SchemaPolicy policy) {
            this.schemaPolicy = Objects.requireNonNull(policy, "schemaPolicy must not be null");
            return this;
        }

        /**
         * Sets the largest INSERT statement; default {@value #DEFAULT_MAX_SQL_BYTES} bytes. Keep it under the
         * server's {@code maxSQLLength}.
         *
         * @param bytes at least 1024
         * @return this builder
         */
        public Builder maxSqlBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxSqlBytes must be at least 1024, but was " + bytes);
            }
            this.maxSqlBytes = bytes;
            return this;
        }

        /**
         * Sets how many sub-tables the sink remembers as existing (with the tags it last wrote), default
         * {@value #DEFAULT_KNOWN_SUB_TABLES}. An INSERT into a known sub-table leaves out its
         * {@code USING ... TAGS} clause (shorter statements, less parsing); under {@code TagChangePolicy.UPDATE} the
         * tags are compared against it. The sub-tables that exist at start are loaded (names only). Past the bound,
         * new sub-tables keep the USING clause (always correct). About 200 bytes of heap per sub-table; 0 turns it
         * off.
         *
         * @param count 0 or more
         * @return this builder
         */
        public Builder knownSubTables(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("knownSubTables must be 0 or more, but was " + count);
            }
            this.knownSubTables = count;
            return this;
        }

        /**
         * Sets how rows reach TDengine: SQL text, parameter binding, or a choice per batch; default
         * {@link #DEFAULT_WRITE_MODE}. See {@link WriteMode}. The dry run prints SQL whatever the mode.
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder writeMode(WriteMode mode) {
            this.writeMode = Objects.requireNonNull(mode, "writeMode must not be null");
            return this;
        }

        /**
         * Turns on the dry run: nothing connects; the statements the sink would send ({@code CREATE DATABASE},
         * {@code CREATE STABLE}, every {@code INSERT}) go to the consumer instead, and each batch counts as
         * written. The precision is the one given to {@link #createDatabase}, else milliseconds.
         *
         * @param statements receives each statement, on the thread that would have sent it
         * @return this builder
         */
        public Builder dryRun(Consumer<String> statements) {
            this.dryRun = Objects.requireNonNull(statements, "statements must not be null");
            return this;
        }

        /**
         * Builds the sink; nothing connects until the pipeline opens it.
         *
         * @return the sink
         * @throws IllegalStateException when no URL or DataSource, or no database, is given
         */
        public TDengineSink build() {
            if (url == null && dataSource == null && dryRun == null) {
                throw new IllegalStateException("jdbcUrl or dataSource must be set");
            }
            String db = database != null ? database : databaseFromUrl(url);
            if (db == null) {
                throw new IllegalStateException("database must be set (database(...) or in the JDBC URL path)");
            }
            if (writeMode == WriteMode.STMT && url != null && url.startsWith("jdbc:TAOS-RS:")) {
                throw new IllegalStateException("writeMode STMT needs parameter binding, which the REST connection "
                        + "(jdbc:TAOS-RS://) does not have; use jdbc:TAOS-WS:// or jdbc:TAOS://, or writeMode SQL or "
                        + "AUTO");
            }
            return new TDengineSink(this, db);
        }

        static String databaseFromUrl(String url) {
            if (url == null) {
                return null;
            }
            String u = stripQuery(url);
            int scheme = u.indexOf("://");
            if (scheme < 0) {
                return null;
            }
            int slash = u.indexOf('/', scheme + 3);
            if (slash < 0 || slash == u.length() - 1) {
                return null;
            }
            String db = u.substring(slash + 1).trim();
            return db.isEmpty() ? null : db;
        }
    }
}
