package io.github.mqtt2tdengine.mqtt.internal;

import io.github.mqtt2tdengine.errors.TransportException;
import io.github.mqtt2tdengine.mqtt.MqttProtocolVersion;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The dead-letter destination's own connection (never the source's, whose reads the pipeline pauses) and its keeper
 * session, on the HiveMQ client (MQTT 5.0, 3.1.1) or Paho (3.1). Connects only when asked, never reconnects by itself.
 * Not API; may change in any release.
 *
 * <p>Threads: {@link #connect}, {@link #keep} and {@link #drop} under the caller's lock; {@link #publish} from any
 * writer thread; {@link #close} once.
 */
interface DeadLetterClient {

    /**
     * Creates the client for the settings' protocol version; nothing connects yet.
     *
     * @param settings the connection's settings
     * @return the client
     */
    static DeadLetterClient create(MqttSettings settings) {
        return settings.version() == MqttProtocolVersion.V3_1 ? new PahoDeadLetterClient(settings)
                : new HiveMqDeadLetterClient(settings);
    }

    /**
     * Connects unless connected, waiting at most the connect timeout.
     *
     * @return true when a new connection was made, false when it was connected already
     * @throws TransportException naming the broker and why
     */
    boolean connect();

    /**
     * Makes the broker keep a persistent session that subscribes the given filter: connects with the keeper's client
     * id (clean session false), subscribes, and disconnects without acknowledging what the broker sent meanwhile (it
     * stays queued for the session). Waits at most twice the connect timeout.
     *
     * @param keeper the keeper's settings: client id, session, one subscription
     * @throws TransportException naming the broker, the client id and why
     */
    void keep(MqttSettings keeper);

    /**
     * Publishes at QoS 1 on the current connection.
     *
     * @param topic the topic
     * @param payload the payload
     * @param properties MQTT 5 user properties (name, value); ignored by MQTT 3
     * @return the PUBACK's reason code (0 with MQTT 3), or exceptionally when it was not acknowledged
     */
    CompletableFuture<Integer> publish(String topic, byte[] payload, List<String[]> properties);

    /** Closes the current connection (after a timeout, or a failure), so that the next {@link #connect} starts anew. */
    void drop();

    /** Disconnects and ends every thread the client started. */
    void close();
}
