package io.github.mqtt2tdengine.settings;

/**
 * Settings that are not valid: the message names the key and the bad value and says how to fix it, for example
 * {@code "unknown key mqtt.keepAlive (see docs/configuration.md, the configuration reference)"}, and never holds a secret.
 *
 * <p>It extends {@link IllegalArgumentException}, not the library's {@code PipelineException}: settings are builder
 * arguments read from a file or properties, and the builders reject a bad argument with
 * {@code IllegalArgumentException}, so a host catches both the same way. A bad configuration never gets better by
 * retrying.
 *
 * @since 0.1.0
 */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message one sentence naming the key and what is wrong, never a secret
     * @since 0.1.0
     */
    public ConfigException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message one sentence naming the key and what is wrong, never a secret
     * @param cause the cause, may be null
     * @since 0.1.0
     */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
