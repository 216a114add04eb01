package io.github.mqtt2tdengine.mqtt.internal;

import io.github.mqtt2tdengine.spi.InboundMessage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A message delivered by a client library, acknowledged through the library's manual-ack call (at most once), either
 * directly or through the client's {@link AckBatch}. Not API.
 */
final class Delivered implements InboundMessage {
    private static final Logger LOG = LoggerFactory.getLogger(Delivered.class);
    private static final VarHandle ACKED;

    static {
        try {
            ACKED = MethodHandles.lookup().findVarHandle(Delivered.class, "acked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String topic;
    private final byte[] payload;
    private final int qos;
    private final Instant receivedAt;
    private final Runnable ack;
    /** Runs the acknowledgement; null to run it on the acknowledging thread. */
    private final Executor acks;
    /** 1 once acknowledged (a field, not an AtomicBoolean: one object fewer per message). */
    @SuppressWarnings("unused")
    private volatile int acked;

    Delivered(String topic, byte[] payload, int qos, Instant receivedAt, Runnable ack) {
        this(topic, payload, qos, receivedAt, ack, null);
    }

    Delivered(String topic, byte[] payload, int qos, Instant receivedAt, Runnable ack, Executor acks) {
        this.topic = topic;
        this.payload = payload;
        this.qos = qos;
        this.receivedAt = receivedAt;
        this.ack = ack;
        this.acks = acks;
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
        if (!ACKED.compareAndSet(this, 0, 1)) {
            return;
        }
        if (acks != null) {
            acks.execute(ack);
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
