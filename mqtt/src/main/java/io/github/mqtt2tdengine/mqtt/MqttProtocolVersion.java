package io.github.mqtt2tdengine.mqtt;

/**
 * MQTT protocol version the transport speaks.
 *
 * @since 0.1.0
 */
public enum MqttProtocolVersion {
    /** MQTT 3.1 (protocol name {@code MQIsdp}), through Eclipse Paho. */
    V3_1("3.1"),
    /** MQTT 3.1.1, through the HiveMQ MQTT Client. */
    V3_1_1("3.1.1"),
    /** MQTT 5.0, through the HiveMQ MQTT Client (the default). */
    V5("5.0");

    private final String text;

    MqttProtocolVersion(String text) {
        this.text = text;
    }

    /**
     * Returns the version as the TDengine Cloud MQTT data source form writes it.
     *
     * @return {@code 3.1}, {@code 3.1.1} or {@code 5.0}
     */
    public String text() {
        return text;
    }

    /**
     * Parses {@code 3.1}, {@code 3.1.1}, {@code 5.0} (also {@code 5}, {@code 3}).
     *
     * @param text the version
     * @return the version
     * @throws IllegalArgumentException for any other text
     */
    public static MqttProtocolVersion parse(String text) {
        switch (text.trim()) {
            case "3.1":
                return V3_1;
            case "3.1.1":
            case "3":
                return V3_1_1;
            case "5.0":
            case "5":
                return V5;
            default:
                throw new IllegalArgumentException("MQTT protocol version must be 3.1, 3.1.1 or 5.0, but was '" + text
                        + "'");
        }
    }
}
