package io.github.mqtt2tdengine.tdengine.internal;

import io.github.mqtt2tdengine.errors.TransportException;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.spi.ConnectionState;
import io.github.mqtt2tdengine.spi.InboundMessage;
import io.github.mqtt2tdengine.spi.TransportContext;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Reads the dead letters of a {@link DeadLetterTable} and hands them to a pipeline as messages; deletes each one's
 * rows once the pipeline acknowledged it. The selection is fixed at {@link #start}: the sub-tables with dead letters
 * then, each up to its last row then, from {@code since} on, so dead letters the replay itself causes are not read
 * again. One thread ({@code mqtt2td-dead-letter-replay}) reads page by page, sub-table by sub-table, waits while the
 * pipeline paused it or {@code maxInFlight} messages are unacknowledged, and runs the deletes the acknowledgements
 * queue. Truncated dead letters (and incomplete ones: parts missing) are counted and left in place. Not API; may
 * change in any release.
 */
public final class DeadLetterReplayer {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReplayer.class);
    /** The MDC key library threads set to the pipeline's name. */
    private static final String MDC_KEY = "mqtt2td.pipeline";
    private static final int PAGE_ROWS = 32;
    private static final int MAX_ATTEMPTS = 8;
    private static final long FIRST_BACKOFF_MILLIS = 200;
    private static final long MAX_BACKOFF_MILLIS = 5_000;
    private static final long CLOSE_WAIT_MILLIS = 10_000;

    private final DeadLetterTable table;
    private final Connections connections;
    private final Instant since;
    private final String reason;
    private final String pipeline;
    private final String label;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Guarded by lock. */
    private final ArrayDeque<Key> deletes = new ArrayDeque<>();
    /** Guarded by lock. */
    private int inFlight;
    private volatile boolean paused;
    private volatile boolean closed;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicLong found = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong truncated = new AtomicLong();
    private final AtomicLong incomplete = new AtomicLong();
    private volatile Thread thread;
    private TransportContext context;
    private int maxInFlight;
    private TimePrecision precision;
    private long fromTs;
    private List<SubTable> subTables;

    /** A sub-table selected, with the timestamp of its last row when the replay started. */
    private record SubTable(String name, long lastTs) {
    }

    /** Where one dead letter's rows are. */
    private record Key(String subTable, long firstTs, long lastTs) {
    }

    /** The replay was closed: stop reading. */
    private static final class Closed extends Exception {
        private static final long serialVersionUID = 1L;

        Closed() {
            super(null, null, false, false);
        }
    }

    /**
     * Creates the replay of a table.
     *
     * @param table the dead-letter table
     * @param connections connections to its database, owned by this replay from now on
     * @param since the first store time selected, or null for all
     * @param reason the reason's name selected, or null for every reason
     * @param pipeline the pipeline's name selected (as stored), or null for every pipeline
     */
    public DeadLetterReplayer(DeadLetterTable table, Connections connections, Instant since, String reason,
            String pipeline) {
        this.table = table;
        this.connections = connections;
        this.since = since;
        this.reason = reason;
        this.pipeline = pipeline;
        this.label = "dead-letter replay of " + table.qualifiedName();
    }

    /**
     * Fixes the selection (precision, sub-tables, time range) on the calling thread, then starts reading.
     *
     * @param context where the messages go
     * @throws TransportException when the database cannot be reached or does not exist
     * @throws IllegalStateException when called twice
     */
    public void start(TransportContext context) {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the " + label + " is already started");
        }
        this.context = context;
        this.maxInFlight = Math.max(1, context.maxInFlight());
        try (Connection c = connections.open(); Statement st = c.createStatement()) {
            precision = table.precision(st);
            if (precision == null) {
                throw new TransportException(label + ": database `" + table.database() + "` does not exist");
            }
            fromTs = since == null ? 0 : Math.max(0, DeadLetterTable.toUnits(since, precision));
            subTables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(table.listSubTables(fromTs, reason, pipeline))) {
                while (rs.next()) {
                    subTables.add(new SubTable(rs.getString(1), rs.getLong(2)));
                }
            } catch (SQLException e) {
                if (!ErrorCodes.isTableMissing(e)) {
                    throw e;
                }
                LOG.info("{}: the super table does not exist, so there is nothing to replay", label);
            }
        } catch (SQLException e) {
            throw new TransportException(label + ": " + connections.failure("cannot read", e).getMessage(), e);
        } catch (RuntimeException e) {
            connections.close();
            throw e instanceof TransportException t ? t : new TransportException(label + ": "
                    + connections.redact(String.valueOf(e.getMessage())), e);
        }
        LOG.info("{}: {} sub-table(s) selected (reason {}, pipeline {}, stored from {} until now)", label,
                subTables.size(), reason == null ? "any" : reason, pipeline == null ? "any" : "'" + pipeline + "'",
                since == null ? "the beginning" : since);
        context.onConnectionStateChanged(ConnectionState.CONNECTED, "TDengine " + connections.safeUrl() + " "
                + table.qualifiedName());
        Thread t = new Thread(this::run, "mqtt2td-dead-letter-replay");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /**
     * Returns a future completed once every selected dead letter was delivered, acknowledged and deleted (or skipped);
     * completed exceptionally when reading or deleting failed, or the replay was closed before.
     *
     * @return the future
     */
    public CompletableFuture<Void> done() {
        return done;
    }

    /**
     * Counts what the replay did so far: found (complete dead letters selected), delivered, deleted, truncated,
     * incomplete.
     *
     * @return five counters in that order
     */
    public long[] counts() {
        return new long[] {found.get(), delivered.get(), deleted.get(), truncated.get(), incomplete.get()};
    }

    /** Stops delivering until {@link #resume()}. */
    public void pause() {
        paused = true;
    }

    /** Delivers again. */
    public void resume() {
        paused = false;
        signal();
    }

    /**
     * Stops reading, runs the deletes already queued (acknowledged before the close), and ends the thread; waits up to
     * ten seconds for it. Idempotent.
     */
    public void close() {
        closed = true;
        signal();
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(CLOSE_WAIT_MILLIS);
                if (t.isAlive()) {
                    t.interrupt();
                    t.join(CLOSE_WAIT_MILLIS / 5);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!done.isDone()) {
            done.completeExceptionally(new TransportException(label + ": closed before every dead letter was "
                    + "replayed: " + delivered.get() + " delivered, " + deleted.get() + " deleted"));
        }
        connections.close();
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ the replay thread

    private void run() {
        String previous = MDC.get(MDC_KEY);
        if (pipeline != null) {
            MDC.put(MDC_KEY, pipeline);
        }
        try {
            for (SubTable subTable : subTables) {
                replay(subTable.name(), subTable.lastTs());
            }
            LOG.info("{}: all read ({} found, {} truncated and {} incomplete left in place); waiting for {} "
                    + "acknowledgement(s)", label, found.get(), truncated.get(), incomplete.get(), inFlight());
            awaitAcknowledged();
            LOG.info("{}: done: {} delivered, {} deleted, {} truncated and {} incomplete left in place", label,
                    delivered.get(), deleted.get(), truncated.get(), incomplete.get());
            done.complete(null);
        } catch (Closed e) {
            runDeletesOnce();
        } catch (RuntimeException | SQLException e) {
            TransportException failure = e instanceof TransportException t ? t : new TransportException(label
                    + ": " + (e instanceof SQLException s ? connections.failure("failed", s).getMessage()
                    : connections.redact(e.toString())), e);
            done.completeExceptionally(failure);
            if (!closed) {
                context.onTransportFailed(failure); // the pipeline fails and logs it
            }
        } finally {
            connections.discardCurrent();
            if (previous == null) {
                MDC.remove(MDC_KEY);
            } else {
                MDC.put(MDC_KEY, previous);
            }
        }
    }

    private int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads one sub-table's dead letters in timestamp order and delivers the complete ones, up to the last one stored
     * when the replay started.
     */
    private void replay(String subTable, long untilTs) throws Closed, SQLException {
        long cursor = fromTs;
        Assembly partial = null;
        while (true) {
            long from = cursor;
            List<DeadLetterTable.Stored> page = withRetry("read " + subTable, st -> {
                List<DeadLetterTable.Stored> rows = new ArrayList<>(PAGE_ROWS);
                boolean rest = connections.isRest(st.getConnection());
                try (ResultSet rs = st.executeQuery(table.selectPage(subTable, from, PAGE_ROWS,
                        connections.current().qualified()))) {
                    while (rs.next()) {
                        rows.add(DeadLetterTable.read(rs, rest));
                    }
                }
                return rows;
            });
            for (DeadLetterTable.Stored r : page) {
                cursor = r.ts() + 1;
                if (r.part() == 0) {
                    if (partial != null) {
                        incomplete(subTable, partial);
                    }
                    partial = null;
                    if (r.ts() > untilTs) {
                        return; // stored after the replay started
                    }
                    partial = new Assembly(subTable, r);
                } else if (partial == null) {
                    continue; // a part of a dead letter stored before `since`
                } else if (!partial.accepts(r)) {
                    incomplete(subTable, partial);
                    partial = null;
                    continue;
                } else {
                    partial.add(r);
                }
                if (partial.complete()) {
                    deliver(partial);
                    partial = null;
                }
            }
            if (page.size() < PAGE_ROWS) {
                break;
            }
        }
        if (partial != null) {
            incomplete(subTable, partial);
        }
    }

    private void incomplete(String subTable, Assembly a) {
        incomplete.incrementAndGet();
        LOG.warn("{}: dead letter at {} in sub-table {} has {} of its {} parts (still being written, or a write that "
                + "was never finished); left in place", label, a.first.ts(), subTable, a.rows.size(), a.first.parts());
    }

    private void deliver(Assembly a) throws Closed, SQLException {
        DeadLetterTable.Stored first = a.first;
        byte[] payload = first.truncated() ? null : a.payload();
        if (!first.truncated() && payload == null) {
            incomplete(a.subTable, a);
            return;
        }
        found.incrementAndGet();
        if (first.truncated()) {
            truncated.incrementAndGet();
            LOG.warn("{}: dead letter at {} in sub-table {} (topic '{}', payload {} bytes) was stored truncated and "
                    + "cannot be replayed; left in place", label, first.ts(), a.subTable,
                    DeadLetterTable.clean(first.topic() == null ? "" : first.topic(), 256), first.payloadLength());
            return;
        }
        Key key = new Key(a.subTable, first.ts(), a.lastTs());
        Message m = new Message(first.topic() == null ? "" : first.topic(), payload, first.qos(),
                DeadLetterTable.fromUnits(first.receivedAt(), precision), key);
        lock.lock();
        try {
            while (!closed && (paused || inFlight >= maxInFlight)) {
                if (!deletes.isEmpty()) {
                    lock.unlock();
                    try {
                        runDeletes();
                    } finally {
                        lock.lock();
                    }
                    continue;
                }
                changed.await(1, TimeUnit.SECONDS);
            }
            if (closed) {
                throw new Closed();
            }
            inFlight++;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Closed();
        } finally {
            lock.unlock();
        }
        delivered.incrementAndGet();
        context.onMessage(m);
        runDeletes();
    }

    /** Waits until every delivered message was acknowledged and its rows deleted. */
    private void awaitAcknowledged() throws Closed, SQLException {
        while (true) {
            runDeletes();
            lock.lock();
            try {
                if (closed) {
                    throw new Closed();
                }
                if (inFlight == 0 && deletes.isEmpty()) {
                    return;
                }
                if (deletes.isEmpty()) {
                    changed.await(1, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Closed();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Deletes the rows of the dead letters acknowledged so far. */
    private void runDeletes() throws Closed, SQLException {
        while (true) {
            Key key;
            lock.lock();
            try {
                key = deletes.peek();
            } finally {
                lock.unlock();
            }
            if (key == null) {
                return;
            }
            withRetry("delete from " + key.subTable(), st -> st.executeUpdate(table.delete(key.subTable(),
                    key.firstTs(), key.lastTs(), connections.current().qualified())));
            deleted.incrementAndGet();
            lock.lock();
            try {
                deletes.poll();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** On close: one attempt at each delete acknowledged before it. */
    private void runDeletesOnce() {
        List<Key> left;
        lock.lock();
        try {
            left = new ArrayList<>(deletes);
            deletes.clear();
        } finally {
            lock.unlock();
        }
        for (Key key : left) {
            try (Statement st = connections.current().connection().createStatement()) {
                st.executeUpdate(table.delete(key.subTable(), key.firstTs(), key.lastTs(),
                        connections.current().qualified()));
                deleted.incrementAndGet();
            } catch (SQLException | RuntimeException e) {
                LOG.warn("{}: closing: dead letter at {} in sub-table {} was replayed but could not be deleted ({}); "
                        + "a later replay delivers it again", label, key.firstTs(), key.subTable(),
                        connections.redact(e.toString()));
            }
        }
    }

    /** A step on this thread's connection. */
    private interface Step<T> {
        T run(Statement st) throws SQLException;
    }

    /** Runs a step, again after a connection error with back-off, at most {@value #MAX_ATTEMPTS} times. */
    private <T> T withRetry(String what, Step<T> step) throws Closed, SQLException {
        long backoff = FIRST_BACKOFF_MILLIS;
        for (int attempt = 1; ; attempt++) {
            if (closed) {
                throw new Closed();
            }
            try (Statement st = connections.current().connection().createStatement()) {
                return step.run(st);
            } catch (SQLException | RuntimeException e) {
                connections.discardCurrent();
                if (attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                LOG.warn("{}: cannot {} ({}); attempt {} of {}, again in {} ms", label, what,
                        connections.redact(e instanceof SQLException s ? ErrorCodes.describe(s) : String.valueOf(
                                e.getMessage())), attempt, MAX_ATTEMPTS,
                        backoff);
            }
            lock.lock();
            try {
                long nanos = TimeUnit.MILLISECONDS.toNanos(backoff);
                while (!closed && nanos > 0) {
                    nanos = changed.awaitNanos(nanos);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Closed();
            } finally {
                lock.unlock();
            }
            backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        }
    }

    /** Engine's writer thread: a message was written (or dead-lettered again): queue its delete. */
    private void acknowledged(Key key) {
        lock.lock();
        try {
            deletes.add(key);
            inFlight--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The rows of one dead letter read so far. */
    private static final class Assembly {
        final String subTable;
        final DeadLetterTable.Stored first;
        final List<DeadLetterTable.Stored> rows = new ArrayList<>();

        Assembly(String subTable, DeadLetterTable.Stored first) {
            this.subTable = subTable;
            this.first = first;
            rows.add(first);
        }

        long lastTs() {
            return rows.get(rows.size() - 1).ts();
        }

        boolean accepts(DeadLetterTable.Stored r) {
            return r.part() == rows.size() && r.parts() == first.parts() && r.ts() == lastTs() + 1;
        }

        void add(DeadLetterTable.Stored r) {
            rows.add(r);
        }

        boolean complete() {
            return rows.size() >= first.parts();
        }

        /** The payload put together, or null when the parts do not add up to its length. */
        byte[] payload() {
            long total = 0;
            for (DeadLetterTable.Stored r : rows) {
                total += r.payload().length;
            }
            if (total != first.payloadLength()) {
                return null;
            }
            byte[] out = new byte[(int) total];
            int at = 0;
            for (DeadLetterTable.Stored r : rows) {
                System.arraycopy(r.payload(), 0, out, at, r.payload().length);
                at += r.payload().length;
            }
            return out;
        }
    }

    /** A replayed dead letter as the pipeline sees it. */
    private final class Message implements InboundMessage {
        private final String topic;
        private final byte[] payload;
        private final int qos;
        private final Instant receivedAt;
        private final Key key;
        private final AtomicBoolean acked = new AtomicBoolean();

        Message(String topic, byte[] payload, int qos, Instant receivedAt, Key key) {
            this.topic = topic;
            this.payload = payload;
            this.qos = qos;
            this.receivedAt = receivedAt;
            this.key = key;
        }

        @Override
        public String topic() {
            return topic;
        }

        @Override
        public byte[] payload() {
            return payload;
        }

        @Override
        public int qos() {
            return qos;
        }

        @Override
        public Instant receivedAt() {
            return receivedAt;
        }

        @Override
        public void acknowledge() {
            if (acked.compareAndSet(false, true)) {
                acknowledged(key);
            }
        }

        @Override
        public String toString() {
            return "ReplayedDeadLetter{" + topic + ", " + payload.length + " bytes, " + key.subTable() + "@"
                    + key.firstTs() + '}';
        }
    }
}
