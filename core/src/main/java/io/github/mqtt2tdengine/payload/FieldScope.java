package io.github.mqtt2tdengine.payload;

/**
 * What a field's JSONPath is evaluated against when the mapping splits messages into rows.
 *
 * @since 0.1.0
 */
public enum FieldScope {
    /** The array element the row comes from (the whole message when there is no row-split path). The default. */
    ELEMENT,
    /** The whole message, shared by all rows of that message. */
    MESSAGE
}
