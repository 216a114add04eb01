package io.github.mqtt2tdengine;

import io.github.mqtt2tdengine.annotations.DoNotImplement;
import io.github.mqtt2tdengine.errors.SinkException;
import io.github.mqtt2tdengine.errors.TransportException;
import io.github.mqtt2tdengine.internal.engine.DefaultSyncPipeline;
import io.github.mqtt2tdengine.internal.engine.PipelineSettings;
import io.github.mqtt2tdengine.internal.payload.Mapping;
import io.github.mqtt2tdengine.internal.payload.Router;
import io.github.mqtt2tdengine.internal.payload.TableNaming;
import io.github.mqtt2tdengine.payload.Field;
import io.github.mqtt2tdengine.payload.Identifiers;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.SubTableTemplate;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.payload.TopicFilter;
import io.github.mqtt2tdengine.spi.Sink;
import io.github.mqtt2tdengine.spi.TableSchema;
import io.github.mqtt2tdengine.spi.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Syncs messages from a {@link Transport} (MQTT) into a {@link Sink} (TDengine): maps each message to rows, batches
 * them, writes them, and acknowledges each message only after its rows are committed (at-least-once).
 *
 * <p>Thread-safe. Build with {@link #builder()}; {@link #start()} once; {@link #close()} to drain and stop.
 *
 * <p>Not for implementation by host code ({@link DoNotImplement}): the library implements it: build one with {@link
 * #builder()}. Methods may be added in a minor release.
 *
 * @since 0.1.0
 */
@DoNotImplement
public interface SyncPipeline extends AutoCloseable {

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the pipeline's name, used in logs, thread names and errors.
     *
     * @return the name
     */
    String name();

    /**
     * Opens the sink (on writer thread 0), then starts the transport (connect, subscribe), then returns; work runs on
     * library threads, and these steps on the pipeline's lifecycle thread while the caller waits. Called once.
     *
     * @throws IllegalStateException if already started or closed
     * @throws SinkException if the sink cannot be opened
     * @throws TransportException if the transport cannot connect or subscribe
     */
    void start();

    /**
     * Stops intake, writes and acknowledges what is in flight, then closes the transport and the sink; blocks until
     * done and every library thread has ended, or until the shutdown timeout runs out (what is left stays
     * unacknowledged at the broker). Idempotent; any thread. Called on a library thread or from inside a callback (a
     * listener, the dead-letter handler, the transport's own close), it asks for the close and returns at once.
     */
    @Override
    void close();

    /**
     * Returns the current state.
     *
     * @return the state
     */
    PipelineState state();

    /**
     * Returns a snapshot of the counters.
     *
     * @return the metrics
     */
    PipelineMetrics metrics();

    /**
     * Returns the super tables the pipeline writes, as its mappings define them.
     *
     * @return one schema per super table
     */
    List<TableSchema> tables();

    /**
     * Maps a message as the running pipeline would, without connecting or writing: the dry run. Timestamps are in the
     * sink's precision once started, in milliseconds before.
     *
     * @param topic the topic
     * @param payload the payload
     * @return the rows, or the error that would dead-letter the message
     */
    Preview preview(String topic, byte[] payload);

    /**
     * Maps a message in a given precision, without connecting or writing.
     *
     * @param topic the topic
     * @param payload the payload
     * @param precision the database precision to convert timestamps to
     * @return the rows, or the error that would dead-letter the message
     */
    Preview preview(String topic, byte[] payload, TimePrecision precision);

    /**
     * Maps a UTF-8 text message, without connecting or writing.
     *
     * @param topic the topic
     * @param payload the payload text
     * @return the rows, or the error that would dead-letter the message
     */
    default Preview preview(String topic, String payload) {
        return preview(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Builds a {@link SyncPipeline}; mutable, not thread-safe, reusable. Setters check their argument at once,
     * {@link #build()} checks required and cross-field rules.
     */
    final class Builder {
        /** Pipeline name when none is set: {@value}. */
        public static final String DEFAULT_NAME = "mqtt2tdengine";
        /** Most rows per batch when not set: {@value}. */
        public static final int DEFAULT_BATCH_MAX_ROWS = 1000;
        /** Longest a row waits for its batch when not set: 500 ms. */
        public static final Duration DEFAULT_BATCH_MAX_AGE = Duration.ofMillis(500);
        /** How long without new rows before a partial batch is written, when not set: 20 ms. */
        public static final Duration DEFAULT_BATCH_IDLE = Duration.ofMillis(20);
        /** How far batches may grow under a backlog when not set: {@value}× the batch size. */
        public static final int DEFAULT_BATCH_GROWTH = 10;
        /** Most unacknowledged messages when not set: {@value}. */
        public static final int DEFAULT_MAX_IN_FLIGHT = 10_000;
        /** Writer threads when not set: {@value}. */
        public static final int DEFAULT_WRITERS = 1;
        /** First retry delay after a retriable sink failure when not set: 100 ms. */
        public static final Duration DEFAULT_RETRY_INITIAL_BACKOFF = Duration.ofMillis(100);
        /** Longest retry delay when not set: 30 s. */
        public static final Duration DEFAULT_RETRY_MAX_BACKOFF = Duration.ofSeconds(30);
        /** How long {@code close()} waits for in-flight messages when not set: 30 s. */
        public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
        /**
         * How long one {@code Sink.write} may run before it is logged at WARN and shown in the metrics, when not set:
         * 5 s.
         *
         * @since 0.1.0
         */
        public static final Duration DEFAULT_STALL_WARNING = Duration.ofSeconds(5);
        /** Topic filter of the mapping set with {@link #payload(PayloadSpec)}: {@value}. */
        public static final String DEFAULT_ROUTE = "#";

        private String name = DEFAULT_NAME;
        private Transport transport;
        private Sink sink;
        private PayloadSpec payload;
        private final List<Map.Entry<String, PayloadSpec>> routes = new ArrayList<>();
        private String superTable;
        private String subTableTemplate;
        private int batchMaxRows = DEFAULT_BATCH_MAX_ROWS;
        private Duration batchMaxAge = DEFAULT_BATCH_MAX_AGE;
        private Duration batchIdle = DEFAULT_BATCH_IDLE;
        private int batchGrowth = DEFAULT_BATCH_GROWTH;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private int writers = DEFAULT_WRITERS;
        private Duration retryInitialBackoff = DEFAULT_RETRY_INITIAL_BACKOFF;
        private Duration retryMaxBackoff = DEFAULT_RETRY_MAX_BACKOFF;
        private int maxRetries = -1; // retryForever()
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private Duration stallWarning = DEFAULT_STALL_WARNING;
        private final List<DeadLetterHandler> deadLetterHandlers = new ArrayList<>(List.of(DeadLetterHandler.logging()));
        private BadMessagePolicy badMessagePolicy = BadMessagePolicy.DEAD_LETTER;
        private final List<PipelineListener> listeners = new ArrayList<>();

        Builder() {
        }

        /**
         * Names the pipeline; default {@value #DEFAULT_NAME}.
         *
         * @param name a non-empty name
         * @return this builder
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name must not be null");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            this.name = name;
            return this;
        }

        /**
         * Sets where messages come from, for example {@code MqttTransport}; required.
         *
         * @param transport the transport; the pipeline starts and closes it
         * @return this builder
         */
        public Builder source(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "source must not be null");
            return this;
        }

        /**
         * Sets where rows go, for example {@code TDengineSink}; required.
         *
         * @param sink the sink; the pipeline opens and closes it
         * @return this builder
         */
        public Builder sink(Sink sink) {
            this.sink = Objects.requireNonNull(sink, "sink must not be null");
            return this;
        }

        /**
         * Sets the mapping for all topics (filter {@value #DEFAULT_ROUTE}); with {@link #route} mappings it applies
         * to topics none of them match.
         *
         * @param spec the mapping
         * @return this builder
         */
        public Builder payload(PayloadSpec spec) {
            this.payload = Objects.requireNonNull(spec, "payload must not be null");
            return this;
        }

        /**
         * Adds a mapping for topics matching a filter; the first matching route wins, in the order added.
         *
         * @param topicFilter an MQTT topic filter, wildcards {@code +} and {@code #} allowed
         * @param spec the mapping; its super table and template default to the pipeline's
         * @return this builder
         * @throws IllegalArgumentException if the filter is not a valid MQTT topic filter
         */
        public Builder route(String topicFilter, PayloadSpec spec) {
            TopicFilter.parse(topicFilter);
            routes.add(Map.entry(topicFilter, Objects.requireNonNull(spec, "spec must not be null")));
            return this;
        }

        /**
         * Sets the super table of the mappings whose {@link PayloadSpec} names none ("Super Table Name" in the
         * TDengine Cloud MQTT data source form): a shortcut for the common case of one spec. A spec that names one
         * ({@link PayloadSpec.Builder#superTable}) keeps its own, which is how {@link #route routes} write different
         * super tables. {@link #build()} fails when no mapping takes this value because every spec names another.
         *
         * @param name at most 192 bytes, no '.', backquote or control characters
         * @return this builder
         */
        public Builder superTable(String name) {
            this.superTable = Identifiers.check("super table name", name, Identifiers.MAX_TABLE_NAME_BYTES);
            return this;
        }

        /**
         * Sets the sub-table name template of the mappings whose {@link PayloadSpec} names none, for example
         * {@code d{id}} ("STable Name" in the TDengine Cloud MQTT data source form); the same rule as
         * {@link #superTable}: a spec's own ({@link PayloadSpec.Builder#subTableTemplate}) wins, and {@link #build()}
         * fails when no mapping takes this one.
         *
         * @param template literal text and {@code {field}} placeholders
         * @return this builder
         */
        public Builder subTableTemplate(String template) {
            this.subTableTemplate = SubTableTemplate.parse(template).text();
            return this;
        }

        /**
         * Sets when a batch is written: at {@code maxRows} rows or when its first row is {@code maxAge} old; default
         * {@value #DEFAULT_BATCH_MAX_ROWS} rows, 500 ms.
         *
         * @param maxRows greater than 0
         * @param maxAge greater than 0
         * @return this builder
         */
        public Builder batching(int maxRows, Duration maxAge) {
            if (maxRows <= 0) {
                throw new IllegalArgumentException("batch size must be greater than 0, but was " + maxRows);
            }
            Objects.requireNonNull(maxAge, "maxAge must not be null");
            if (maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("batch max age must be greater than 0, but was " + maxAge);
            }
            this.batchMaxRows = maxRows;
            this.batchMaxAge = maxAge;
            return this;
        }

        /**
         * Sets how long the writer waits for more rows before writing a partial batch; default 20 ms. Under load
         * batches fill up; when input pauses the rows are written after this idle time instead of waiting for the
         * batch's max age. A broker with a small delivery window (mosquitto's {@code max_inflight_messages}, EMQX's
         * {@code max_inflight}, an MQTT 5 receive maximum) sends that many unacknowledged messages and then waits for
         * acknowledgements: the writers learn such a window (arrivals stopped twice at about the same number of
         * messages in flight) and then write as soon as that many are in flight, without waiting for this idle time,
         * and forget it when more arrive; likewise while the transport is paused at {@code maxInFlight}. See
         * docs/performance.md.
         *
         * @param idle greater than 0; values above the max age have no effect
         * @return this builder
         */
        public Builder batchIdle(Duration idle) {
            Objects.requireNonNull(idle, "batchIdle must not be null");
            if (idle.isNegative() || idle.isZero()) {
                throw new IllegalArgumentException("batch idle must be greater than 0, but was " + idle);
            }
            this.batchIdle = idle;
            return this;
        }

        /**
         * Lets batches grow under a backlog, so that a database gets more rows per sub-table per statement when the
         * pipeline falls behind: when a batch fills up and at least as many rows again are waiting for its writer,
         * the next batch may take twice as many, up to {@code factor} times the batch size and never more than half
         * of {@code maxInFlight} per writer; a batch written by its age or idle time brings the size back to the
         * batch size, so latency at low load is unchanged. Default {@value #DEFAULT_BATCH_GROWTH}; 1 keeps every
         * batch at the batch size (for a sink that needs a fixed bound). The TDengine sink still splits statements
         * under its {@code maxSqlBytes}.
         *
         * @param factor 1 or more
         * @return this builder
         */
        public Builder batchGrowth(int factor) {
            if (factor < 1) {
                throw new IllegalArgumentException("batchGrowth must be 1 or more, but was " + factor);
            }
            this.batchGrowth = factor;
            return this;
        }

        /**
         * Bounds unacknowledged messages; at the bound the transport is paused (backpressure), nothing is dropped,
         * and it resumes at half the bound. {@code MqttTransport} pauses by no longer reading its connection, so the
         * backlog stays in the broker; the messages of the socket reads under way are still delivered. Default
         * {@value #DEFAULT_MAX_IN_FLIGHT}.
         *
         * @param max greater than 0
         * @return this builder
         */
        public Builder maxInFlight(int max) {
            if (max <= 0) {
                throw new IllegalArgumentException("max in flight must be greater than 0, but was " + max);
            }
            this.maxInFlight = max;
            return this;
        }

        /**
         * Sets the number of writer threads; rows are partitioned by sub-table so each table's rows stay in order.
         * Default {@value #DEFAULT_WRITERS}.
         *
         * @param count 1 to 64
         * @return this builder
         */
        public Builder writers(int count) {
            if (count < 1 || count > 64) {
                throw new IllegalArgumentException("writers must be between 1 and 64, but was " + count);
            }
            this.writers = count;
            return this;
        }

        /**
         * Sets the capped exponential backoff (with jitter) between retries of a batch; default 100 ms to 30 s.
         *
         * @param initial the first delay, greater than 0
         * @param max the cap, at least initial
         * @return this builder
         */
        public Builder retryBackoff(Duration initial, Duration max) {
            Objects.requireNonNull(initial, "initial backoff must not be null");
            Objects.requireNonNull(max, "max backoff must not be null");
            if (initial.isNegative() || initial.isZero()) {
                throw new IllegalArgumentException("initial backoff must be greater than 0, but was " + initial);
            }
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("max backoff must be at least the initial backoff " + initial
                        + ", but was " + max);
            }
            this.retryInitialBackoff = initial;
            this.retryMaxBackoff = max;
            return this;
        }

        /**
         * Sets how often one batch is retried before the pipeline fails; by default it is retried for ever
         * ({@link #retryForever()}), so a long outage loses nothing.
         *
         * @param max retries, 0 or more (0: the first retriable failure fails the pipeline)
         * @return this builder
         */
        public Builder maxRetries(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("max retries must be 0 or more, but was " + max
                        + "; retryForever() retries without limit");
            }
            this.maxRetries = max;
            return this;
        }

        /**
         * Retries a failing batch for ever, with the backoff of {@link #retryBackoff}; the default. Nothing is
         * acknowledged meanwhile, so the backlog stays with the broker.
         *
         * @return this builder
         */
        public Builder retryForever() {
            this.maxRetries = -1;
            return this;
        }

        /**
         * Sets how long {@code close()} waits for in-flight messages; default 30 s.
         *
         * @param timeout at least 0
         * @return this builder
         */
        public Builder shutdownTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "shutdown timeout must not be null");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("shutdown timeout must not be negative, but was " + timeout);
            }
            this.shutdownTimeout = timeout;
            return this;
        }

        /**
         * Sets how long a batch may go unwritten, from its first call of {@code Sink.write} through its retries, before
         * the pipeline reports it: a WARN line, once per batch, from the pipeline's watch thread
         * {@code mqtt2td-<name>-watch} (never from the blocked writer thread), then an INFO line when the batch is
         * written or given up; {@link PipelineMetrics#writeStalledMillis()} and {@link
         * PipelineMetrics#stalledWrites()}; {@link PipelineListener#onSinkStalled(Duration)}. A database client that
         * blocks and retries on its own while the server is down (TDengine's native client does) shows up this way,
         * and so do retries that each fail at once (a refused WebSocket connection).
         * Default {@link #DEFAULT_STALL_WARNING} (5 s).
         *
         * @param threshold greater than 0
         * @return this builder
         * @since 0.1.0
         */
        public Builder stallWarning(Duration threshold) {
            Objects.requireNonNull(threshold, "stallWarning must not be null");
            if (threshold.isNegative() || threshold.isZero()) {
                throw new IllegalArgumentException("stallWarning must be greater than 0, but was " + threshold);
            }
            this.stallWarning = threshold;
            return this;
        }

        /**
         * Sets where messages that cannot be mapped or written are kept, replacing any destination set before; default
         * {@link DeadLetterHandler#logging()} (one WARN line, nothing kept). A dead-lettered message is acknowledged
         * only after the destination stored it; a destination that throws is retried with the retry back-off while the
         * message holds its place in flight (see {@link DeadLetterHandler}).
         *
         * @param handler the destination
         * @return this builder
         */
        public Builder deadLetterHandler(DeadLetterHandler handler) {
            Objects.requireNonNull(handler, "deadLetterHandler must not be null");
            deadLetterHandlers.clear();
            deadLetterHandlers.add(handler);
            return this;
        }

        /**
         * Adds a dead-letter destination beside those set before (the default {@link DeadLetterHandler#logging()}
         * stays unless {@link #deadLetterHandler} replaced it): each dead letter goes to every destination, and its
         * message is acknowledged once all of them stored it.
         *
         * @param handler the destination to add
         * @return this builder
         */
        public Builder addDeadLetterHandler(DeadLetterHandler handler) {
            deadLetterHandlers.add(Objects.requireNonNull(handler, "deadLetterHandler must not be null"));
            return this;
        }

        /**
         * Sets what bad messages do; default {@link BadMessagePolicy#DEAD_LETTER}.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder badMessagePolicy(BadMessagePolicy policy) {
            this.badMessagePolicy = Objects.requireNonNull(policy, "badMessagePolicy must not be null");
            return this;
        }

        /**
         * Adds a listener for state changes, failures, connection changes and dead letters.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(PipelineListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
            return this;
        }

        /**
         * Builds the pipeline; nothing connects yet.
         *
         * @return the pipeline
         * @throws IllegalStateException naming the missing or contradicting setting
         */
        public SyncPipeline build() {
            if (transport == null) {
                throw new IllegalStateException("source must be set");
            }
            if (sink == null) {
                throw new IllegalStateException("sink must be set");
            }
            if (payload == null && routes.isEmpty()) {
                throw new IllegalStateException("payload must be set (or at least one route)");
            }
            List<Map.Entry<String, PayloadSpec>> specs = new ArrayList<>(routes);
            if (payload != null) {
                specs.add(Map.entry(DEFAULT_ROUTE, payload));
            }
            List<Mapping> mappings = new ArrayList<>();
            for (Map.Entry<String, PayloadSpec> m : TableNaming.resolve(superTable, subTableTemplate, specs)) {
                mappings.add(new Mapping(name, m.getKey(), m.getValue()));
            }
            List<String> subscribed = transport.topicFilters();
            for (Map.Entry<String, PayloadSpec> route : routes) {
                checkTopicLevels(subscribed, route.getKey(), route.getValue());
            }
            if (payload != null) {
                checkTopicLevels(subscribed, DEFAULT_ROUTE, payload);
            }
            Router router = new Router(name, mappings);
            return new DefaultSyncPipeline(PipelineSettings.builder().name(name).transport(transport).sink(sink)
                    .router(router).batchMaxRows(batchMaxRows).batchGrowth(batchGrowth).batchMaxAge(batchMaxAge)
                    .batchIdle(batchIdle).maxInFlight(maxInFlight).writers(writers)
                    .retryInitialBackoff(retryInitialBackoff).retryMaxBackoff(retryMaxBackoff).maxRetries(maxRetries)
                    .shutdownTimeout(shutdownTimeout).stallWarning(stallWarning).deadLetterHandlers(deadLetterHandlers)
                    .badMessagePolicy(badMessagePolicy).listeners(listeners).build());
        }

        /** Fails when a field reads a topic level that no topic the transport subscribes to (and the route takes) has. */
        private void checkTopicLevels(List<String> subscribed, String routeFilter, PayloadSpec spec) {
            if (subscribed.isEmpty()) {
                return;
            }
            int deepest = -1;
            for (String f : subscribed) {
                deepest = Math.max(deepest, deepestLevel(f));
            }
            int bound = Math.min(deepest, deepestLevel(routeFilter));
            if (bound == Integer.MAX_VALUE) {
                return;
            }
            for (Field field : spec.fields()) {
                if (field.topicLevel() > bound) {
                    throw new IllegalStateException("Pipeline '" + name + "': field '" + field.name() + "' reads topic "
                            + "level " + field.topicLevel() + ", but the subscribed topic filters " + subscribed
                            + (routeFilter.equals(DEFAULT_ROUTE) ? "" : " (route '" + routeFilter + "')")
                            + " only take topics with levels 0.." + bound + "; levels count from 0 (in "
                            + "plant/+/meters, level 1 is the '+')");
                }
            }
        }

        /** The deepest 0-based level a topic matching the filter can have; MAX_VALUE when it ends in '#'. */
        private static int deepestLevel(String filter) {
            return TopicFilter.parse(filter).deepestLevel().orElse(Integer.MAX_VALUE);
        }

        @Override
        public String toString() {
            return "SyncPipeline.Builder{name=" + name + ", source=" + transport + ", sink=" + sink + '}';
        }
    }
}
