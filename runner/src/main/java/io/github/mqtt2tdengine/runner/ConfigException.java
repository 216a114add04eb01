package io.github.mqtt2tdengine.runner;

/**
 * A config file (or a command-line argument of the runner) that is not valid: the message names the key and the bad
 * value, for example {@code "unknown key mqtt.keepAlive (see docs/configuration.md, the configuration reference)"}. The runner exits
 * with code 2 on it.
 *
 * <p>It extends {@link IllegalArgumentException}, not the library's {@code PipelineException}: a config is a set of
 * builder arguments read from a file, and the builders reject a bad argument with {@code IllegalArgumentException}
 * (STYLE.md section 3), so a host catches both the same way. {@code PipelineException} and its subtypes report
 * failures of a pipeline at work, where the type says whether a retry can help (section 5); a bad config never
 * gets better by retrying.
 *
 * <p>Thrown only by the deprecated {@link PipelineConfig} facade; the runner and the settings module throw
 * {@link io.github.mqtt2tdengine.settings.ConfigException}, which this one wraps as its cause.
 *
 * @since 0.1.0
 * @deprecated since 0.2.0, for removal in the release after: catch
 *     {@link io.github.mqtt2tdengine.settings.ConfigException}
 */
@Deprecated(since = "0.2.0", forRemoval = true)
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
