package io.github.mqtt2tdengine.payload;

/**
 * What happens to characters TDengine forbids in a generated sub-table name ({@code .}, backquote, control
 * characters).
 *
 * @since 0.1.0
 */
public enum TableNamePolicy {
    /** Replace each with the replacement character, {@code _} by default (the default). */
    REPLACE,
    /** Dead-letter the message with reason {@code INVALID_TABLE_NAME}. */
    REJECT
}
