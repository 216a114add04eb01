package io.github.mqtt2tdengine.payload;

/**
 * Where a mapped value goes in TDengine.
 *
 * @since 0.1.0
 */
public enum FieldTarget {
    /** Not stored (for {@code topic}/{@code qos}: left out; for a custom field: read only for the sub-table template). */
    IGNORE,
    /** A column of the super table. */
    COLUMN,
    /** A tag of the super table. */
    TAG
}
