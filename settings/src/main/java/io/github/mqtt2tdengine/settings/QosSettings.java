package io.github.mqtt2tdengine.settings;

import io.github.mqtt2tdengine.payload.FieldTarget;

/**
 * The {@code parser.qos} section: the message's QoS as a TINYINT column or tag ({@code PayloadSpec.Builder.qos}).
 * Immutable; every component may be null.
 *
 * @param as column, tag or ignore; default ignore
 * @param name the column or tag name; default qos
 * @since 0.1.0
 */
public record QosSettings(FieldTarget as, String name) {
}
