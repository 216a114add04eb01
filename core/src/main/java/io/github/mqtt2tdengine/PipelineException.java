package io.github.mqtt2tdengine;

/**
 * The 0.1 name of {@link io.github.mqtt2tdengine.errors.PipelineException}, the base of the library's exceptions, kept
 * for one release so that code written against 0.1 that throws it still compiles and behaves as before (it is one).
 *
 * @deprecated the exceptions moved to the leaf package {@code io.github.mqtt2tdengine.errors}, so that the API's
 *     packages form no cycle; throw and catch {@link io.github.mqtt2tdengine.errors.PipelineException}. A failure the
 *     library hands to a host ({@code start()}, {@code PipelineListener.onFailed}) of exactly the class {@code
 *     errors.PipelineException} comes as this name too, but a {@code catch} of this name no longer catches the other
 *     exceptions: they extend the new base.
 * @since 0.1.0
 */
@Deprecated(since = "0.2.0", forRemoval = true)
public class PipelineException extends io.github.mqtt2tdengine.errors.PipelineException {
    private static final long serialVersionUID = 2L;

    /**
     * Creates the exception.
     *
     * @param message one sentence naming what failed
     */
    public PipelineException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message one sentence naming what failed
     * @param cause the cause, may be null
     */
    public PipelineException(String message, Throwable cause) {
        super(message, cause);
    }
}
