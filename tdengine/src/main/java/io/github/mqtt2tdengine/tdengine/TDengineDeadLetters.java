package io.github.mqtt2tdengine.tdengine;

import io.github.mqtt2tdengine.DeadLetter;
import io.github.mqtt2tdengine.DeadLetterHandler;
import io.github.mqtt2tdengine.errors.RetriableSinkException;
import io.github.mqtt2tdengine.tdengine.internal.DeadLetterStore;
import io.github.mqtt2tdengine.tdengine.internal.DeadLetterTable;
import io.github.mqtt2tdengine.tdengine.internal.Sql;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Keeps dead letters in a TDengine super table of the sink's database, byte for byte, so that they can be looked at
 * with SQL and replayed into the pipeline ({@link #replay()}) once the mapping is fixed.
 *
 * <pre>{@code
 * TDengineSink sink = TDengineSink.builder().jdbcUrl("jdbc:TAOS-WS://tdengine:6041/power")
 *         .credentials("writer", System.getenv("TD_PASSWORD")).build();
 * SyncPipeline.builder()
 *         ...
 *         .sink(sink)
 *         .deadLetterHandler(TDengineDeadLetters.builder().sink(sink).build())
 * }</pre>
 *
 * <p>Layout ({@code CREATE STABLE IF NOT EXISTS} at the first dead letter; an existing table is checked with
 * {@code DESCRIBE} and, when it does not fit, every store fails with a message saying why):
 * <pre>
 * CREATE STABLE `mqtt2td_dead_letters` (
 *   `ts` TIMESTAMP,                -- when it was stored; unique per row, see below
 *   `received_at` TIMESTAMP,       -- when the pipeline received the message (database precision)
 *   `mqtt_topic` VARCHAR(8192),    -- the original topic (first part only)
 *   `qos` TINYINT,                 -- the QoS it arrived with
 *   `detail` VARCHAR(4096),        -- the reason's sentence (first part only; cut at 4096 bytes)
 *   `payload` VARBINARY(49152),    -- this part's payload bytes
 *   `payload_length` INT,          -- the whole original payload's length
 *   `part` INT, `parts` INT,       -- this row's part number (from 0) and the number of parts
 *   `truncated` BOOL               -- payload (or topic) not stored whole: not replayed
 * ) TAGS (`pipeline` VARCHAR(1024), `reason` VARCHAR(32), `instance` VARCHAR(64))
 * </pre>
 * A TDengine row holds at most 65,531 bytes, so a payload is cut into parts of 49,152 bytes, one row each, with
 * consecutive timestamps in one sub-table; a dead letter is {@code parts} rows (one for payloads up to 48 KiB).
 * Payloads longer than {@link Builder#maxPayloadBytes} keep their first bytes only, with {@code truncated} set and
 * their true length; a WARN line says so. Payload bytes are written as hex literals and text as escaped string
 * literals, so quotes, backslashes, NUL bytes and invalid UTF-8 round-trip. Each sub-table holds one pipeline's dead
 * letters of one reason from one destination instance (a random id per object, the {@code instance} tag); timestamps
 * are strictly increasing within an instance and never behind the clock, so a new dead letter never overwrites
 * another (TDengine keeps one row per sub-table and timestamp). Find them with, for example,
 * {@code SELECT ts, mqtt_topic, detail, payload_length FROM mqtt2td_dead_letters WHERE part = 0 AND reason = 'NO_ROUTE'}.
 *
 * <p>Storing: one INSERT per {@link #handleAll} call while it stays under the sink's statement limit. Every failure
 * (connection lost, database missing, a table that does not fit or cannot be written) throws
 * {@link RetriableSinkException}: the engine retries with the pipeline's back-off, and the messages stay
 * unacknowledged meanwhile. The next attempt connects afresh and checks the table again; a dead letter stored again
 * keeps its timestamps, so the rows of a half-done attempt are overwritten, not duplicated. Thread-safe: each writer
 * thread has its own connection. {@link #toString()} hides the credentials.
 *
 * @since 0.1.0
 */
public final class TDengineDeadLetters implements DeadLetterHandler {
    /** The super table when not set: {@value}. */
    public static final String DEFAULT_SUPER_TABLE = "mqtt2td_dead_letters";
    /** Payload bytes kept at most when not set: 4 MiB. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 4 << 20;
    /** The largest {@link Builder#maxPayloadBytes} accepted: 64 MiB. */
    public static final int MAX_PAYLOAD_BYTES = 64 << 20;

    private final TDengineSink sink;
    private final String superTable;
    private final int maxPayloadBytes;
    private final String instance;
    private final DeadLetterStore store;

    private TDengineDeadLetters(Builder b) {
        this.sink = b.sink;
        this.superTable = b.superTable;
        this.maxPayloadBytes = b.maxPayloadBytes;
        this.instance = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        this.store = new DeadLetterStore(new DeadLetterTable(sink.database(), superTable), sink::connections,
                maxPayloadBytes, sink.maxSqlBytes(), instance);
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the database the dead letters are kept in: the sink's.
     *
     * @return the database
     */
    public String database() {
        return sink.database();
    }

    /**
     * Returns the super table the dead letters are kept in.
     *
     * @return the name
     */
    public String superTable() {
        return superTable;
    }

    /**
     * Returns this destination's instance id (the {@code instance} tag of the rows it writes): random, one per object.
     *
     * @return 16 hex digits
     */
    public String instance() {
        return instance;
    }

    /**
     * Starts a replay of this destination's table: the same connection, database and super table (dead letters of
     * every instance are read).
     *
     * @return a new replay builder
     */
    public TDengineDeadLetterReplay.Builder replay() {
        return TDengineDeadLetterReplay.builder().sink(sink).superTable(superTable);
    }

    /**
     * Stores one dead letter (see {@link #handleAll}).
     *
     * @param deadLetter the dead letter
     * @throws RetriableSinkException when it could not be stored
     */
    @Override
    public void handle(DeadLetter deadLetter) {
        handleAll(List.of(deadLetter));
    }

    /**
     * Stores dead letters; returning means all are written. Called on a writer thread; blocks for the INSERTs.
     *
     * @param deadLetters the dead letters, not empty
     * @throws RetriableSinkException on any failure, naming the database, the table and TDengine's error
     */
    @Override
    public void handleAll(List<DeadLetter> deadLetters) {
        if (!deadLetters.isEmpty()) {
            store.store(deadLetters);
        }
    }

    /**
     * Returns {@code tdengine}.
     *
     * @return the destination's name in metrics
     */
    @Override
    public String destination() {
        return "tdengine";
    }

    /** Closes the connections; called once when the pipeline closes. */
    @Override
    public void close() {
        store.close();
    }

    @Override
    public String toString() {
        return "TDengineDeadLetters{" + sink.safeUrlForLogs() + ", database=" + sink.database() + ", superTable="
                + superTable + ", maxPayloadBytes=" + maxPayloadBytes + ", instance=" + instance + '}';
    }

    /** A super table name both builders take: checked as TDengine takes it. */
    static String checkSuperTable(String name) {
        Objects.requireNonNull(name, "superTable must not be null");
        try {
            Sql.checkIdentifier(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("superTable: " + e.getMessage(), e);
        }
        return name;
    }

    /** Builds a {@link TDengineDeadLetters}; mutable, not thread-safe, reusable. */
    public static final class Builder {
        private TDengineSink sink;
        private String superTable = DEFAULT_SUPER_TABLE;
        private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;

        private Builder() {
        }

        /**
         * Keeps the dead letters where this sink writes: its JDBC URL (native, WebSocket or REST) or DataSource, its
         * credentials and its database; required. The destination opens connections of its own.
         *
         * @param sink the pipeline's sink
         * @return this builder
         */
        public Builder sink(TDengineSink sink) {
            this.sink = Objects.requireNonNull(sink, "sink must not be null");
            return this;
        }

        /**
         * Sets the super table; default {@value TDengineDeadLetters#DEFAULT_SUPER_TABLE}.
         *
         * @param name a TDengine table name (no backquote, '.' or control character)
         * @return this builder
         */
        public Builder superTable(String name) {
            this.superTable = checkSuperTable(name);
            return this;
        }

        /**
         * Sets how many payload bytes are kept at most; longer payloads are stored truncated (the first bytes, their
         * true length and {@code truncated}; a WARN line says so) and are not replayed. Default 4 MiB
         * ({@link TDengineDeadLetters#DEFAULT_MAX_PAYLOAD_BYTES}).
         *
         * @param bytes 0 to {@link TDengineDeadLetters#MAX_PAYLOAD_BYTES}
         * @return this builder
         */
        public Builder maxPayloadBytes(int bytes) {
            if (bytes < 0 || bytes > MAX_PAYLOAD_BYTES) {
                throw new IllegalArgumentException("maxPayloadBytes must be between 0 and " + MAX_PAYLOAD_BYTES
                        + ", but was " + bytes);
            }
            this.maxPayloadBytes = bytes;
            return this;
        }

        /**
         * Builds the destination; nothing connects before the first dead letter.
         *
         * @return the destination
         * @throws IllegalStateException when the sink is not set, or is a dry run
         */
        public TDengineDeadLetters build() {
            if (sink == null) {
                throw new IllegalStateException("sink must be set: TDengineDeadLetters.builder().sink(tdengineSink)");
            }
            if (sink.dryRun()) {
                throw new IllegalStateException("sink is a dry run, which has no database to keep dead letters in");
            }
            return new TDengineDeadLetters(this);
        }
    }
}
