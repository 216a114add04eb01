package io.github.mqtt2tdengine.mqtt.internal;

import io.github.mqtt2tdengine.spi.ConnectionState;
import io.github.mqtt2tdengine.spi.MessageHandler;

/**
 * One client library driving the transport (HiveMQ for 3.1.1/5.0, Paho for 3.1). Not API; may change in any release.
 */
public interface MqttSession {

    /**
     * Connects and subscribes.
     *
     * @param handler the engine
     */
    void start(MessageHandler handler);

    /** Stops taking QoS 0 messages (they are dropped and reported); QoS 1/2 stay bounded by the broker's window. */
    void pause();

    /** Takes messages again. */
    void resume();

    /**
     * Returns the connection state.
     *
     * @return the state
     */
    ConnectionState state();

    /** Disconnects; idempotent. */
    void close();
}
