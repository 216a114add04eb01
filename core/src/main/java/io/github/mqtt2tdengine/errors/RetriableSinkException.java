package io.github.mqtt2tdengine.errors;

/**
 * Thrown by a {@link io.github.mqtt2tdengine.spi.Sink} when a batch could not be written for a passing reason
 * (connection lost, timeout, server busy); the engine retries the same batch with backoff and acknowledges nothing.
 *
 * @since 0.1.0
 */
public class RetriableSinkException extends SinkException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message one sentence naming what failed
     */
    public RetriableSinkException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message one sentence naming what failed
     * @param cause the cause, may be null
     */
    public RetriableSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
