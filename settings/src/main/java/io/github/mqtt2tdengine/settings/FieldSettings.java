package io.github.mqtt2tdengine.settings;

import io.github.mqtt2tdengine.payload.FieldScope;
import io.github.mqtt2tdengine.payload.FieldTarget;
import io.github.mqtt2tdengine.payload.TimestampUnit;

/**
 * One of {@code parser.fields}: a custom field ({@code Field.builder(name)}). Exactly one of {@code path},
 * {@code topicLevel} and {@code expr}. Immutable; every component may be null (not set).
 *
 * @param name the column or tag name; required
 * @param path JSONPath of the value, e.g. $.metrics.current
 * @param topicLevel the value is this 0-based topic level (plant/&lt;1&gt;/meters)
 * @param expr the value is computed from other fields, e.g. voltage * current
 * @param type TDengine type as in ColumnType.parse, e.g. INT, FLOAT, VARCHAR(32), TIMESTAMP; required
 * @param as column, tag or ignore (read only for the sub-table template); default column
 * @param required a message without the value is dead-lettered; default false (NULL)
 * @param primaryKey this TIMESTAMP field is the row's primary key instead of the receive time; default false
 * @param unit unit of a numeric TIMESTAMP: seconds, milliseconds, microseconds, nanoseconds or auto; default auto
 * @param scope with split: element (read from each element) or message (from the whole message); default element
 * @since 0.1.0
 */
public record FieldSettings(String name, String path, Integer topicLevel, String expr, String type, FieldTarget as,
        Boolean required, Boolean primaryKey, TimestampUnit unit, FieldScope scope) {
}
