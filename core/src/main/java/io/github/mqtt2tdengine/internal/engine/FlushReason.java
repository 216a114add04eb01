package io.github.mqtt2tdengine.internal.engine;

/** Why a writer wrote a batch; counted per reason in {@link EngineMetrics#flushes}. Not API. */
enum FlushReason {
    /** The batch reached its size. */
    FULL,
    /** Its first row reached the batch's max age. */
    AGE,
    /** No row arrived for {@code batchIdle}. */
    IDLE,
    /**
     * Input is held back: the pipeline's in-flight count reached the delivery window the writer learned (a broker that
     * sends no more until it gets acknowledgements), or the transport is paused at {@code maxInFlight}.
     */
    WINDOW,
    /** A close drains the pipeline. */
    CLOSING
}
