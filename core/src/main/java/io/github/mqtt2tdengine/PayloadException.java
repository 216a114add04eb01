package io.github.mqtt2tdengine;

import io.github.mqtt2tdengine.errors.DeadLetterReason;

/**
 * The 0.1 name of {@link io.github.mqtt2tdengine.errors.PayloadException}, a message that cannot be mapped, kept for
 * one release so that a custom parser written against 0.1 that throws it still compiles and behaves as before (it is
 * one).
 *
 * @deprecated the exceptions moved to the leaf package {@code io.github.mqtt2tdengine.errors}, so that the API's
 *     packages form no cycle; throw and catch {@link io.github.mqtt2tdengine.errors.PayloadException}. A failure the
 *     library hands to a host ({@code start()}, {@code PipelineListener.onFailed}) of exactly the class {@code
 *     errors.PayloadException} comes as this name, so a {@code catch} of it still works there.
 * @since 0.1.0
 */
@Deprecated(since = "0.2.0", forRemoval = true)
public class PayloadException extends io.github.mqtt2tdengine.errors.PayloadException {
    private static final long serialVersionUID = 2L;

    /**
     * Creates the exception.
     *
     * @param reason the category it is counted under
     * @param message one sentence naming the field, the path and the bad value
     */
    public PayloadException(DeadLetterReason reason, String message) {
        super(reason, message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param reason the category it is counted under
     * @param message one sentence naming the field, the path and the bad value
     * @param cause the cause, may be null
     */
    public PayloadException(DeadLetterReason reason, String message, Throwable cause) {
        super(reason, message, cause);
    }
}
