package io.github.mqtt2tdengine.mqtt.internal;

/**
 * The MQTT 5 user properties of a received message, looked up by name. Not API; may change in any release.
 */
@FunctionalInterface
interface UserProperties {
    /** No properties: MQTT 3.1.1 and 3.1, or a session that does not look at them. */
    UserProperties NONE = name -> null;

    /**
     * Returns the first value of a property.
     *
     * @param name the property's name
     * @return its value, or null when the message has none of that name
     */
    String get(String name);
}
