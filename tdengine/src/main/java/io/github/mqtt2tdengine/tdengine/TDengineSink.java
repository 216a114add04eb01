package io.github.mqtt2tdengine.tdengine;

import io.github.mqtt2tdengine.Secret;
import io.github.mqtt2tdengine.errors.RetriableSinkException;
import io.github.mqtt2tdengine.errors.SinkException;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.spi.Sink;
import io.github.mqtt2tdengine.spi.SinkBatch;
import io.github.mqtt2tdengine.spi.SinkContext;
import io.github.mqtt2tdengine.spi.TableSchema;
import io.github.mqtt2tdengine.tdengine.internal.BatchWriter;
import io.github.mqtt2tdengine.tdengine.internal.Connections;
import io.github.mqtt2tdengine.tdengine.internal.DryRun;
import io.github.mqtt2tdengine.tdengine.internal.ErrorCodes;
import io.github.mqtt2tdengine.tdengine.internal.SchemaSetup;
import io.github.mqtt2tdengine.tdengine.internal.Sql;
import io.github.mqtt2tdengine.tdengine.internal.StmtWriter;
import io.github.mqtt2tdengine.tdengine.internal.SubTables;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
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
     * {@value}, from the sink benchmark against a real TDengine (docs/performance.md, "Sink alone").
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
    private final Consumer<String> dryRunOut;
    /** What open() made: the connections and the batch writer, or the dry run. */
    private volatile Opened opened;
    private volatile TimePrecision precision = TimePrecision.MILLISECONDS;

    /** The parts of an opened sink. */
    private record Opened(Connections connections, BatchWriter writer, DryRun dryRun) {
    }

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
        this.dryRunOut = b.dryRun;
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

    /**
     * Opens connections of this sink's kind (same URL or DataSource, same credentials, same database) for another
     * user of the same database, such as {@link TDengineDeadLetters}; the credentials stay inside.
     *
     * @param owner names the user in messages (a pipeline's name, or what the connections are for)
     * @return new connections, owned (and closed) by the caller
     * @throws IllegalStateException for a dry-run sink, which has no database to connect to
     */
    Connections connections(String owner) {
        if (dryRunOut != null) {
            throw new IllegalStateException("the sink is a dry run: it has no database to connect to");
        }
        return new Connections(url, dataSource, user, password, database, owner);
    }

    /**
     * Tells whether this sink is a dry run (nothing connects).
     *
     * @return true when built with {@link Builder#dryRun}
     */
    boolean dryRun() {
        return dryRunOut != null;
    }

    /**
     * Returns the largest statement this sink sends.
     *
     * @return bytes
     */
    int maxSqlBytes() {
        return maxSqlBytes;
    }

    /**
     * Returns the URL without its query string, or "DataSource".
     *
     * @return what may be logged
     */
    String safeUrlForLogs() {
        return safeUrl();
    }

    @Override
    public void open(SinkContext context) {
        String pipelineName = context.pipelineName();
        SchemaSetup setup = new SchemaSetup(database, createDatabase, schemaPolicy, pipelineName);
        if (dryRunOut != null) {
            DryRun dryRun = new DryRun(dryRunOut, database, maxSqlBytes, knownSubTables);
            dryRun.open(setup, context.tables());
            if (createDatabase != null) {
                precision = createDatabase;
            }
            opened = new Opened(null, null, dryRun);
            LOG.info("Pipeline '{}': TDengine dry run: statements are printed, not sent (precision {})", pipelineName,
                    precision.sqlName());
            return;
        }
        Connections connections = new Connections(url, dataSource, user, password, database, pipelineName);
        Connections.Session session;
        try {
            session = prepare(connections, setup, context.tables(), pipelineName);
        } catch (RuntimeException e) {
            connections.close();
            throw e;
        }
        SubTables subTables = new SubTables(knownSubTables);
        setup.loadSubTables(session.connection(), context.tables(), subTables);
        connections.databaseReady();
        Set<TableSchema> bindable;
        try {
            bindable = bindable(connections, context.tables(), pipelineName);
        } catch (RuntimeException e) {
            connections.close();
            throw e;
        }
        opened = new Opened(connections, new BatchWriter(database, pipelineName, writeMode,
                AUTO_ROWS_PER_SUB_TABLE, bindable, subTables, maxSqlBytes), null);
        LOG.info("Pipeline '{}': TDengine {} database `{}` (precision {}) ready, super tables {}, write mode {}{}",
                pipelineName, connections.safeUrl(), database, precision.sqlName(), context.tables().stream()
                        .map(TableSchema::superTable).toList(), writeMode, writeMode == WriteMode.AUTO
                        ? " (parameter binding for " + bindable.stream().map(TableSchema::superTable).toList() + ")"
                        : "");
    }

    /**
     * Connects and prepares the database (precision, super tables); once more when the server answered with a failure
     * whose code is 0 and whose text is "success": taosAdapter 3.3.7.5 now and then reports a connect of its native
     * client that way (seen on the real server: "connect to taos failed: [0x0] success"), which would fail a start
     * that a second attempt makes.
     */
    private Connections.Session prepare(Connections connections, SchemaSetup setup, List<TableSchema> tables,
            String pipelineName) {
        for (int attempt = 1; ; attempt++) {
            try {
                Connections.Session session = connections.current();
                try (Statement st = session.connection().createStatement()) {
                    precision = setup.prepare(st, tables);
                    return session;
                } catch (SQLException e) {
                    throw connections.failure("cannot prepare database `" + database + "`", e);
                }
            } catch (RuntimeException e) {
                if (attempt > 1 || !ErrorCodes.spuriousSuccess(e)) {
                    throw e;
                }
                LOG.info("Pipeline '{}': TDengine answered with a failure that says 'success' ({}); trying once more",
                        pipelineName, e.getMessage());
                connections.discardCurrent();
            }
        }
    }

    /**
     * Decides which super tables are written with parameter binding: none under SQL; under STMT all of them, or the
     * start fails saying why not; under AUTO those the driver and the types allow.
     */
    private Set<TableSchema> bindable(Connections connections, List<TableSchema> tables, String pipelineName) {
        if (writeMode == WriteMode.SQL || tables.isEmpty()) {
            return Set.of();
        }
        Connections.Session session = connections.current();
        Set<TableSchema> ok = new HashSet<>();
        boolean driver = StmtWriter.supported(session.connection(), tables.get(0),
                session.qualified() ? database : null);
        for (TableSchema table : tables) {
            String unbindable = StmtWriter.unbindable(table);
            if (writeMode == WriteMode.STMT && !driver) {
                throw new SinkException("Pipeline '" + pipelineName + "': TDengine " + connections.safeUrl()
                        + ": writeMode STMT needs a driver with parameter binding (native jdbc:TAOS:// or WebSocket "
                        + "jdbc:TAOS-WS://), but this connection's prepared statements cannot bind; use writeMode "
                        + "SQL or AUTO");
            }
            if (writeMode == WriteMode.STMT && unbindable != null) {
                throw new SinkException("Pipeline '" + pipelineName + "': super table `" + table.superTable()
                        + "`: writeMode STMT cannot bind " + unbindable + ": the TDengine JDBC driver has no "
                        + "setter for UNSIGNED types; use writeMode SQL, or AUTO (which writes this super table with "
                        + "SQL)");
            }
            if (driver && unbindable == null) {
                ok.add(table);
            }
        }
        return ok;
    }

    @Override
    public TimePrecision precision() {
        return precision;
    }

    /**
     * Compares the mapping's super tables with the database without changing anything: connects (a connection of its
     * own, closed before it returns; a running sink's connections are not touched), reads the precision and runs
     * {@code DESCRIBE} on each super table. Called by tools such as the runner's {@code --check}; the pipeline does
     * not call it.
     *
     * @param tables the mapping's super tables ({@code SyncPipeline.tables()})
     * @return one line per finding, the first naming the database and its precision
     * @throws SinkException if the database cannot be reached or does not exist
     */
    public List<String> check(List<TableSchema> tables) {
        Connections connections = new Connections(url, dataSource, user, password, database, "check");
        try (Connection c = connections.open(); Statement st = c.createStatement()) {
            return new SchemaSetup(database, createDatabase, schemaPolicy, "check").check(st, tables);
        } catch (SQLException e) {
            throw connections.failure("cannot check database `" + database + "`", e);
        }
    }

    @Override
    public void write(SinkBatch batch) {
        Opened o = opened;
        if (o == null) {
            throw new IllegalStateException("TDengineSink: write before open");
        }
        if (o.dryRun() != null) {
            o.dryRun().write(batch);
            return;
        }
        try {
            o.writer().write(o.connections().current(), batch);
        } catch (SQLException e) {
            o.connections().discardCurrent();
            throw o.connections().failure("cannot write batch " + batch.sequence(), e);
        }
    }

    @Override
    public void close() {
        Opened o = opened;
        if (o != null && o.connections() != null) {
            o.connections().close();
        }
    }

    private String safeUrl() {
        return dryRunOut != null ? "dry run" : url == null ? "DataSource" : Connections.stripQuery(url);
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
                        + "jdbc:TAOS://, but was '" + Connections.stripQuery(url) + "'");
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
            String u = Connections.stripQuery(url);
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
