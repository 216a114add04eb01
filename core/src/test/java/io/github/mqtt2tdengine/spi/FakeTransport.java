package io.github.mqtt2tdengine.spi;

import io.github.mqtt2tdengine.errors.TransportException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A transport for engine tests: messages are published by the test on its own thread (standing in for the transport
 * thread) and record their acknowledgements.
 */
public final class FakeTransport implements Transport {
    private volatile TransportContext handler;
    private final List<FakeMessage> delivered = new CopyOnWriteArrayList<>();
    private final AtomicInteger pauses = new AtomicInteger();
    private final AtomicInteger resumes = new AtomicInteger();
    private final AtomicInteger closes = new AtomicInteger();
    private volatile CountDownLatch closeGate;
    private volatile boolean closeDone;
    private volatile Runnable duringClose;
    private volatile boolean paused;
    private volatile RuntimeException startFailure;
    private volatile List<String> topicFilters = List.of();
    private volatile Consumer<FakeMessage> onAcknowledge;

    /** Makes {@link #topicFilters()} return these filters. */
    public FakeTransport topicFilters(String... filters) {
        this.topicFilters = List.of(filters);
        return this;
    }

    @Override
    public List<String> topicFilters() {
        return topicFilters;
    }

    /** Makes {@link #start} throw. */
    public FakeTransport failOnStart(RuntimeException e) {
        this.startFailure = e;
        return this;
    }

    @Override
    public void start(TransportContext handler) {
        if (startFailure != null) {
            throw startFailure;
        }
        if (this.handler != null) {
            throw new TransportException("FakeTransport started twice");
        }
        this.handler = handler;
    }

    /** Calls this on the acknowledging thread, before the acknowledgement is counted. */
    public FakeTransport onAcknowledge(Consumer<FakeMessage> hook) {
        this.onAcknowledge = hook;
        return this;
    }

    public TransportContext handler() {
        return handler;
    }

    public FakeMessage publish(String topic, String payload) {
        return publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, Instant.now());
    }

    public FakeMessage publish(String topic, String payload, Instant receivedAt) {
        return publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, receivedAt);
    }

    public FakeMessage publish(String topic, byte[] payload, int qos, Instant receivedAt) {
        FakeMessage m = new FakeMessage(topic, payload, qos, receivedAt, onAcknowledge);
        delivered.add(m);
        handler.onMessage(m);
        return m;
    }

    public List<FakeMessage> delivered() {
        return delivered;
    }

    public long ackedCount() {
        return delivered.stream().filter(FakeMessage::acked).count();
    }

    @Override
    public void pause() {
        paused = true;
        pauses.incrementAndGet();
    }

    @Override
    public void resume() {
        paused = false;
        resumes.incrementAndGet();
    }

    public boolean paused() {
        return paused;
    }

    public int pauses() {
        return pauses.get();
    }

    public int resumes() {
        return resumes.get();
    }

    /** close() waits until {@link #finishClose()}, as a client's disconnect can. */
    public FakeTransport slowClose() {
        closeGate = new CountDownLatch(1);
        return this;
    }

    /** Runs this inside close(), as a listener told of the disconnect by the client's close would. */
    public FakeTransport duringClose(Runnable r) {
        duringClose = r;
        return this;
    }

    public void finishClose() {
        closeGate.countDown();
    }

    /** Whether a close() has returned. */
    public boolean closeDone() {
        return closeDone;
    }

    public int closes() {
        return closes.get();
    }

    @Override
    public void close() {
        closes.incrementAndGet();
        Runnable r = duringClose;
        if (r != null) {
            r.run();
        }
        CountDownLatch gate = closeGate;
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeDone = true;
    }

    @Override
    public String toString() {
        return "FakeTransport";
    }

    /** A delivered message that counts its acknowledgements. */
    public static final class FakeMessage implements InboundMessage {
        private final String topic;
        private final byte[] payload;
        private final int qos;
        private final Instant receivedAt;
        private final AtomicInteger acks = new AtomicInteger();
        private final Consumer<FakeMessage> onAcknowledge;

        FakeMessage(String topic, byte[] payload, int qos, Instant receivedAt, Consumer<FakeMessage> onAcknowledge) {
            this.onAcknowledge = onAcknowledge;
            this.topic = topic;
            this.payload = payload;
            this.qos = qos;
            this.receivedAt = receivedAt;
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
            Consumer<FakeMessage> hook = onAcknowledge;
            if (hook != null) {
                hook.accept(this);
            }
            acks.incrementAndGet();
        }

        public boolean acked() {
            return acks.get() > 0;
        }

        public int ackCount() {
            return acks.get();
        }

        @Override
        public String toString() {
            return "FakeMessage{" + topic + ", acks=" + acks + '}';
        }
    }
}
