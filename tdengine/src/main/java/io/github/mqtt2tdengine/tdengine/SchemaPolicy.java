package io.github.mqtt2tdengine.tdengine;

/**
 * What the sink does when an existing super table lacks a mapped column or tag.
 *
 * @since 0.1.0
 */
public enum SchemaPolicy {
    /** Fail at start, naming the missing column (the default). Type mismatches always fail. */
    CHECK,
    /** Add missing columns and tags with {@code ALTER STABLE ... ADD COLUMN/TAG}. */
    ADD_MISSING
}
