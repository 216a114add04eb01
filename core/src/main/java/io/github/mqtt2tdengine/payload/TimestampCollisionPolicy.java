package io.github.mqtt2tdengine.payload;

/**
 * What happens when receive-time primary keys of two rows for one sub-table collide (TDengine keeps one row per
 * sub-table and timestamp, so the later row would silently replace the earlier one).
 *
 * @since 0.1.0
 */
public enum TimestampCollisionPolicy {
    /** Keep both: the later row moves forward by one precision unit past the last one written (the default). */
    SHIFT,
    /** Leave the timestamp alone: TDengine keeps the later row's values. */
    OVERWRITE
}
