package io.github.mqtt2tdengine.tdengine.internal;

import io.github.mqtt2tdengine.DeadLetter;
import io.github.mqtt2tdengine.errors.RetriableSinkException;
import io.github.mqtt2tdengine.errors.SinkException;
import io.github.mqtt2tdengine.payload.TimePrecision;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes dead letters into the dead-letter super table ({@link DeadLetterTable}): creates it when missing and checks
 * an existing one, reads the database precision, gives each dead letter consecutive timestamps that no other dead
 * letter of this store has (strictly increasing, in the database's precision, never behind the clock), cuts payloads
 * into parts, and sends one INSERT per call while it stays within the statement limit. A dead letter that is stored
 * again after a failed attempt keeps its timestamps, so the rows of the first attempt are overwritten, not
 * duplicated. Every failure is a {@link RetriableSinkException}; after one, the next call connects afresh and checks
 * the table again. Thread-safe: each writer thread uses its own connection. Not API; may change in any release.
 */
public final class DeadLetterStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterStore.class);

    private final DeadLetterTable table;
    private final Function<String, Connections> connect;
    private final int maxPayloadBytes;
    private final int maxSqlBytes;
    private final String instance;
    private final Object lock = new Object();
    /** Guarded by lock. */
    private long lastTs = Long.MIN_VALUE;
    /** The first timestamp given to each dead letter not yet stored; guarded by lock. Keys compare by identity. */
    private final Map<DeadLetter, Long> assigned = new WeakHashMap<>();
    /** Sub-table names by pipeline and reason. */
    private final Map<String, String> subTables = new ConcurrentHashMap<>();
    /** Made on first use, named after the first dead letter's pipeline; guarded by lock. */
    private Connections connections;
    /** The database's precision once the table is known to fit; null until then, and again after a failure. */
    private volatile TimePrecision precision;

    /**
     * Creates the store.
     *
     * @param table the layout and names
     * @param connect makes the connections, given the pipeline's name for messages
     * @param maxPayloadBytes payload bytes kept at most; longer payloads are stored truncated
     * @param maxSqlBytes the longest statement
     * @param instance this store's instance tag: distinct from every other store's
     */
    public DeadLetterStore(DeadLetterTable table, Function<String, Connections> connect, int maxPayloadBytes,
            int maxSqlBytes, String instance) {
        this.table = table;
        this.connect = connect;
        this.maxPayloadBytes = maxPayloadBytes;
        this.maxSqlBytes = maxSqlBytes;
        this.instance = instance;
    }

    /**
     * Stores dead letters; returns only when all are written.
     *
     * @param deadLetters the dead letters, not empty
     * @throws RetriableSinkException on any failure, naming the database, the table and TDengine's error
     */
    public void store(List<DeadLetter> deadLetters) {
        Connections c = connections(deadLetters.get(0).pipelineName());
        String what = "cannot store " + deadLetters.size() + " dead letter(s) in " + table.qualifiedName();
        try {
            Connections.Session session = c.current();
            try (Statement st = session.connection().createStatement()) {
                TimePrecision p = prepare(c, st, deadLetters.get(0).pipelineName());
                List<DeadLetterTable.Part> parts = parts(deadLetters, p);
                table.inserts(parts, session.qualified(), maxSqlBytes, st::executeUpdate);
            }
        } catch (SQLException e) {
            precision = null;
            c.discardCurrent();
            throw retriable(c.failure(what, e));
        } catch (SinkException e) {
            precision = null;
            c.discardCurrent();
            throw retriable(e);
        }
        synchronized (lock) {
            for (DeadLetter d : deadLetters) {
                assigned.remove(d);
            }
        }
    }

    private static RetriableSinkException retriable(RuntimeException e) {
        return e instanceof RetriableSinkException r ? r : new RetriableSinkException(e.getMessage(), e.getCause());
    }

    private Connections connections(String pipelineName) {
        synchronized (lock) {
            if (connections == null) {
                connections = connect.apply(pipelineName);
            }
            return connections;
        }
    }

    /** Checks (once, and again after a failure) that the database exists and the table fits; returns the precision. */
    private TimePrecision prepare(Connections c, Statement st, String pipelineName) throws SQLException {
        TimePrecision p = precision;
        if (p != null) {
            return p;
        }
        p = table.precision(st);
        if (p == null) {
            throw new RetriableSinkException("Pipeline '" + pipelineName + "': TDengine dead letters: database `"
                    + table.database() + "` does not exist; dead letters wait (unacknowledged) until it does");
        }
        LOG.debug("TDengine: {}", table.createSql());
        st.execute(table.createSql());
        List<String> problems = table.check(st);
        if (!problems.isEmpty()) {
            throw new RetriableSinkException("Pipeline '" + pipelineName + "': TDengine dead letters: super table "
                    + table.qualifiedName() + " exists but does not fit the dead-letter layout: "
                    + String.join("; ", problems) + "; drop or rename it, or choose another superTable(...); dead "
                    + "letters wait (unacknowledged) until then");
        }
        if (precision == null) {
            LOG.info("Pipeline '{}': dead letters are kept in TDengine super table {} (precision {}), instance {}",
                    pipelineName, table.qualifiedName(), p.sqlName(), instance);
        }
        // INSERTs name their tables without the database from now on where the connection allows (USE db): the native
        // client logs a line for every database-qualified table clause
        c.databaseReady();
        precision = p;
        return p;
    }

    /** The rows of the dead letters, grouped by sub-table, with their timestamps. */
    private List<DeadLetterTable.Part> parts(List<DeadLetter> deadLetters, TimePrecision p) {
        Map<String, List<DeadLetterTable.Part>> bySubTable = new LinkedHashMap<>();
        for (DeadLetter d : deadLetters) {
            byte[] payload = d.payload();
            int kept = Math.min(payload.length, maxPayloadBytes);
            String topic = DeadLetterTable.clean(d.topic(), DeadLetterTable.TOPIC_BYTES);
            boolean truncated = kept < payload.length || !topic.equals(d.topic());
            int parts = Math.max(1, (kept + DeadLetterTable.PART_BYTES - 1) / DeadLetterTable.PART_BYTES);
            long first = timestamps(d, parts, p, truncated);
            String pipeline = DeadLetterTable.clean(d.pipelineName(), DeadLetterTable.PIPELINE_BYTES);
            String reason = d.reason().name();
            String subTable = subTable(pipeline, reason);
            String detail = DeadLetterTable.clean(d.message(), DeadLetterTable.DETAIL_BYTES);
            long receivedAt = DeadLetterTable.toUnits(d.receivedAt(), p);
            List<DeadLetterTable.Part> rows = bySubTable.computeIfAbsent(subTable, k -> new ArrayList<>());
            for (int i = 0; i < parts; i++) {
                int offset = i * DeadLetterTable.PART_BYTES;
                rows.add(new DeadLetterTable.Part(subTable, pipeline, reason, instance, first + i, receivedAt,
                        i == 0 ? topic : null, d.qos(), i == 0 ? detail : null, payload, offset,
                        Math.min(DeadLetterTable.PART_BYTES, kept - offset), payload.length, i, parts, truncated));
            }
        }
        List<DeadLetterTable.Part> all = new ArrayList<>();
        bySubTable.values().forEach(all::addAll);
        return all;
    }

    /**
     * The first of {@code parts} consecutive timestamps for a dead letter: the ones it was given before when this is a
     * retry, else new ones after every timestamp given so far and not before now.
     */
    private long timestamps(DeadLetter d, int parts, TimePrecision p, boolean truncated) {
        synchronized (lock) {
            Long before = assigned.get(d);
            if (before != null) {
                return before;
            }
            long now = DeadLetterTable.toUnits(Instant.now(), p);
            long first = lastTs == Long.MIN_VALUE ? now : Math.max(now, lastTs + 1);
            lastTs = first + parts - 1;
            assigned.put(d, first);
            if (truncated) {
                LOG.warn("Pipeline '{}': dead letter on topic '{}' ({}) stored truncated in {}: payload {} bytes, "
                        + "{} kept (maxPayloadBytes {}){}; it will not be replayed", d.pipelineName(),
                        DeadLetterTable.clean(d.topic(), 256), d.reason(), table.qualifiedName(), d.payload().length,
                        Math.min(d.payload().length, maxPayloadBytes), maxPayloadBytes,
                        DeadLetterTable.clean(d.topic(), DeadLetterTable.TOPIC_BYTES).equals(d.topic()) ? ""
                                : ", topic not storable whole");
            }
            return first;
        }
    }

    /** {@code dl_} and 32 hex digits of a hash of the super table, pipeline, reason and instance. */
    private String subTable(String pipeline, String reason) {
        return subTables.computeIfAbsent(pipeline + '\0' + reason, k -> {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] h = sha.digest((table.superTable() + '\0' + k + '\0' + instance)
                        .getBytes(StandardCharsets.UTF_8));
                return "dl_" + HexFormat.of().formatHex(h, 0, 16);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
        });
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (connections != null) {
                connections.close();
            }
        }
    }
}
