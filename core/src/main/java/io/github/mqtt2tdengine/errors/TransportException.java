package io.github.mqtt2tdengine.errors;

/**
 * Thrown when a {@link io.github.mqtt2tdengine.spi.Transport} cannot connect, subscribe or deliver.
 *
 * @since 0.1.0
 */
public class TransportException extends PipelineException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message one sentence naming what failed and where
     */
    public TransportException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message one sentence naming what failed and where
     * @param cause the cause, may be null
     */
    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
