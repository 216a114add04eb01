package io.github.mqtt2tdengine.mqtt.internal;

import io.github.mqtt2tdengine.spi.InboundMessage;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A message delivered by a client library, acknowledged through the library's manual-ack call. Not API.
 */
final class Delivered implements InboundMessage {
    private static final Logger LOG = LoggerFactory.getLogger(Delivered.class);

    private final String topic;
    private final byte[] payload;
    private final int qos;
    private final Instant receivedAt;
    private final Runnable ack;
    private final AtomicBoolean acked = new AtomicBoolean();

    Delivered(String topic, byte[] payload, int qos, Instant receivedAt, Runnable ack) {
        this.topic = topic;
        this.payload = payload;
        this.qos = qos;
        this.receivedAt = receivedAt;
        this.ack = ack;
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public byte[] payload() {
        return payload;
    }

    @Override
    public int qos() {
        return qos;
    }

    @Override
    public Instant receivedAt() {
        return receivedAt;
    }

    @Override
    public void acknowledge() {
        if (!acked.compareAndSet(false, true)) {
            return;
        }
        try {
            ack.run();
        } catch (RuntimeException e) {
            // the connection it came on is gone: the broker redelivers it on the persistent session
            LOG.debug("acknowledging a QoS {} message on '{}' failed: {}", qos, topic, e.toString());
        }
    }

    @Override
    public String toString() {
        return "MqttMessage{" + topic + ", qos=" + qos + ", " + payload.length + " bytes}";
    }
}
