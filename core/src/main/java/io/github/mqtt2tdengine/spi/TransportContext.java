package io.github.mqtt2tdengine.spi;

import io.github.mqtt2tdengine.annotations.DoNotImplement;

/**
 * What the engine gives a {@link Transport} when it starts it (Kafka Connect calls its counterpart
 * {@code SinkTaskContext}): where messages and connection events go, and the in-flight bound to size the client's
 * window with. The engine implements it; a transport calls it.
 *
 * <p>All methods are called on transport threads and never block.
 *
 * <p>Not for implementation by host code ({@link DoNotImplement}): the engine implements it and passes it to {@link
 * Transport#start(TransportContext)}; transports only call it (a transport's own tests may stand in for it). Methods
 * may be added in a minor release.
 *
 * @since 0.1.0
 */
@FunctionalInterface
@DoNotImplement
public interface TransportContext {

    /**
     * Takes one message; it is acknowledged later through {@link InboundMessage#acknowledge()}.
     * Never blocks and never throws.
     *
     * @param message the message
     */
    void onMessage(InboundMessage message);

    /**
     * Returns how many messages the engine accepts unacknowledged; transports use it as MQTT 5 receive maximum or
     * client in-flight window, so a slow sink leaves the backlog in the broker.
     *
     * @return the in-flight bound, at least 1
     */
    default int maxInFlight() {
        return Integer.MAX_VALUE;
    }

    /**
     * Reports a connection state change.
     *
     * @param state the new state
     * @param detail a short detail (broker address, disconnect cause), never a secret
     */
    default void onConnectionStateChanged(ConnectionState state, String detail) {
    }

    /**
     * Reports a message the transport had to drop (a QoS 0 message arriving while paused, a client-side queue
     * overflow), so that no drop is silent: the engine counts it and logs it at WARN.
     *
     * @param topic the message's topic
     * @param qos its QoS
     * @param reason why it was dropped
     */
    default void onDropped(String topic, int qos, String reason) {
    }

    /**
     * Reports a message the broker sent again (the MQTT DUP flag: a delivery the broker made before was not
     * acknowledged, usually because the connection dropped first). The message itself still goes through {@link
     * #onMessage}; it may already be written (its rows were committed but the acknowledgement did not reach the
     * broker), which the sink's idempotent writes absorb. The engine counts it.
     *
     * @param topic the message's topic
     * @param qos its QoS
     * @since 0.2.0
     */
    default void onRedelivered(String topic, int qos) {
    }

    /**
     * Reports that the broker did not keep a persistent session across a reconnect (MQTT {@code sessionPresent=false}
     * although the client asked to resume one): what the broker held for the client while it was away is gone, and
     * the transport subscribed again. The engine counts it and logs it at WARN.
     *
     * @param detail the broker and client, never a secret
     * @since 0.2.0
     */
    default void onSessionLost(String detail) {
    }

    /**
     * Reports that the transport cannot go on (for example, reconnecting was given up); the pipeline fails.
     *
     * @param cause why
     */
    default void onTransportFailed(Throwable cause) {
    }
}
