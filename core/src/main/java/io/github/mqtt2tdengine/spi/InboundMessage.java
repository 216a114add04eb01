package io.github.mqtt2tdengine.spi;

import java.time.Instant;

/**
 * One message a {@link Transport} delivered, to be acknowledged by the engine once its rows are committed.
 *
 * @since 0.1.0
 */
public interface InboundMessage {

    /**
     * Returns the topic the message was published on.
     *
     * @return the topic
     */
    String topic();

    /**
     * Returns the payload bytes; read-only by convention.
     *
     * @return the payload, never null (empty when there is none)
     */
    byte[] payload();

    /**
     * Returns the QoS the message was delivered with.
     *
     * @return 0, 1 or 2
     */
    int qos();

    /**
     * Returns when the transport received the message.
     *
     * @return the receive time
     */
    Instant receivedAt();

    /**
     * Acknowledges the message to the broker. The engine calls it exactly once, only after every row the message
     * produced has been committed (or the message was dead-lettered). Called on a writer thread, or on the transport
     * thread for messages that produced no rows; must not block. For QoS 0 it does nothing.
     */
    void acknowledge();
}
