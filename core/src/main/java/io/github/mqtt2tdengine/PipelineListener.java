package io.github.mqtt2tdengine;

import io.github.mqtt2tdengine.spi.ConnectionState;

/**
 * Receives a pipeline's lifecycle events; every method has an empty default.
 *
 * <p>Methods are called on library threads (the thread that changed the state: the caller of {@code start()} or
 * {@code close()}, a writer thread, a transport thread) and must not block. If one throws, the exception is logged
 * at WARN and ignored.
 *
 * @since 0.1.0
 */
public interface PipelineListener {

    /**
     * Called when the pipeline's state changes.
     *
     * @param previous the state before
     * @param current the state now
     */
    default void onStateChanged(PipelineState previous, PipelineState current) {
    }

    /**
     * Called once when the pipeline fails: a fatal sink error, a transport that cannot go on, a bad message under
     * {@link BadMessagePolicy#FAIL}. Nothing is acknowledged after this.
     *
     * @param cause why it failed
     */
    default void onFailed(Throwable cause) {
    }

    /**
     * Called when the transport's connection state changes (connected, reconnecting, disconnected).
     *
     * @param state the new connection state
     * @param detail a short human-readable detail (the broker address, the cause of a disconnect), never a secret
     */
    default void onConnectionStateChanged(ConnectionState state, String detail) {
    }

    /**
     * Called on a writer thread after a message was dead-lettered (after the {@link DeadLetterHandler} ran).
     *
     * @param deadLetter the dead letter
     */
    default void onDeadLetter(DeadLetter deadLetter) {
    }
}
