package io.github.mqtt2tdengine.errors;

/**
 * Thrown by a {@link io.github.mqtt2tdengine.spi.Sink} when a batch cannot be written and a retry will not help;
 * the pipeline fails and acknowledges nothing more, so the broker redelivers.
 *
 * @since 0.1.0
 */
public class SinkException extends PipelineException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message one sentence naming what failed
     */
    public SinkException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message one sentence naming what failed
     * @param cause the cause, may be null
     */
    public SinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
