package io.github.mqtt2tdengine.internal.engine;

import io.github.mqtt2tdengine.PayloadException;
import io.github.mqtt2tdengine.PipelineException;
import io.github.mqtt2tdengine.PipelineMetrics;
import io.github.mqtt2tdengine.PipelineState;
import io.github.mqtt2tdengine.Preview;
import io.github.mqtt2tdengine.SinkException;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.TransportException;
import io.github.mqtt2tdengine.internal.payload.Mapping;
import io.github.mqtt2tdengine.internal.payload.MappedMessage;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.spi.SinkContext;
import io.github.mqtt2tdengine.spi.TableSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The engine: transport → mapping → writer queues → batches → sink → acknowledgements. It starts and stops the parts,
 * each of which owns one concern: {@link Lifecycle} the state, {@link FlowControl} the in-flight bound, {@link Intake}
 * the transport's messages, {@link Writer} the batches, {@link Completion} the acknowledgements and dead letters.
 * Not API; may change in any release.
 */
public final class DefaultSyncPipeline implements SyncPipeline {
    /** MDC key set on library threads. */
    public static final String MDC_KEY = "mqtt2td.pipeline";
    private static final Logger LOG = LoggerFactory.getLogger(DefaultSyncPipeline.class);

    private final PipelineSettings settings;
    private final String name;
    private final EngineMetrics metrics;
    /** Serialises start() and close(); the state itself changes by compare-and-set in {@link Lifecycle}. */
    private final Object lifecycleLock = new Object();
    private final Lifecycle lifecycle;
    private final FlowControl flow;
    private final Completion completion;
    private final Writer[] writers;
    private final Thread[] threads;
    private final StallWatch stallWatch;
    private final AtomicInteger liveWriters = new AtomicInteger();
    private final AtomicBoolean sinkClosed = new AtomicBoolean();
    /** The thread that closes the transport, the first to ask (a listener it calls may call close(): no self-wait). */
    private final AtomicReference<Thread> transportCloser = new AtomicReference<>();
    /** Completed once the transport's close has returned. */
    private final CompletableFuture<Void> transportCloseDone = new CompletableFuture<>();
    private volatile TimePrecision precision = TimePrecision.MILLISECONDS;
    private volatile Intake intake;
    /** Set when close() gave up waiting: writers abandon their batches. */
    private volatile boolean aborted;

    /**
     * Creates the engine from validated settings.
     *
     * @param settings the settings
     */
    public DefaultSyncPipeline(PipelineSettings settings) {
        this.settings = settings;
        this.name = settings.name();
        this.metrics = new EngineMetrics(settings.router().mappings());
        this.lifecycle = new Lifecycle(name, settings.listeners());
        this.flow = new FlowControl(name, settings.transport(), settings.maxInFlight());
        this.completion = new Completion(settings, metrics, flow, lifecycle, this::fail);
        this.writers = new Writer[settings.writers()];
        this.threads = new Thread[settings.writers()];
        WriterCallbacks callbacks = new Callbacks();
        for (int i = 0; i < writers.length; i++) {
            int grown = (int) Math.min((long) settings.batchMaxRows() * settings.batchGrowth(),
                    Math.max(settings.batchMaxRows(), settings.maxInFlight() / (2L * writers.length)));
            writers[i] = new Writer(settings, i, grown, callbacks, metrics);
        }
        this.stallWatch = new StallWatch(name, writers, settings.stallWarning(), metrics, lifecycle::notifyListeners);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public PipelineState state() {
        return lifecycle.get();
    }

    @Override
    public PipelineMetrics metrics() {
        Map<String, Long> notFound = new TreeMap<>();
        for (Mapping m : settings.router().mappings()) {
            m.addNotFound(notFound);
        }
        long now = System.nanoTime();
        long oldest = now;
        for (Writer w : writers) {
            oldest = Math.min(oldest, w.oldestIntakeNanos(now));
        }
        return metrics.snapshot(lifecycle.get(), flow.inFlight(), stallWatch.longestStallMillis(), notFound,
                flow.isPaused(), Duration.ofNanos(now - oldest));
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
        synchronized (lifecycleLock) {
            if (!lifecycle.transition(PipelineState.NEW, PipelineState.STARTING)) {
                PipelineState s = lifecycle.get();
                throw new IllegalStateException("Pipeline '" + name + "' is already "
                        + (s == PipelineState.CLOSED || s == PipelineState.FAILED ? "closed" : "started"));
            }
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
            Intake in = new Intake(settings, precision, writers, metrics, flow, completion, lifecycle, this::fail);
            intake = in;
            try {
                settings.transport().start(in);
            } catch (RuntimeException e) {
                abortStart(e instanceof PipelineException ? (PipelineException) e : new TransportException(
                        "Pipeline '" + name + "': transport failed to start: " + e, e));
            }
            if (lifecycle.transition(PipelineState.STARTING, PipelineState.RUNNING)) {
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
                if (liveWriters.decrementAndGet() == 0 && lifecycle.isFailed()) {
                    closeSink();
                }
            }
        }, "mqtt2td-" + name + "-writer-" + i);
        t.setDaemon(false);
        threads[i] = t;
        liveWriters.incrementAndGet();
        t.start();
    }

