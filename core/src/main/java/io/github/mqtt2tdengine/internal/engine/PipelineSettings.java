package io.github.mqtt2tdengine.internal.engine;

import io.github.mqtt2tdengine.BadMessagePolicy;
import io.github.mqtt2tdengine.DeadLetterHandler;
import io.github.mqtt2tdengine.PipelineListener;
import io.github.mqtt2tdengine.internal.payload.Router;
import io.github.mqtt2tdengine.spi.Sink;
import io.github.mqtt2tdengine.spi.Transport;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the builder validated, immutable; built by name with {@link #builder()} (no positional parameters to
 * confuse). The values are checked by {@code SyncPipeline.Builder}; {@link Builder#build()} only checks that each
 * object is set. Not API; may change in any release.
 */
public final class PipelineSettings {
    private final String name;
    private final Transport transport;
    private final Sink sink;
    private final Router router;
    private final int batchMaxRows;
    private final int batchGrowth;
    private final Duration batchMaxAge;
    private final Duration batchIdle;
    private final int maxInFlight;
    private final int writers;
    private final Duration retryInitialBackoff;
    private final Duration retryMaxBackoff;
    private final int maxRetries;
    private final Duration shutdownTimeout;
    private final Duration stallWarning;
    private final List<DeadLetterHandler> deadLetterHandlers;
    private final BadMessagePolicy badMessagePolicy;
    private final List<PipelineListener> listeners;

    private PipelineSettings(Builder b) {
        this.name = Objects.requireNonNull(b.name, "name must be set");
        this.transport = Objects.requireNonNull(b.transport, "transport must be set");
        this.sink = Objects.requireNonNull(b.sink, "sink must be set");
        this.router = Objects.requireNonNull(b.router, "router must be set");
        this.batchMaxRows = b.batchMaxRows;
        this.batchGrowth = b.batchGrowth;
        this.batchMaxAge = Objects.requireNonNull(b.batchMaxAge, "batchMaxAge must be set");
        this.batchIdle = Objects.requireNonNull(b.batchIdle, "batchIdle must be set");
        this.maxInFlight = b.maxInFlight;
        this.writers = b.writers;
        this.retryInitialBackoff = Objects.requireNonNull(b.retryInitialBackoff, "retryInitialBackoff must be set");
        this.retryMaxBackoff = Objects.requireNonNull(b.retryMaxBackoff, "retryMaxBackoff must be set");
        this.maxRetries = b.maxRetries;
        this.shutdownTimeout = Objects.requireNonNull(b.shutdownTimeout, "shutdownTimeout must be set");
        this.stallWarning = Objects.requireNonNull(b.stallWarning, "stallWarning must be set");
        this.deadLetterHandlers = List.copyOf(b.deadLetterHandlers);
        if (deadLetterHandlers.isEmpty()) {
            throw new IllegalStateException("at least one dead-letter handler must be set");
        }
        this.badMessagePolicy = Objects.requireNonNull(b.badMessagePolicy, "badMessagePolicy must be set");
        this.listeners = List.copyOf(b.listeners);
    }

    /**
     * Starts the settings of a pipeline.
     *
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns pipeline name.
     *
     * @return pipeline name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the source.
     *
     * @return the source
     */
    public Transport transport() {
        return transport;
    }

    /**
     * Returns the destination.
     *
     * @return the destination
     */
    public Sink sink() {
        return sink;
    }

    /**
     * Returns the compiled mappings.
     *
     * @return the compiled mappings
     */
    public Router router() {
        return router;
    }

    /**
     * Returns rows per batch.
     *
     * @return rows per batch
     */
    public int batchMaxRows() {
        return batchMaxRows;
    }

    /**
     * Returns how many times batchMaxRows a batch may reach under a backlog.
     *
     * @return how many times batchMaxRows a batch may reach under a backlog
     */
    public int batchGrowth() {
        return batchGrowth;
    }

    /**
     * Returns age of a batch's first row before it is written.
     *
     * @return age of a batch's first row before it is written
     */
    public Duration batchMaxAge() {
        return batchMaxAge;
    }

    /**
     * Returns how long without new rows before a partial batch is written.
     *
     * @return how long without new rows before a partial batch is written
     */
    public Duration batchIdle() {
        return batchIdle;
    }

    /**
     * Returns unacknowledged message bound.
     *
     * @return unacknowledged message bound
     */
    public int maxInFlight() {
        return maxInFlight;
    }

    /**
     * Returns writer threads.
     *
     * @return writer threads
     */
    public int writers() {
        return writers;
    }

    /**
     * Returns first retry delay.
     *
     * @return first retry delay
     */
    public Duration retryInitialBackoff() {
        return retryInitialBackoff;
    }

    /**
     * Returns retry delay cap.
     *
     * @return retry delay cap
     */
    public Duration retryMaxBackoff() {
        return retryMaxBackoff;
    }

    /**
     * Returns retries per batch, -1 unlimited.
     *
     * @return retries per batch, -1 unlimited
     */
    public int maxRetries() {
        return maxRetries;
    }

    /**
     * Returns how long close waits.
     *
     * @return how long close waits
     */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /**
     * Returns how long one batch may take before it is reported.
     *
     * @return how long one batch may take before it is reported
     */
    public Duration stallWarning() {
        return stallWarning;
    }

    /**
     * Returns where bad messages go.
     *
     * @return where bad messages go
     */
    public List<DeadLetterHandler> deadLetterHandlers() {
        return deadLetterHandlers;
    }

    /**
     * Returns dead-letter or fail.
     *
     * @return dead-letter or fail
     */
    public BadMessagePolicy badMessagePolicy() {
        return badMessagePolicy;
    }

    /**
     * Returns event listeners.
     *
     * @return event listeners
     */
    public List<PipelineListener> listeners() {
        return listeners;
    }

    /** Mutable, one thread; each setter names the value it sets. */
    public static final class Builder {
        private String name;
        private Transport transport;
        private Sink sink;
        private Router router;
        private int batchMaxRows;
        private int batchGrowth;
        private Duration batchMaxAge;
        private Duration batchIdle;
        private int maxInFlight;
        private int writers;
        private Duration retryInitialBackoff;
        private Duration retryMaxBackoff;
        private int maxRetries;
        private Duration shutdownTimeout;
        private Duration stallWarning;
        private List<DeadLetterHandler> deadLetterHandlers = List.of();
        private BadMessagePolicy badMessagePolicy;
        private List<PipelineListener> listeners = List.of();

        private Builder() {
        }

        /**
         * Sets pipeline name.
         *
         * @param value pipeline name
         * @return this
         */
        public Builder name(String value) {
            this.name = value;
            return this;
        }

        /**
         * Sets the source.
         *
         * @param value the source
         * @return this
         */
        public Builder transport(Transport value) {
            this.transport = value;
            return this;
        }

        /**
         * Sets the destination.
         *
         * @param value the destination
         * @return this
         */
        public Builder sink(Sink value) {
            this.sink = value;
            return this;
        }

        /**
         * Sets the compiled mappings.
         *
         * @param value the compiled mappings
         * @return this
         */
        public Builder router(Router value) {
            this.router = value;
            return this;
        }

        /**
         * Sets rows per batch.
         *
         * @param value rows per batch
         * @return this
         */
        public Builder batchMaxRows(int value) {
            this.batchMaxRows = value;
            return this;
        }

        /**
         * Sets how many times batchMaxRows a batch may reach under a backlog.
         *
         * @param value how many times batchMaxRows a batch may reach under a backlog
         * @return this
         */
        public Builder batchGrowth(int value) {
            this.batchGrowth = value;
            return this;
        }

        /**
         * Sets age of a batch's first row before it is written.
         *
         * @param value age of a batch's first row before it is written
         * @return this
         */
        public Builder batchMaxAge(Duration value) {
            this.batchMaxAge = value;
            return this;
        }

        /**
         * Sets how long without new rows before a partial batch is written.
         *
         * @param value how long without new rows before a partial batch is written
         * @return this
         */
        public Builder batchIdle(Duration value) {
            this.batchIdle = value;
            return this;
        }

        /**
         * Sets unacknowledged message bound.
         *
         * @param value unacknowledged message bound
         * @return this
         */
        public Builder maxInFlight(int value) {
            this.maxInFlight = value;
            return this;
        }

        /**
         * Sets writer threads.
         *
         * @param value writer threads
         * @return this
         */
        public Builder writers(int value) {
            this.writers = value;
            return this;
        }

        /**
         * Sets first retry delay.
         *
         * @param value first retry delay
         * @return this
         */
        public Builder retryInitialBackoff(Duration value) {
            this.retryInitialBackoff = value;
            return this;
        }

        /**
         * Sets retry delay cap.
         *
         * @param value retry delay cap
         * @return this
         */
        public Builder retryMaxBackoff(Duration value) {
            this.retryMaxBackoff = value;
            return this;
        }

        /**
         * Sets retries per batch, -1 unlimited.
         *
         * @param value retries per batch, -1 unlimited
         * @return this
         */
        public Builder maxRetries(int value) {
            this.maxRetries = value;
            return this;
        }

        /**
         * Sets how long close waits.
         *
         * @param value how long close waits
         * @return this
         */
        public Builder shutdownTimeout(Duration value) {
            this.shutdownTimeout = value;
            return this;
        }

        /**
         * Sets how long one batch may take before it is reported.
         *
         * @param value how long one batch may take before it is reported
         * @return this
         */
        public Builder stallWarning(Duration value) {
            this.stallWarning = value;
            return this;
        }

        /**
         * Sets where bad messages go.
         *
         * @param value where bad messages go
         * @return this
         */
        public Builder deadLetterHandlers(List<DeadLetterHandler> value) {
            this.deadLetterHandlers = value;
            return this;
        }

        /**
         * Sets dead-letter or fail.
         *
         * @param value dead-letter or fail
         * @return this
         */
        public Builder badMessagePolicy(BadMessagePolicy value) {
            this.badMessagePolicy = value;
            return this;
        }

        /**
         * Sets event listeners.
         *
         * @param value event listeners
         * @return this
         */
        public Builder listeners(List<PipelineListener> value) {
            this.listeners = value;
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return the settings
         * @throws NullPointerException naming an object that was not set
         */
        public PipelineSettings build() {
            return new PipelineSettings(this);
        }
    }
}
