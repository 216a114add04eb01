package io.github.mqtt2tdengine;

/**
 * What the pipeline does with a message it cannot map or the sink rejects.
 *
 * @since 0.1.0
 */
public enum BadMessagePolicy {
    /**
     * Count it, hand it to every dead-letter destination ({@link DeadLetterHandler}), acknowledge it once they stored
     * it, go on (the default).
     */
    DEAD_LETTER,
    /** Fail the pipeline; the message is not acknowledged, so the broker keeps it. */
    FAIL
}
