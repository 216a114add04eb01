package io.github.mqtt2tdengine.internal.engine;

import io.github.mqtt2tdengine.DeadLetter;
import io.github.mqtt2tdengine.PipelineMetrics;
import io.github.mqtt2tdengine.PipelineState;
import io.github.mqtt2tdengine.Preview;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.errors.PayloadException;
import io.github.mqtt2tdengine.internal.payload.MappedMessage;
import io.github.mqtt2tdengine.internal.payload.Mapping;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.spi.SinkContext;
import io.github.mqtt2tdengine.spi.TableSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The engine: transport → mapping → writer queues → batches → sink → acknowledgements. It wires the parts, each of
 * which owns one concern: {@link Lifecycle} the state (one state machine), {@link LifecycleRunner} the blocking steps
 * of start, close and failure on the lifecycle thread, {@link FlowControl} the in-flight bound, {@link Intake} the
 * transport's messages, {@link Writer} the batches (on {@link WriterPool}'s threads), {@link Completion} the
 * acknowledgements and dead letters, {@link StallWatch} the sink calls that take too long. They read the phase from
 * {@link Lifecycle}, never each other's fields. Not API; may change in any release.
 *
 * <p>Threads: every public method may be called by any thread. {@code start()} and {@code close()} hand their steps
 * to the lifecycle thread ({@code close()} then waits for the engine's threads unless called on one of them or from a
 * callback); the others read.
 */
public final class DefaultSyncPipeline implements SyncPipeline {
    /** MDC key set on library threads. */
    public static final String MDC_KEY = "mqtt2td.pipeline";

    private final PipelineSettings settings;
    private final String name;
    private final EngineMetrics metrics;
    private final Lifecycle lifecycle;
    private final FlowControl flow;
    private final Completion completion;
    private final WriterPool writers;
    private final StallWatch stallWatch;
    private final LifecycleRunner runner;
    private final DeadLetterDestinations deadLetters;

    /**
     * Creates the engine from validated settings; no thread starts before {@link #start()}.
     *
     * @param settings the settings
     */
    public DefaultSyncPipeline(PipelineSettings settings) {
        this.settings = settings;
        this.name = settings.name();
        this.metrics = new EngineMetrics(settings.router().mappings());
        EngineThreads threads = new EngineThreads(name);
        this.lifecycle = new Lifecycle(name, settings.listeners(), threads);
        this.flow = new FlowControl(name, settings.transport(), settings.maxInFlight());
        this.completion = new Completion(settings, metrics, flow, lifecycle, this::fail);
        Writer[] ws = new Writer[settings.writers()];
        WriterCallbacks callbacks = new Callbacks();
        DeliveryWindow window = new DeliveryWindow(name, settings.batchMaxRows(), settings.writers());
        this.deadLetters = new DeadLetterDestinations(name, settings.deadLetterHandlers());
        for (int i = 0; i < ws.length; i++) {
            int grown = (int) Math.min((long) settings.batchMaxRows() * settings.batchGrowth(),
                    Math.max(settings.batchMaxRows(), settings.maxInFlight() / (2L * ws.length)));
            ws[i] = new Writer(settings, i, grown, callbacks, metrics, window, deadLetters);
        }
        this.writers = new WriterPool(ws, threads, settings.sink());
        this.stallWatch = new StallWatch(name, ws, settings.stallWarning(), metrics, lifecycle::notifyListeners,
                threads);
        this.runner = new LifecycleRunner(settings, lifecycle, threads, flow, completion, writers, stallWatch, metrics,
                new Context(), this::metrics, deadLetters);
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
        long oldest = writers.oldestIntakeNanos(now);
        return metrics.snapshot(lifecycle.get(), flow.inFlight(), stallWatch.longestStallMillis(), notFound,
                flow.isPaused(), Duration.ofNanos(now - oldest), deadLetters.snapshot());
    }

    @Override
    public List<TableSchema> tables() {
        return settings.router().tables();
    }

    @Override
    public Preview preview(String topic, byte[] payload) {
        return preview(topic, payload, writers.precision());
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
        runner.start();
    }

    @Override
    public void close() {
        runner.close();
    }

    /** Any thread: fails the pipeline (the first failure wins). */
    private void fail(Throwable cause) {
        runner.fail(cause);
    }

    /** The engine's counters, for tests in this package. */
    EngineMetrics engineMetrics() {
        return metrics;
    }

    @Override
    public String toString() {
        return "SyncPipeline{name=" + name + ", state=" + lifecycle.get() + ", source=" + settings.transport()
                + ", sink=" + settings.sink() + '}';
    }

    /** What the writers may tell and ask the pipeline. */
    private final class Callbacks implements WriterCallbacks {
        @Override
        public Phase phase() {
            return lifecycle.phase();
        }

        @Override
        public boolean intakeQuiet() {
            return lifecycle.intakeQuiet();
        }

        @Override
        public int inFlight() {
            return flow.inFlight();
        }

        @Override
        public int inFlightAtLastArrival() {
            return flow.inFlightAtLastArrival();
        }

        @Override
        public boolean transportPaused() {
            return flow.isPaused();
        }

        @Override
        public void fail(Throwable cause) {
            DefaultSyncPipeline.this.fail(cause);
        }

        @Override
        public DeadLetter completed(InFlightMessage message) {
            return completion.complete(message);
        }

        @Override
        public DeadLetter unmappable(InFlightMessage message, PayloadException error) {
            return completion.deadLetter(message, error);
        }

        @Override
        public void deadLetterStored(InFlightMessage message, DeadLetter deadLetter) {
            completion.stored(message, deadLetter);
        }

        @Override
        public void sinkCallStarted() {
            stallWatch.callStarted();
        }

        @Override
        public TimePrecision precision() {
            return writers.precision();
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
            return writers.writers().length;
        }
    }
}