    /** Start failed: the state goes to FAILED (by compare-and-set, as everywhere), everything started is stopped. */
    private void abortStart(PipelineException e) {
        stopIntake();
        lifecycle.fail(e, () -> metrics.lastError = e.getMessage());
        stopWriters();
        closeTransport();
        joinWriters(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        stallWatch.close();
        closeSink();
        throw e;
    }

    @Override
    public void close() {
        synchronized (lifecycleLock) {
            if (lifecycle.transition(PipelineState.NEW, PipelineState.CLOSED)) {
                closeTransport();
                stallWatch.close();
                closeSink();
                return;
            }
            long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
            if (!lifecycle.transition(PipelineState.RUNNING, PipelineState.CLOSING)) {
                if (lifecycle.isFailed()) {
                    closeTransport(deadline);
                    joinWriters(deadline);
                    stallWatch.close();
                    closeSink();
                }
                return; // CLOSED already
            }
            LOG.info("Pipeline '{}' closing: {} message(s) in flight", name, flow.inFlight());
            flow.startDraining();
            flow.awaitDrained(deadline, lifecycle::isFailed);
            stopIntake();
            closeTransport(deadline);
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
                        + "unacknowledged at the broker", name, settings.shutdownTimeout().toMillis(), flow.inFlight());
            }
            stallWatch.close();
            closeSink();
            lifecycle.transition(PipelineState.CLOSING, PipelineState.CLOSED);
            PipelineMetrics m = metrics();
            LOG.info("Pipeline '{}' closed: received={} rows={} written={} deadLettered={} acked={} inFlight={}", name,
                    m.received(), m.rowsMapped(), m.rowsWritten(), m.deadLetters(), m.acked(), m.inFlight());
        }
    }

    /**
     * Fails the pipeline: nothing more is acknowledged; the transport is closed so the broker keeps what is unacked.
     * Any thread; the first failure wins.
     *
     * @param cause why
     */
    private void fail(Throwable cause) {
        stopIntake();
        PipelineState previous = lifecycle.fail(cause, () -> {
            metrics.lastError = String.valueOf(cause.getMessage());
            LOG.error("Pipeline '{}' failed; {} message(s) left unacknowledged for the broker to redeliver: {}", name,
                    flow.inFlight(), cause.getMessage(), cause);
        });
        if (previous == null) {
            return; // another thread failed or closed it first
        }
        stopWriters();
        // fail() may run on a transport thread (a bad message under policy FAIL): closing the transport from its own
        // network thread would wait on itself, so a short-lived thread does it
        Thread closer = new Thread(this::closeTransport, "mqtt2td-" + name + "-closer");
        closer.setDaemon(true);
        closer.start();
        flow.wakeDrain();
        if (liveWriters.get() == 0 && previous != PipelineState.STARTING) {
            closeSink();
        }
    }

    private void stopIntake() {
        Intake in = intake;
        if (in != null) {
            in.stop();
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
        closeTransport(System.nanoTime() + settings.shutdownTimeout().toNanos());
    }

    /**
     * Closes the transport once. A caller that finds another thread closing it (the closer of a failure) waits for
     * that close to return, until the deadline: close() must not return while the old connection still disconnects.
     */
    private void closeTransport(long deadline) {
        Thread current = Thread.currentThread();
        if (transportCloser.compareAndSet(null, current)) {
            try {
                settings.transport().close();
            } catch (RuntimeException e) {
                LOG.warn("Pipeline '{}': transport close threw", name, e);
            } finally {
                transportCloseDone.complete(null);
            }
            return;
        }
        if (transportCloser.get() == current) {
            return;
        }
        try {
            transportCloseDone.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Pipeline '{}': the transport is still closing (on another thread) at the shutdown timeout", name);
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

    @Override
    public String toString() {
        return "SyncPipeline{name=" + name + ", state=" + lifecycle.get() + ", source=" + settings.transport()
                + ", sink=" + settings.sink() + '}';
    }

    /** What the writers may tell and ask the pipeline. */
    private final class Callbacks implements WriterCallbacks {
        @Override
        public boolean failed() {
            return lifecycle.isFailed();
        }

        @Override
        public boolean aborted() {
            return aborted;
        }

        @Override
        public boolean draining() {
            return flow.isDraining();
        }

        @Override
        public void fail(Throwable cause) {
            DefaultSyncPipeline.this.fail(cause);
        }

        @Override
        public void completed(InFlightMessage message) {
            completion.complete(message);
        }

        @Override
        public void unmappable(InFlightMessage message, PayloadException error) {
            completion.badMessage(message, error);
        }

        @Override
        public void sinkCallStarted() {
            stallWatch.callStarted();
        }

        @Override
        public TimePrecision precision() {
            return precision;
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
