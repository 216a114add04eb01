package io.github.mqtt2tdengine.errors;

import java.util.Objects;

/**
 * Thrown when a message cannot be mapped to rows: bad JSON, a wrong type, a value out of range, a missing timestamp,
 * a bad table name. The engine dead-letters such messages and goes on.
 *
 * <p>Created once per bad message, so it carries no stack trace unless it has a cause.
 *
 * @since 0.1.0
 */
public class PayloadException extends PipelineException {
    private static final long serialVersionUID = 1L;

    private final DeadLetterReason reason;

    /**
     * Creates the exception.
     *
     * @param reason the category it is counted under
     * @param message one sentence naming the field, the path and the bad value
     */
    public PayloadException(DeadLetterReason reason, String message) {
        super(message, null, false);
        this.reason = Objects.requireNonNull(reason, "reason must not be null");
    }

    /**
     * Creates the exception with its cause.
     *
     * @param reason the category it is counted under
     * @param message one sentence naming the field, the path and the bad value
     * @param cause the cause, may be null
     */
    public PayloadException(DeadLetterReason reason, String message, Throwable cause) {
        super(message, cause, false);
        this.reason = Objects.requireNonNull(reason, "reason must not be null");
    }

    /**
     * Returns the category this error is counted and dead-lettered under.
     *
     * @return the reason, never null
     */
    public DeadLetterReason reason() {
        return reason;
    }
}
