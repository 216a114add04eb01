package io.github.mqtt2tdengine;

import io.github.mqtt2tdengine.spi.ConnectionState;
import java.time.Duration;

/**
 * Receives a pipeline's lifecycle events; every method has an empty default.
 *
 * <p>Methods are called on library threads (the pipeline's lifecycle thread {@code mqtt2td-<name>-lifecycle}, which
 * runs the steps of start and close, a writer thread, a transport thread, the watch thread
 * {@code mqtt2td-<name>-watch}) and must not block. A listener may call {@code close()}: from inside a listener it asks
 * for the close and returns at once (waiting there could mean waiting for itself). If one throws, the exception is
 * logged at WARN and ignored.
 *
 * @since 0.1.0
 */
public interface PipelineListener {

    /**
     * Called when the pipeline's state changes, in the order of the changes: each call's {@code previous} is the
     * {@code current} of the call before, even when two threads change the state at the same moment (the pipeline
     * fails on a transport thread just as the lifecycle thread makes it RUNNING). Called on the thread that changed
     * the state, or on a thread delivering an earlier change at that moment. FAILED and CLOSED are final.
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
     * Called on a writer thread once every dead-letter destination ({@link DeadLetterHandler}) stored a message's dead
     * letter, just before the message is acknowledged.
     *
     * @param deadLetter the dead letter
     */
    default void onDeadLetter(DeadLetter deadLetter) {
    }

    /**
     * Called once when the sink stalls: one batch has gone unwritten longer than the pipeline's {@code stallWarning}
     * since its first attempt, in one call of {@code Sink.write} that hangs or through retries that keep failing (the
     * database may be unreachable or slow; rows wait and nothing is acknowledged). Not
     * called again, however many writes or writers stall meanwhile, until {@link #onSinkRecovered(Duration)}. Called on
     * the pipeline's watch thread {@code mqtt2td-<name>-watch}, never on the blocked writer thread.
     *
     * @param elapsed how long the batch had been under way
     * @since 0.1.0
     */
    default void onSinkStalled(Duration elapsed) {
    }

    /**
     * Called once after {@link #onSinkStalled(Duration)}, when every writer that stalled has committed a batch again.
     * Called on the watch thread, or on the lifecycle thread for a stall that ends while {@code close()} drains. Not
     * called when the pipeline fails, or closes while a writer is still stalled.
     *
     * @param stalledFor from the first attempt of the first batch that stalled to the commit that ended the stall
     * @since 0.1.0
     */
    default void onSinkRecovered(Duration stalledFor) {
    }
}
