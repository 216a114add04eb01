package io.github.mqtt2tdengine.settings;

import io.github.mqtt2tdengine.payload.FieldTarget;

/**
 * The {@code parser.topic} section: the message's topic as a column or tag ({@code PayloadSpec.Builder.topic}).
 * Immutable; every component may be null.
 *
 * @param as column, tag or ignore; default ignore
 * @param name the column or tag name; default topic
 * @param type VARCHAR(n) or NCHAR(n); default VARCHAR(256)
 * @since 0.1.0
 */
public record TopicSettings(FieldTarget as, String name, String type) {
}
