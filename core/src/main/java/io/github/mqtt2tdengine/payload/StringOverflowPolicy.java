package io.github.mqtt2tdengine.payload;

/**
 * What happens to a string longer than its VARCHAR/NCHAR/VARBINARY column.
 *
 * @since 0.1.0
 */
public enum StringOverflowPolicy {
    /** Dead-letter the message with reason {@code VALUE_TOO_LONG} (the default). */
    REJECT,
    /** Cut the value to the column length, at a character boundary. */
    TRUNCATE
}
