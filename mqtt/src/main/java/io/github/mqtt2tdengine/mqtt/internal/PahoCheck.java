package io.github.mqtt2tdengine.mqtt.internal;

/**
 * Whether Eclipse Paho, an optional dependency needed only for MQTT 3.1, is on the class path. Not API; may change
 * in any release.
 */
public final class PahoCheck {
    private PahoCheck() {
    }

    /**
     * Looks for Paho's client class without initialising it.
     *
     * @return true when MQTT 3.1 can be spoken
     */
    public static boolean present() {
        try {
            Class.forName("org.eclipse.paho.client.mqttv3.MqttAsyncClient", false, PahoCheck.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
