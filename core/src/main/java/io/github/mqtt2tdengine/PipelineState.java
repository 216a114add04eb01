package io.github.mqtt2tdengine;

/**
 * Lifecycle state of a {@link SyncPipeline}.
 *
 * @since 0.1.0
 */
public enum PipelineState {
    /** Built, not started. */
    NEW,
    /** {@link SyncPipeline#start()} is opening the sink and the transport. */
    STARTING,
    /** Receiving and writing. */
    RUNNING,
    /** {@link SyncPipeline#close()} is draining in-flight messages. */
    CLOSING,
    /** Closed; final. */
    CLOSED,
    /** Stopped by a fatal error; final. Unacknowledged messages stay with the broker. */
    FAILED
}
