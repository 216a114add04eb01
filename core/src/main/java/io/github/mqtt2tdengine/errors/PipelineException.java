package io.github.mqtt2tdengine.errors;

/**
 * Root of every exception the library throws; unchecked, and its subtype says whether a retry can help.
 *
 * @since 0.1.0
 */
public class PipelineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a one-sentence message.
     *
     * @param message the message, never containing secrets or payload bytes
     */
    public PipelineException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a one-sentence message and its cause.
     *
     * @param message the message, never containing secrets or payload bytes
     * @param cause the cause, may be null
     */
    public PipelineException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates an exception that may skip its stack trace, for errors raised per message on hot paths.
     *
     * @param message the message
     * @param cause the cause, may be null
     * @param writableStackTrace whether to fill in the stack trace
     */
    protected PipelineException(String message, Throwable cause, boolean writableStackTrace) {
        super(message, cause, true, writableStackTrace);
    }
}
