package io.github.mqtt2tdengine.internal.engine;

import io.github.mqtt2tdengine.BadMessagePolicy;
import io.github.mqtt2tdengine.DeadLetter;
import io.github.mqtt2tdengine.DeadLetterReason;
import io.github.mqtt2tdengine.PayloadException;
import io.github.mqtt2tdengine.PipelineException;
import io.github.mqtt2tdengine.PipelineListener;
import io.github.mqtt2tdengine.PipelineMetrics;
import io.github.mqtt2tdengine.PipelineState;
import io.github.mqtt2tdengine.Preview;
import io.github.mqtt2tdengine.SinkException;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.TransportException;
import io.github.mqtt2tdengine.internal.payload.Mapping;
import io.github.mqtt2tdengine.internal.payload.MappedMessage;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.payload.TimestampCollisionPolicy;
import io.github.mqtt2tdengine.spi.ConnectionState;
import io.github.mqtt2tdengine.spi.InboundMessage;
import io.github.mqtt2tdengine.spi.MessageHandler;
import io.github.mqtt2tdengine.spi.Row;
import io.github.mqtt2tdengine.spi.SinkContext;
import io.github.mqtt2tdengine.spi.TableSchema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The engine: transport → mapping → writer queues → batches → sink → acknowledgements. Not API; may change in any
 * release.
 */
public final class DefaultSyncPipeline implements SyncPipeline {
    /** MDC key set on library threads. */
    public static final String MDC_KEY = "mqtt2td.pipeline";
    private static final Logger LOG = LoggerFactory.getLogger(DefaultSyncPipeline.class);

    private final PipelineSettings settings;
    private final String name;
    private final EngineMetrics metrics = new EngineMetrics();
    private final Object lifecycle = new Object();
    private final Object flowLock = new Object();
    private final Object drainMonitor = new Object();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final int resumeAt;
    private final long overBoundAt;
    private final Writer[] writers;
    private final Thread[] threads;
    private final StallWatch stallWatch;
    private final AtomicInteger liveWriters = new AtomicInteger();
    private final AtomicBoolean sinkClosed = new AtomicBoolean();
    private final AtomicBoolean transportClosed = new AtomicBoolean();
    private volatile PipelineState state = PipelineState.NEW;
    private volatile TimePrecision precision = TimePrecision.MILLISECONDS;
    private volatile boolean accepting;
    private volatile boolean draining;
    private volatile boolean aborted;
    private volatile boolean paused;
    private volatile boolean overBound;

    /**
     * Creates the engine from validated settings.
     *
     * @param settings the settings
     */
    public DefaultSyncPipeline(PipelineSettings settings) {
        this.settings = settings;
        this.name = settings.name();
        this.resumeAt = settings.maxInFlight() / 2;
        // a transport that stops reading still delivers the reads under way (HiveMqTransport: up to 128 KiB)
        this.overBoundAt = Math.max(2L * settings.maxInFlight(), settings.maxInFlight() + 8_192L);
        this.writers = new Writer[settings.writers()];
        this.threads = new Thread[settings.writers()];
        for (int i = 0; i < writers.length; i++) {
            int grown = (int) Math.min((long) settings.batchMaxRows() * settings.batchGrowth(),
                    Math.max(settings.batchMaxRows(), settings.maxInFlight() / (2L * writers.length)));
            writers[i] = new Writer(this, i, settings.batchMaxRows(), grown, settings.batchMaxAge().toNanos(),
                    settings.batchIdle().toNanos());
        }
        this.stallWatch = new StallWatch(name, writers, settings.stallWarning(), metrics, this::notifyListeners);
    }

    @Override
    public String name() {
        return name;
    }

    PipelineSettings settings() {
        return settings;
    }

    EngineMetrics counters() {
        return metrics;
    }

    StallWatch stallWatch() {
        return stallWatch;
    }

    boolean isFailed() {
        return state == PipelineState.FAILED;
    }

    boolean isDraining() {
        return draining;
    }

    boolean isAborted() {
        return aborted;
    }

    @Override
    public PipelineState state() {
        return state;
    }

