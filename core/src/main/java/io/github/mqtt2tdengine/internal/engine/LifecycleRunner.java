package io.github.mqtt2tdengine.internal.engine;

import io.github.mqtt2tdengine.PipelineMetrics;
import io.github.mqtt2tdengine.PipelineState;
import io.github.mqtt2tdengine.errors.PipelineException;
import io.github.mqtt2tdengine.errors.SinkException;
import io.github.mqtt2tdengine.errors.TransportException;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.spi.SinkContext;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the blocking steps of start, close and failure on the pipeline's own lifecycle thread
 * ({@code mqtt2td-<name>-lifecycle}, one at a time, in the order asked), so that no caller waits for itself: a
 * listener, a transport callback, a writer or the transport's own close may call {@code close()}, which then only
 * asks for the close and returns. Not API.
 *
 * <p>Threads: {@link #start()} and {@link #close()} are called by the host (or by anything: see above);
 * {@link #fail(Throwable)} by any thread. The steps ({@code startSteps}, {@code closeSteps}, {@code tearDown}) and the
 * fields they keep (which resources are closed) belong to the lifecycle thread alone. The thread exists while a step
 * runs (it ends after a second idle) and is shut down after the last step of a close or a failure.
 */
final class LifecycleRunner {
    private static final Logger LOG = LoggerFactory.getLogger(LifecycleRunner.class);
    /** How long writers get after their interrupt, once a close or a failure gave up waiting for them. */
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final PipelineSettings settings;
    private final String name;
    private final Lifecycle lifecycle;
    private final EngineThreads threads;
    private final FlowControl flow;
    private final Completion completion;
    private final DeadLetterDestinations deadLetters;
    private final WriterPool writers;
    private final StallWatch stallWatch;
    private final EngineMetrics metrics;
    private final SinkContext sinkContext;
    private final Supplier<PipelineMetrics> summary;
    private final ThreadPoolExecutor executor;
    // lifecycle thread only
    private boolean transportClosed;
    private boolean sinkClosed;

    LifecycleRunner(PipelineSettings settings, Lifecycle lifecycle, EngineThreads threads, FlowControl flow,
            Completion completion, WriterPool writers, StallWatch stallWatch, EngineMetrics metrics,
            SinkContext sinkContext, Supplier<PipelineMetrics> summary, DeadLetterDestinations deadLetters) {
        this.deadLetters = deadLetters;
        this.settings = settings;
        this.name = settings.name();
        this.lifecycle = lifecycle;
        this.threads = threads;
        this.flow = flow;
        this.completion = completion;
        this.writers = writers;
        this.stallWatch = stallWatch;
        this.metrics = metrics;
        this.sinkContext = sinkContext;
        this.summary = summary;
        this.executor = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                threads.factory("lifecycle", false));
        this.executor.allowCoreThreadTimeOut(true);
    }

    // ---------------------------------------------------------------- what callers ask

    /** Host thread: runs the start steps on the lifecycle thread and waits for them. */
    void start() {
        if (lifecycle.phase() != Phase.NEW) {
            throw misuse();
        }
        Future<?> started;
        try {
            started = executor.submit(this::startSteps);
        } catch (RejectedExecutionException e) {
            throw misuse(); // closed meanwhile
        }
        try {
            started.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            PipelineException stop = new TransportException("Pipeline '" + name + "': interrupted while starting", e);
            fail(stop);
            throw LegacyExceptions.toHost(stop);
        } catch (ExecutionException e) {
            threads.awaitAllEnded(System.nanoTime() + GRACE_NANOS);
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw LegacyExceptions.toHost(r);
            }
            throw (Error) cause;
        }
    }

    /**
     * Any thread: asks for the close steps; then, unless the caller is a thread of the engine or inside one of its
     * callbacks, waits until every engine thread has ended (the last batch written and acknowledged, or the shutdown
     * timeout run out). Idempotent.
     */
    void close() {
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        submit(() -> closeSteps(deadline));
        if (!threads.mayWait()) {
            return; // the lifecycle thread closes; waiting here could be waiting for itself
        }
        // the steps give up at the deadline, then give the writers and the watch a grace each
        if (!threads.awaitAllEnded(deadline + 3 * GRACE_NANOS)) {
            LOG.warn("Pipeline '{}': close() stops waiting after {} ms; still running: {}", name,
                    settings.shutdownTimeout().toMillis(), threads.alive());
        }
    }

    /**
     * Any thread: fails the pipeline (the first failure wins): nothing more is acknowledged, intake stops, and the
     * lifecycle thread closes the transport (unacknowledged messages stay with the broker), waits for the writers and
     * closes the sink.
     *
     * @param cause why
     */
    void fail(Throwable cause) {
        Phase previous = lifecycle.fail(cause, () -> {
            metrics.lastError(String.valueOf(cause.getMessage()));
            LOG.error("Pipeline '{}' failed; {} message(s) left unacknowledged for the broker to redeliver: {}", name,
                    flow.inFlight(), cause.getMessage(), cause);
        });
        if (previous == null) {
            return; // another thread failed or closed it first
        }
        flow.wakeDrain();
        submit(this::tearDown);
    }

    private void submit(Runnable step) {
        try {
            executor.execute(() -> {
                try {
                    step.run();
                } catch (RuntimeException e) {
                    LOG.warn("Pipeline '{}': a lifecycle step threw", name, e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Pipeline '{}': already closed, nothing more to do", name);
        }
    }

    private IllegalStateException misuse() {
        PipelineState s = lifecycle.get();
        return new IllegalStateException("Pipeline '" + name + "' is already "
                + (s == PipelineState.CLOSED || s == PipelineState.FAILED ? "closed" : "started"));
    }

    // ---------------------------------------------------------------- the steps, on the lifecycle thread

    private void startSteps() {
        if (!lifecycle.move(Phase.NEW, Phase.STARTING)) {
            throw misuse(); // a close came first
        }
        LOG.info("Pipeline '{}' starting: {} mapping(s), {} writer(s), batches of {} rows / {} ms, {} in flight",
                name, settings.router().mappings().size(), writers.writers().length, settings.batchMaxRows(),
                settings.batchMaxAge().toMillis(), settings.maxInFlight());
        if (deadLetters.onlyLogging()) {
            LOG.info("Pipeline '{}': dead letters are logged at WARN and not kept (DeadLetterHandler.logging()); keep "
                    + "them in TDengine, an MQTT topic or a file with a dead-letter destination", name);
        } else {
            LOG.info("Pipeline '{}': dead letters are kept by {}; a dead-lettered message is acknowledged once stored",
                    name, deadLetters);
        }
        TimePrecision precision;
        try {
            precision = writers.open(sinkContext).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw abortStart(new SinkException("Pipeline '" + name + "': interrupted while opening the sink", e));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw abortStart(cause instanceof PipelineException p ? p : new SinkException(
                    "Pipeline '" + name + "': sink failed to open: " + cause, cause));
        }
        writers.startOthers();
        Intake intake = new Intake(settings, precision, writers.writers(), metrics, flow, completion, lifecycle,
                this::fail);
        try {
            settings.transport().start(intake);
        } catch (RuntimeException e) {
            throw abortStart(e instanceof PipelineException p ? p : new TransportException(
                    "Pipeline '" + name + "': transport failed to start: " + e, e));
        }
        if (lifecycle.move(Phase.STARTING, Phase.RUNNING)) {
            LOG.info("Pipeline '{}' running, precision {}", name, precision.sqlName());
        }
    }

    /** Start failed: FAILED (recorded, not logged: start() throws it), and everything started is stopped. */
    private RuntimeException abortStart(PipelineException e) {
        // converted once, so the listener's onFailed and the caller of start() get the same object
        RuntimeException seen = LegacyExceptions.toHost(e);
        lifecycle.fail(seen, () -> metrics.lastError(e.getMessage()));
        tearDown();
        return seen;
    }

    private void closeSteps(long deadline) {
        if (lifecycle.move(Phase.NEW, Phase.CLOSED)) {
            closeTransport();
            stallWatch.close();
            closeSink();
            executor.shutdown();
            return;
        }
        if (!lifecycle.move(Phase.RUNNING, Phase.DRAINING)) {
            // FAILED (its tear-down is done or queued; it is idempotent) or CLOSED: steps run one at a time, so a
            // start or another close cannot be half done here
            if (lifecycle.isFailed()) {
                tearDown();
            }
            return;
        }
        LOG.info("Pipeline '{}' closing: {} message(s) in flight", name, flow.inFlight());
        flow.startDraining();
        flow.awaitDrained(deadline, lifecycle::isFailed);
        lifecycle.move(Phase.DRAINING, Phase.STOPPING);
        closeTransport();
        if (!writers.join(deadline)) {
            lifecycle.move(Phase.STOPPING, Phase.ABANDONING);
            writers.interrupt();
            writers.join(System.nanoTime() + GRACE_NANOS);
            LOG.warn("Pipeline '{}': close timed out after {} ms with {} message(s) in flight; they stay "
                    + "unacknowledged at the broker", name, settings.shutdownTimeout().toMillis(), flow.inFlight());
        }
        stallWatch.close();
        closeSink();
        Phase now = lifecycle.phase();
        if (now == Phase.STOPPING || now == Phase.ABANDONING) {
            lifecycle.move(now, Phase.CLOSED);
        }
        PipelineMetrics m = summary.get();
        LOG.info("Pipeline '{}' closed: received={} rows={} written={} deadLettered={} acked={} inFlight={}", name,
                m.received(), m.rowsMapped(), m.rowsWritten(), m.deadLetters(), m.acked(), m.inFlight());
        executor.shutdown();
    }

    /** After a failure: close the transport, wait for the writers (they end on FAILED), close the sink. Idempotent. */
    private void tearDown() {
        closeTransport();
        if (!writers.join(System.nanoTime() + settings.shutdownTimeout().toNanos())) {
            writers.interrupt(); // a sink call that blocks: nothing of it will be acknowledged anyway
            writers.join(System.nanoTime() + GRACE_NANOS);
        }
        stallWatch.close();
        closeSink();
        executor.shutdown();
    }

    private void closeTransport() {
        if (transportClosed) {
            return;
        }
        transportClosed = true;
        try {
            settings.transport().close();
        } catch (RuntimeException e) {
            LOG.warn("Pipeline '{}': transport close threw", name, e);
        }
    }

    private void closeSink() {
        if (sinkClosed) {
            return;
        }
        sinkClosed = true;
        try {
            settings.sink().close();
        } catch (RuntimeException e) {
            LOG.warn("Pipeline '{}': sink close threw", name, e);
        }
        deadLetters.close();
    }
}
