package io.github.mqtt2tdengine.examples;

/** A bad config file or argument: the message names the field; the runner exits with code 2. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the field and what is wrong
     */
    public ConfigException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message names the field and what is wrong
     * @param cause the cause
     */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
