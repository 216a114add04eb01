package io.github.mqtt2tdengine.mqtt.internal;

import io.github.mqtt2tdengine.spi.ConnectionState;
import io.github.mqtt2tdengine.spi.TransportContext;

/**
 * One client library driving the transport (HiveMQ for 3.1.1/5.0, Paho for 3.1). Not API; may change in any release.
 */
public interface MqttSession {

    /**
     * Connects and subscribes.
     *
     * @param context the engine
     */
    void start(TransportContext context);

    /** Stops reading from the broker (socket-level backpressure); messages already read are still delivered. */
    void pause();

    /** Reads from the broker again. */
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
