package io.github.mqtt2tdengine.internal.engine;

import io.github.mqtt2tdengine.DeadLetter;
import io.github.mqtt2tdengine.errors.RetriableSinkException;
import io.github.mqtt2tdengine.errors.SinkException;
import io.github.mqtt2tdengine.spi.Row;
import io.github.mqtt2tdengine.spi.Sink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer: takes work items from its queue, cuts batches by size and age, writes them with retries, and hands
 * messages whose rows are all committed to completion. Not API.
 *
 * <p>Threads: {@link #run()} is the body of writer thread {@code mqtt2td-<name>-writer-<index>}, and every field but
 * the queue and the published call is that thread's alone; transport threads call {@link #offer}; the watch thread and
 * {@code metrics()} read {@link #call()}, {@link #writtenCalls()}, {@link #lastWrittenNanos()} and
 * {@link #oldestIntakeNanos(long)}. It sees the pipeline only through {@link WriterCallbacks}, and decides when to
 * end from the phase: at once when FAILED or when a close gave up (ABANDONING), once its queue and batch are empty
 * when intake has stopped (STOPPING); while closing it writes what it holds without waiting for a full batch.
 *
 * <p>Delivery windows: a broker that sends at most W unacknowledged messages (mosquitto's {@code
 * max_inflight_messages}, EMQX's {@code max_inflight}, an MQTT 5 receive maximum) stops when W are in flight and
 * waits for acknowledgements, so a batch smaller than the batch size would otherwise wait {@code batchIdle} each
 * round. The writers learn W from the batches the idle rule writes ({@link DeliveryWindow}), and from then on a
 * writer writes its batch as soon as the pipeline's in-flight count reaches W and nothing more is queued for it (every
 * writer does: the broker waits for all of their acknowledgements). The same is done while the transport is paused at
 * {@code maxInFlight}. Under a steady stream the idle rule does not fire, so nothing is learned and batches fill as
 * before.
 */
final class Writer implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Writer.class);
    private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /**
     * How often one of several writers looks at the in-flight count while input may be held back: the item that
     * brings the count to the window may go to another writer, and nothing wakes this one.
     */
    private static final long HELD_BACK_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Sub-tables whose last receive-time timestamp is remembered for collision handling. */
    static final int MAX_TRACKED_TABLES = 100_000;

    private final String name;
    private final int index;
    private final Sink sink;
    private final WriterCallbacks host;
    private final EngineMetrics metrics;
    private final int maxRetries;
    private final long initialBackoffMillis;
    private final long maxBackoffMillis;
    private final WorkQueue queue = new WorkQueue();
    private final int maxRows;
    /** The most rows a batch may grow to under a backlog (at least maxRows). */
    private final int grownRows;
    /** The current batch size: maxRows, doubled after each full batch that left a backlog, up to grownRows. */
    private int limit;
    private final long maxAgeNanos;
    private final long idleNanos;
    private long lastArrival;
    /** Whether this is the pipeline's only writer (it then holds everything in flight, and wakes exactly at W). */
    private final boolean single;
    private final int maxInFlight;
    /** The delivery window learned, shared by the pipeline's writers. */
    private final DeliveryWindow deliveryWindow;
    private final List<Row> rows;
    private final List<InFlightMessage> owners;
    /** Dead letters of this batch (unmappable messages, and messages the sink rejected rows of), with their owners. */
    private final List<DeadLetter> dead = new ArrayList<>();
    private final List<InFlightMessage> deadOwners = new ArrayList<>();
    private final DeadLetterDestinations destinations;
    private long batchStart;
    /** When intake took the first message of the batch under way ({@link System#nanoTime()}); read by metrics(). */
    private volatile long batchOldestNanos = Long.MAX_VALUE;
    private long sequence;
    private final Map<String, long[]> lastTimestamps = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > MAX_TRACKED_TABLES;
        }
    };
    /** The sink call under way, null between calls; read by the stall watch and by metrics(). */
    private volatile SinkCall call;
    /** Sink calls that returned normally; only this writer's thread writes it. */
    private volatile long writtenCalls;
    /** When the last of {@link #writtenCalls} returned; published by the write of {@code writtenCalls}. */
    private long lastWrittenNanos;

    Writer(PipelineSettings settings, int index, int grownRows, WriterCallbacks host, EngineMetrics metrics,
            DeliveryWindow deliveryWindow, DeadLetterDestinations destinations) {
        this.deliveryWindow = deliveryWindow;
        this.destinations = destinations;
        this.name = settings.name();
        this.index = index;
        this.sink = settings.sink();
        this.host = host;
        this.metrics = metrics;
        this.maxRetries = settings.maxRetries();
        this.initialBackoffMillis = settings.retryInitialBackoff().toMillis();
        this.maxBackoffMillis = settings.retryMaxBackoff().toMillis();
        this.maxRows = settings.batchMaxRows();
        this.grownRows = Math.max(maxRows, grownRows);
        this.limit = maxRows;
        this.maxAgeNanos = settings.batchMaxAge().toNanos();
        this.idleNanos = Math.min(settings.batchIdle().toNanos(), maxAgeNanos);
        this.single = settings.writers() == 1;
        this.maxInFlight = settings.maxInFlight();
        this.rows = new ArrayList<>(maxRows);
        this.owners = new ArrayList<>(maxRows);
    }

    void offer(WorkItem item) {
        queue.add(item);
    }

    /**
     * When intake took the oldest message this writer holds (in its batch, else at the head of its queue).
     *
     * @param now the current {@link System#nanoTime()}, returned when it holds none
     * @return a {@link System#nanoTime()} value
     */
    long oldestIntakeNanos(long now) {
        long oldest = batchOldestNanos;
        if (oldest != Long.MAX_VALUE) {
            return oldest;
        }
        WorkItem head = queue.peek();
        return head == null ? now : head.message().intakeNanos;
    }

    SinkCall call() {
        return call;
    }

    long writtenCalls() {
        return writtenCalls;
    }

    long lastWrittenNanos() {
        return lastWrittenNanos;
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.debug("Pipeline '{}': writer {} interrupted, {} rows and {} dead letters left unacknowledged", name,
                    index, rows.size(), dead.size());
        } catch (RuntimeException | Error e) {
            host.fail(e);
            throw e;
        }
    }

    private void loop() throws InterruptedException {
        while (true) {
            Phase phase = host.phase();
            if (phase == Phase.FAILED) {
                return;
            }
            if (phase.writersMustEnd()) {
                // the close gave up: flush() writes nothing any more, so the rows would keep this loop going (a sink
                // that swallowed the close's interrupt leaves nothing else to end it)
                LOG.debug("Pipeline '{}': writer {} stops after the close timed out, {} rows and {} dead letters left "
                        + "unacknowledged", name, index, rows.size(), dead.size());
                return;
            }
            long now = System.nanoTime();
            long wait = empty() ? IDLE_POLL_NANOS
                    : Math.min(IDLE_POLL_NANOS, Math.max(0, Math.min(batchStart + maxAgeNanos,
                            lastArrival + idleNanos) - now));
            if (phase.closing() && !empty()) {
                wait = 0;
            }
            // woken early only for the first item of a batch or for as many items as fill it: under load once per
            // batch, and the idle rule reads the queue's last arrival instead of being woken for each message; with a
            // window learned, also when the in-flight count can reach it (the only writer knows how many items that
            // takes, one of several does not)
            int wakeAt = empty() ? 1 : Math.max(1, limit - size());
            int window = deliveryWindow.get();
            if (!empty()) {
                int bound = window > 0 ? Math.min(window, maxInFlight) : maxInFlight;
                if (single) {
                    wakeAt = Math.min(wakeAt, Math.max(1, bound - host.inFlight()));
                } else if (window > 0 || host.transportPaused()) {
                    wakeAt = 1;
                    wait = Math.min(wait, HELD_BACK_POLL_NANOS);
                }
            }
            WorkItem item = queue.poll(wait, wakeAt);
            if (item != null) {
                lastArrival = queue.lastAddNanos();
            }
            while (item != null) {
                handle(item);
                if (host.phase() == Phase.FAILED) {
                    return;
                }
                item = size() < limit ? queue.poll() : null;
            }
            FlushReason reason = empty() ? null : reason(System.nanoTime());
            if (reason != null) {
                flush(reason);
            }
            // in this order: the phase refuses messages, no transport thread admitted under the earlier phase is
            // still inside intake, and then nothing is queued (so no item reaches a writer that has ended)
            if (empty() && host.phase().intakeStopped() && host.intakeQuiet() && queue.isEmpty()) {
                return;
            }
        }
    }

    /** Whether this writer holds no rows and no dead letters. */
    private boolean empty() {
        return rows.isEmpty() && dead.isEmpty();
    }

    /** Rows and dead letters held: both count towards the batch size. */
    private int size() {
        return rows.size() + dead.size();
    }

    /** Whether (and why) the batch is written now; null to wait for more rows. */
    private FlushReason reason(long now) {
        if (size() >= limit) {
            return FlushReason.FULL;
        }
        if (now - batchStart >= maxAgeNanos) {
            return FlushReason.AGE;
        }
        if (!queue.isEmpty()) {
            return null;
        }
        if (host.phase().closing()) {
            return FlushReason.CLOSING;
        }
        if (heldBack()) {
            return FlushReason.WINDOW;
        }
        return now - lastArrival >= idleNanos ? FlushReason.IDLE : null;
    }

    /**
     * Whether no more messages come until acknowledgements flow: the transport is paused, or the in-flight count
     * reached the learned window. Read in this order: the count, then no transport thread inside intake, then the
     * queue empty, so every message counted has reached its writers and this one has taken its part.
     */
    private boolean heldBack() {
        if (host.transportPaused()) {
            return host.intakeQuiet() && queue.isEmpty();
        }
        int window = deliveryWindow.get();
        return window > 0 && host.inFlight() >= window && host.intakeQuiet() && queue.isEmpty();
    }

    private void handle(WorkItem item) throws InterruptedException {
        if (item.error() != null) {
            DeadLetter d = host.unmappable(item.message(), item.error());
            if (d != null) {
                startBatchIfEmpty(item.message());
                addDead(item.message(), d);
                if (size() >= limit) {
                    flush(FlushReason.FULL);
                }
            }
            return;
        }
        for (Row row : item.rows()) {
            Row r = item.collisions() == WorkItem.Collisions.NONE ? row
                    : collide(row, item.collisions() == WorkItem.Collisions.SHIFT);
            startBatchIfEmpty(item.message());
            rows.add(r);
            owners.add(item.message());
            if (size() >= limit) {
                flush(FlushReason.FULL);
                if (host.phase() == Phase.FAILED) {
                    return;
                }
            }
        }
    }

    private void startBatchIfEmpty(InFlightMessage first) {
        if (empty()) {
            batchStart = System.nanoTime();
            batchOldestNanos = first.intakeNanos;
        }
    }

    private void addDead(InFlightMessage owner, DeadLetter d) {
        dead.add(d);
        deadOwners.add(owner);
        destinations.pending(1);
    }

    private Row collide(Row row, boolean shift) {
        long ts = row.timestamp();
        long[] last = lastTimestamps.get(row.subTable());
        if (last == null) {
            lastTimestamps.put(row.subTable(), new long[] {ts});
            return row;
        }
        if (ts > last[0]) {
            last[0] = ts;
            return row;
        }
        if (!shift) {
            if (ts == last[0]) {
                metrics.collisions.increment();
            }
            return row;
        }
        metrics.collisions.increment();
        last[0] = last[0] + 1;
        return row.withTimestamp(last[0]);
    }

    private void flush(FlushReason reason) throws InterruptedException {
        // a full batch with as many rows again waiting is a backlog: let the next batch take more rows per sub-table;
        // a batch written by age, idle time or drain brings the size back
        limit = size() < limit ? maxRows : queue.size() >= limit ? Math.min(grownRows, limit * 2) : limit;
        if (!rows.isEmpty() && !writeRows(reason)) {
            return;
        }
        if (!dead.isEmpty() && !storeDeadLetters()) {
            return;
        }
        batchOldestNanos = Long.MAX_VALUE;
    }

    /** Writes the batch's rows and acknowledges the messages done; false when the pipeline failed or gave up. */
    private boolean writeRows(FlushReason reason) throws InterruptedException {
        sequence++;
        DefaultSinkBatch batch = new DefaultSinkBatch(sequence, new ArrayList<>(rows));
        long started = System.nanoTime();
        // the stall watch follows the batch from its first attempt until it is written or given up: a database that
        // is down may make each call hang (native client) or fail at once (a refused WebSocket connect), and the rows
        // wait either way
        int stalledAt = reason == FlushReason.IDLE ? host.inFlightAtLastArrival() : 0;
        long written = writtenCalls;
        SinkCall c = new SinkCall(index, sequence, rows.size(), started, written);
        call = c;
        host.sinkCallStarted();
        boolean ok = false;
        try {
            ok = writeWithRetries(batch);
        } finally {
            long now = System.nanoTime();
            c.end(ok, now);
            call = null;
            if (ok) {
                lastWrittenNanos = now;
                writtenCalls = written + 1;
            }
        }
        if (!ok) {
            return false;
        }
        if (reason == FlushReason.IDLE) {
            deliveryWindow.stalled(stalledAt);
        } else if (reason == FlushReason.WINDOW) {
            deliveryWindow.committedAtWindow(host.inFlight());
        }
        int n = rows.size();
        int rejected = batch.rejectedCount();
        metrics.batches.increment();
        metrics.flushes[reason.ordinal()].increment();
        metrics.rowsWritten.add(n - rejected);
        if (LOG.isDebugEnabled()) {
            LOG.debug("Pipeline '{}': batch {} written: {} rows ({} rejected) in {} ms ({}, {} in flight)", name,
                    sequence, n, rejected, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), reason,
                    host.inFlight());
        }
        recordLag(batch);
        for (int i = 0; i < n; i++) {
            InFlightMessage owner = owners.get(i);
            if (owner.rowDone(batch.rejection(i))) {
                DeadLetter d = host.completed(owner);
                if (d != null) {
                    addDead(owner, d);
                }
            }
        }
        rows.clear();
        owners.clear();
        return true;
    }

    /**
     * Stores this batch's dead letters at every destination, each retried alone with the sink's back-off until it
     * succeeds, then acknowledges their messages; false when the pipeline failed, aborted or gave up meanwhile (the
     * messages stay unacknowledged for the broker).
     */
    private boolean storeDeadLetters() throws InterruptedException {
        List<DeadLetterDestinations.Destination> left = new ArrayList<>(destinations.all());
        int attempt = 0;
        while (true) {
            if (host.phase().writersMustEnd()) {
                return false;
            }
            RuntimeException failure = null;
            for (var it = left.iterator(); it.hasNext(); ) {
                RuntimeException e = it.next().store(dead);
                if (e == null) {
                    it.remove();
                } else if (failure == null) {
                    failure = e;
                }
            }
            if (left.isEmpty()) {
                break;
            }
            metrics.lastError(failure.getMessage());
            if (maxRetries >= 0 && attempt >= maxRetries) {
                host.fail(new SinkException("Pipeline '" + name + "': " + dead.size() + " dead letter(s) could not be "
                        + "stored at " + left.get(0).name + " after " + attempt + " retries", failure));
                return false;
            }
            long delay = backoffMillis(attempt++);
            // one line per attempt (the stack only at DEBUG): each failing destination's own message is in metrics()
            LOG.warn("Pipeline '{}': {} dead letter(s) not stored at {} ({}); their messages stay unacknowledged, retry {} "
                    + "in {} ms", name, dead.size(), left.stream().map(d -> d.name).toList(), failure.getMessage(),
                    attempt, delay);
            LOG.debug("Pipeline '{}': dead-letter store failure", name, failure);
            if (!sleepBackoff(delay)) {
                return false;
            }
        }
        for (int i = 0, n = dead.size(); i < n; i++) {
            host.deadLetterStored(deadOwners.get(i), dead.get(i));
        }
        dead.clear();
        deadOwners.clear();
        return true;
    }

    /** Records the data lag of each committed row whose timestamp is the payload's own: commit time minus it. */
    private void recordLag(DefaultSinkBatch batch) {
        long nowUnits = Long.MIN_VALUE;
        long unitsPerSecond = 0;
        long nanos = 0;
        for (int i = 0, n = rows.size(); i < n; i++) {
            if (!owners.get(i).eventTime || batch.rejection(i) != null) {
                continue;
            }
            if (nowUnits == Long.MIN_VALUE) {
                unitsPerSecond = host.precision().unitsPerSecond();
                Instant now = Instant.now();
                nowUnits = Math.multiplyExact(now.getEpochSecond(), unitsPerSecond)
                        + now.getNano() / (1_000_000_000L / unitsPerSecond);
                nanos = System.nanoTime();
            }
            long lagUnits = nowUnits - rows.get(i).timestamp();
            long micros = unitsPerSecond >= 1_000_000 ? lagUnits / (unitsPerSecond / 1_000_000)
                    : lagUnits > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : lagUnits * (1_000_000 / unitsPerSecond);
            metrics.dataLag.record(micros, nanos);
        }
    }

    /** Writes a batch, retrying retriable failures; false when the pipeline failed, aborted or gave up meanwhile. */
    private boolean writeWithRetries(DefaultSinkBatch batch) throws InterruptedException {
        int attempt = 0;
        while (true) {
            if (host.phase().writersMustEnd()) {
                return false;
            }
            try {
                sink.write(batch);
                return true;
            } catch (RetriableSinkException e) {
                batch.clearRejections();
                metrics.retries.increment();
                metrics.lastError(e.getMessage());
                if (maxRetries >= 0 && attempt >= maxRetries) {
                    host.fail(new SinkException("Pipeline '" + name + "': batch " + sequence + " of "
                            + rows.size() + " rows still failed after " + attempt + " retries", e));
                    return false;
                }
                long delay = backoffMillis(attempt++);
                LOG.warn("Pipeline '{}': batch {} of {} rows failed ({}), retry {} in {} ms", name, sequence,
                        rows.size(), e.getMessage(), attempt, delay);
                if (!sleepBackoff(delay)) {
                    return false;
                }
            } catch (RuntimeException e) {
                host.fail(e instanceof SinkException ? e : new SinkException("Pipeline '" + name
                        + "': sink threw " + e.getClass().getName() + " writing batch " + sequence, e));
                return false;
            }
        }
    }

    private long backoffMillis(int attempt) {
        long initial = initialBackoffMillis;
        long max = maxBackoffMillis;
        long exp = attempt >= 30 ? max : Math.min(max, initial << attempt);
        long half = Math.max(1, exp / 2);
        return half + ThreadLocalRandom.current().nextLong(half + 1);
    }

    private boolean sleepBackoff(long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            if (host.phase().writersMustEnd()) {
                return false;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
        }
        return true;
    }
}