    @Override
    public PipelineMetrics metrics() {
        Map<String, Long> notFound = new TreeMap<>();
        for (Mapping m : settings.router().mappings()) {
            m.addNotFound(notFound);
        }
        return metrics.snapshot(state, inFlight.get(), stallWatch.longestStallMillis(), notFound);
    }

    @Override
    public List<TableSchema> tables() {
        return settings.router().tables();
    }

    @Override
    public Preview preview(String topic, byte[] payload) {
        return preview(topic, payload, precision);
    }

    @Override
    public Preview preview(String topic, byte[] payload, TimePrecision precision) {
        Objects.requireNonNull(topic, "topic must not be null");
        Objects.requireNonNull(payload, "payload must not be null");
        Objects.requireNonNull(precision, "precision must not be null");
        try {
            MappedMessage m = settings.router().map(topic, payload, 1, Instant.now(), precision);
            return Preview.ofRows(topic, m.rows(), m.filtered());
        } catch (PayloadException e) {
            return Preview.ofError(topic, e);
        }
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (state != PipelineState.NEW) {
                throw new IllegalStateException("Pipeline '" + name + "' is already "
                        + (state == PipelineState.CLOSED || state == PipelineState.FAILED ? "closed" : "started"));
            }
            setState(PipelineState.STARTING);
            LOG.info("Pipeline '{}' starting: {} mapping(s), {} writer(s), batches of {} rows / {} ms, {} in flight",
                    name, settings.router().mappings().size(), writers.length, settings.batchMaxRows(),
                    settings.batchMaxAge().toMillis(), settings.maxInFlight());
            CompletableFuture<TimePrecision> opened = new CompletableFuture<>();
            startWriter(0, opened);
            try {
                precision = opened.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                abortStart(new SinkException("Pipeline '" + name + "': interrupted while opening the sink", e));
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                abortStart(cause instanceof PipelineException ? (PipelineException) cause : new SinkException(
                        "Pipeline '" + name + "': sink failed to open: " + cause, cause));
            }
            for (int i = 1; i < writers.length; i++) {
                startWriter(i, null);
            }
            accepting = true;
            try {
                settings.transport().start(new Intake());
            } catch (RuntimeException e) {
                abortStart(e instanceof PipelineException ? (PipelineException) e : new TransportException(
                        "Pipeline '" + name + "': transport failed to start: " + e, e));
            }
            if (state == PipelineState.STARTING) {
                setState(PipelineState.RUNNING);
                LOG.info("Pipeline '{}' running, precision {}", name, precision.sqlName());
            }
        }
    }

    private void startWriter(int i, CompletableFuture<TimePrecision> opened) {
        Thread t = new Thread(() -> {
            MDC.put(MDC_KEY, name);
            try {
                if (opened != null) {
                    try {
                        settings.sink().open(new Context());
                        TimePrecision p = Objects.requireNonNull(settings.sink().precision(),
                                "sink precision must not be null");
                        opened.complete(p);
                    } catch (RuntimeException e) {
                        opened.completeExceptionally(e);
                        return;
                    }
                }
                writers[i].run();
            } finally {
                MDC.remove(MDC_KEY);
                if (liveWriters.decrementAndGet() == 0 && state == PipelineState.FAILED) {
                    closeSink();
                }
            }
        }, "mqtt2td-" + name + "-writer-" + i);
        t.setDaemon(false);
        threads[i] = t;
        liveWriters.incrementAndGet();
        t.start();
    }

    private void abortStart(PipelineException e) {
        accepting = false;
        metrics.lastError = e.getMessage();
        PipelineState previous = state;
        state = PipelineState.FAILED;
        notifyListeners(l -> l.onStateChanged(previous, PipelineState.FAILED));
        notifyListeners(l -> l.onFailed(e));
        stopWriters();
        closeTransport();
        joinWriters(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        stallWatch.close();
        closeSink();
        throw e;
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            PipelineState s = state;
            if (s == PipelineState.CLOSED) {
                return;
            }
            if (s == PipelineState.NEW) {
                setState(PipelineState.CLOSED);
                closeTransport();
                stallWatch.close();
                closeSink();
                return;
            }
            long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
            if (s == PipelineState.FAILED) {
                closeTransport();
                joinWriters(deadline);
                stallWatch.close();
                closeSink();
                return;
            }
            setState(PipelineState.CLOSING);
            LOG.info("Pipeline '{}' closing: {} message(s) in flight", name, inFlight.get());
            pauseTransport();
            draining = true;
            synchronized (drainMonitor) {
                while (inFlight.get() > 0 && !isFailed()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        drainMonitor.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 50)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            accepting = false;
            closeTransport();
            stopWriters();
            boolean clean = joinWriters(deadline);
            if (!clean) {
                aborted = true;
                for (Thread t : threads) {
                    if (t != null) {
                        t.interrupt();
                    }
                }
                joinWriters(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
                LOG.warn("Pipeline '{}': close timed out after {} ms with {} message(s) in flight; they stay "
                        + "unacknowledged at the broker", name, settings.shutdownTimeout().toMillis(), inFlight.get());
            }
            stallWatch.close();
            closeSink();
            if (state == PipelineState.CLOSING) {
                setState(PipelineState.CLOSED);
            }
            PipelineMetrics m = metrics();
            LOG.info("Pipeline '{}' closed: received={} rows={} written={} deadLettered={} acked={} inFlight={}", name,
                    m.received(), m.rowsMapped(), m.rowsWritten(), m.deadLetters(), m.acked(), m.inFlight());
        }
    }

    /**
     * Fails the pipeline: nothing more is acknowledged; the transport is closed so the broker keeps what is unacked.
     *
     * @param cause why
     */
    void fail(Throwable cause) {
        PipelineState previous;
        synchronized (flowLock) {
            previous = state;
            if (previous == PipelineState.FAILED || previous == PipelineState.CLOSED) {
                return;
            }
            state = PipelineState.FAILED;
        }
        accepting = false;
        metrics.lastError = String.valueOf(cause.getMessage());
        LOG.error("Pipeline '{}' failed; {} message(s) left unacknowledged for the broker to redeliver: {}", name,
                inFlight.get(), cause.getMessage(), cause);
        notifyListeners(l -> l.onStateChanged(previous, PipelineState.FAILED));
        notifyListeners(l -> l.onFailed(cause));
        stopWriters();
        // fail() may run on a transport thread (a bad message under policy FAIL): closing the transport from its own
        // network thread would wait on itself, so a short-lived thread does it
        Thread closer = new Thread(this::closeTransport, "mqtt2td-" + name + "-closer");
        closer.setDaemon(true);
        closer.start();
        synchronized (drainMonitor) {
            drainMonitor.notifyAll();
        }
        if (liveWriters.get() == 0 && previous != PipelineState.STARTING) {
            closeSink();
        }
    }

    private void stopWriters() {
        for (Writer w : writers) {
            w.stop = true;
        }
    }

    private boolean joinWriters(long deadline) {
        for (Thread t : threads) {
            if (t == null || t == Thread.currentThread()) {
                continue;
            }
            long left = deadline - System.nanoTime();
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    private void closeTransport() {
        if (transportClosed.compareAndSet(false, true)) {
            try {
                settings.transport().close();
            } catch (RuntimeException e) {
                LOG.warn("Pipeline '{}': transport close threw", name, e);
            }
        }
    }

    private void closeSink() {
        if (sinkClosed.compareAndSet(false, true)) {
            try {
                settings.sink().close();
            } catch (RuntimeException e) {
                LOG.warn("Pipeline '{}': sink close threw", name, e);
            }
        }
    }

    private void setState(PipelineState next) {
        PipelineState previous;
        synchronized (flowLock) {
            previous = state;
            if (previous == PipelineState.FAILED) {
                return;
            }
            state = next;
        }
        notifyListeners(l -> l.onStateChanged(previous, next));
    }

    private void notifyListeners(Consumer<PipelineListener> event) {
        for (PipelineListener l : settings.listeners()) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("Pipeline '{}': listener {} threw; ignored", name, l, e);
            }
        }
    }

    // ---------------------------------------------------------------- intake (transport threads)

    private void onMessage(InboundMessage message) {
        if (!accepting) {
            metrics.ignoredWhileClosing.increment();
            LOG.debug("Pipeline '{}': message on '{}' arrived after intake stopped; left for the broker", name,
                    message.topic());
            return;
        }
        metrics.received.increment();
        int now = inFlight.incrementAndGet();
        metrics.inFlight(now);
        if (now >= settings.maxInFlight() && !paused) {
            updateFlow();
        }
        if (now > overBoundAt && !overBound) {
            overBound = true;
            LOG.warn("Pipeline '{}': {} messages in flight for a bound of {}: the transport was paused but keeps "
                    + "delivering (a transport that cannot stop reading leaves the bound to the broker); the backlog "
                    + "is now held in memory", name, now, settings.maxInFlight());
        }
        if (LOG.isTraceEnabled()) {
            LOG.trace("Pipeline '{}': message on '{}', {} bytes, qos {}", name, message.topic(),
                    message.payload().length, message.qos());
        }
        MappedMessage mapped;
        try {
            mapped = settings.router().map(message.topic(), message.payload(), message.qos(), message.receivedAt(),
                    precision);
        } catch (PayloadException e) {
            badMessage(message, e);
            return;
        } catch (RuntimeException e) {
            badMessage(message, new PayloadException(DeadLetterReason.INVALID_PAYLOAD, "Pipeline '" + name
                    + "': mapping failed unexpectedly (" + e + "), in message on topic '" + message.topic() + "'", e));
            return;
        }
        List<Row> rows = mapped.rows();
        metrics.rowsMapped.add(rows.size());
        if (mapped.filtered() > 0) {
            metrics.rowsFiltered.add(mapped.filtered());
        }
        if (rows.isEmpty()) {
            acknowledge(message);
            return;
        }
        InFlightMessage tracked = new InFlightMessage(message, rows.size());
        boolean shiftable = mapped.mapping().receiveTimeIsPrimaryKey();
        boolean shift = mapped.mapping().collisionPolicy() == TimestampCollisionPolicy.SHIFT;
        if (writers.length == 1) {
            writers[0].offer(new WorkItem(tracked, rows, shiftable, shift, null));
            return;
        }
        List<List<Row>> parts = new ArrayList<>(writers.length);
        for (int i = 0; i < writers.length; i++) {
            parts.add(null);
        }
        for (Row row : rows) {
            int w = Math.floorMod(row.subTable().hashCode(), writers.length);
            if (parts.get(w) == null) {
                parts.set(w, new ArrayList<>());
            }
            parts.get(w).add(row);
        }
        for (int i = 0; i < writers.length; i++) {
            if (parts.get(i) != null) {
                writers[i].offer(new WorkItem(tracked, parts.get(i), shiftable, shift, null));
            }
        }
    }

    private void badMessage(InboundMessage message, PayloadException e) {
        if (settings.badMessagePolicy() == BadMessagePolicy.FAIL) {
            metrics.deadLetter(e.reason());
            fail(e);
            return;
        }
        int w = Math.floorMod(message.topic().hashCode(), writers.length);
        writers[w].offer(new WorkItem(new InFlightMessage(message, 0), null, false, false, e));
    }

    private void updateFlow() {
        synchronized (flowLock) {
            int n = inFlight.get();
            if (!paused && n >= settings.maxInFlight()) {
                paused = true;
                LOG.debug("Pipeline '{}': {} messages in flight, pausing the transport", name, n);
                try {
                    settings.transport().pause();
                } catch (RuntimeException e) {
                    LOG.warn("Pipeline '{}': transport pause threw", name, e);
                }
            } else if (paused && n <= resumeAt && state != PipelineState.CLOSING) {
                paused = false;
                LOG.debug("Pipeline '{}': {} messages in flight, resuming the transport", name, n);
                try {
                    settings.transport().resume();
                } catch (RuntimeException e) {
                    LOG.warn("Pipeline '{}': transport resume threw", name, e);
                }
            }
        }
    }

    private void pauseTransport() {
        synchronized (flowLock) {
            if (!paused) {
                paused = true;
                try {
                    settings.transport().pause();
                } catch (RuntimeException e) {
                    LOG.warn("Pipeline '{}': transport pause threw", name, e);
                }
            }
        }
    }

    // ---------------------------------------------------------------- completion (writer threads)

    /** Called when all rows of a message are done. */
    void complete(InFlightMessage m) {
        String rejection = m.rejection();
        if (rejection == null) {
            acknowledge(m.message);
            return;
        }
        PayloadException e = new PayloadException(DeadLetterReason.SINK_REJECTED, "Pipeline '" + name + "': sink "
                + "rejected " + m.rejectedRows() + " of " + m.totalRows + " row(s): " + rejection
                + ", in message on topic '" + m.message.topic() + "'");
        if (settings.badMessagePolicy() == BadMessagePolicy.FAIL) {
            metrics.deadLetter(e.reason());
            fail(e);
            return;
        }
        deadLetter(m, e);
    }

    /** Hands a message to the dead-letter handler, counts it, acknowledges it. */
    void deadLetter(InFlightMessage m, PayloadException e) {
        metrics.deadLetter(e.reason());
        metrics.lastError = e.getMessage();
        InboundMessage msg = m.message;
        DeadLetter d = new DeadLetter(name, msg.topic(), msg.payload(), msg.qos(), msg.receivedAt(), e.reason(),
                e.getMessage(), e.getCause());
        try {
            settings.deadLetterHandler().handle(d);
        } catch (RuntimeException ex) {
            LOG.warn("Pipeline '{}': dead-letter handler threw for message on '{}' ({}); acknowledging it anyway",
                    name, msg.topic(), e.reason(), ex);
        }
        notifyListeners(l -> l.onDeadLetter(d));
        acknowledge(msg);
    }

    private void acknowledge(InboundMessage message) {
        if (isFailed()) {
            return;
        }
        try {
            message.acknowledge();
        } catch (RuntimeException e) {
            LOG.warn("Pipeline '{}': acknowledging a message on '{}' failed; the broker will redeliver it", name,
                    message.topic(), e);
        }
        metrics.acked.increment();
        int n = inFlight.decrementAndGet();
        if (overBound && n <= resumeAt) {
            overBound = false;
        }
        if (paused && n <= resumeAt) {
            updateFlow();
        }
        if (draining && n == 0) {
            synchronized (drainMonitor) {
                drainMonitor.notifyAll();
            }
        }
    }

    @Override
    public String toString() {
        return "SyncPipeline{name=" + name + ", state=" + state + ", source=" + settings.transport() + ", sink="
                + settings.sink() + '}';
    }

    /** The handler given to the transport. */
    private final class Intake implements MessageHandler {
        @Override
        public void onMessage(InboundMessage message) {
            String previous = MDC.get(MDC_KEY);
            MDC.put(MDC_KEY, name);
            try {
                DefaultSyncPipeline.this.onMessage(message);
            } finally {
                if (previous == null) {
                    MDC.remove(MDC_KEY);
                } else {
                    MDC.put(MDC_KEY, previous);
                }
            }
        }

        @Override
        public int maxInFlight() {
            return settings.maxInFlight();
        }

        @Override
        public void onDropped(String topic, int qos, String reason) {
            metrics.droppedByTransport.increment();
            long n = metrics.droppedByTransport.sum();
            if (n == 1 || n % 1000 == 0) {
                LOG.warn("Pipeline '{}': transport dropped a QoS {} message on '{}' ({}); {} dropped so far", name, qos,
                        topic, reason, n);
            }
        }

        @Override
        public void onConnectionStateChanged(ConnectionState connectionState, String detail) {
            metrics.connectionState = connectionState;
            notifyListeners(l -> l.onConnectionStateChanged(connectionState, detail));
        }

        @Override
        public void onTransportFailed(Throwable cause) {
            fail(cause);
        }
    }

    /** What the sink learns when opened. */
    private final class Context implements SinkContext {
        @Override
        public String pipelineName() {
            return name;
        }

        @Override
        public List<TableSchema> tables() {
            return settings.router().tables();
        }

        @Override
        public int writerCount() {
            return writers.length;
        }
    }
}
