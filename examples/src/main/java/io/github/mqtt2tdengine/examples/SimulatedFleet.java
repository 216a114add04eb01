package io.github.mqtt2tdengine.examples;

import io.github.mqtt2tdengine.spi.InboundMessage;
import io.github.mqtt2tdengine.spi.MessageHandler;
import io.github.mqtt2tdengine.spi.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process {@link Transport} that simulates a fleet of meters publishing JSON on {@code plant/<device>/meters},
 * with one malformed message in every {@code badEvery}. Stands in for a broker in the demo; honours pause/resume.
 */
public final class SimulatedFleet implements Transport {
    private final int devices;
    private final long messages;
    private final int badEvery;
    private final AtomicLong acked = new AtomicLong();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean paused;
    private volatile boolean closed;
    private Thread thread;

    /**
     * Creates a fleet.
     *
     * @param devices number of meters
     * @param messages messages to publish in all
     * @param badEvery one malformed payload every that many messages (0 for none)
     */
    public SimulatedFleet(int devices, long messages, int badEvery) {
        this.devices = devices;
        this.messages = messages;
        this.badEvery = badEvery;
    }

    @Override
    public void start(MessageHandler handler) {
        thread = new Thread(() -> publish(handler), "simulated-fleet");
        thread.setDaemon(true);
        thread.start();
    }

    private void publish(MessageHandler handler) {
        Random random = new Random(42);
        long start = 1_764_000_000_000L;
        for (long n = 0; n < messages && !closed; n++) {
            while (paused && !closed) {
                sleep(1);
            }
            int device = (int) (n % devices);
            String payload = badEvery > 0 && n % badEvery == badEvery - 1
                    ? "{\"id\":" + device + ",\"current\":\"n/a\""
                    : String.format(Locale.ROOT, "{\"id\":%d,\"ts\":%d,\"current\":%.2f,\"voltage\":%d,"
                            + "\"site\":{\"location\":\"plant-a.hall-%d\"}}", device, start + n / devices * 1000,
                            10 + random.nextGaussian(), 218 + random.nextInt(5), device % 3);
            handler.onMessage(new Message("plant/m" + device + "/meters", payload));
        }
        done.countDown();
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until every message was published.
     *
     * @param seconds how long to wait
     * @return true when done
     * @throws InterruptedException if interrupted
     */
    public boolean awaitPublished(long seconds) throws InterruptedException {
        return done.await(seconds, TimeUnit.SECONDS);
    }

    /**
     * Returns how many messages the pipeline acknowledged.
     *
     * @return the count
     */
    public long acked() {
        return acked.get();
    }

    @Override
    public void pause() {
        paused = true;
    }

    @Override
    public void resume() {
        paused = false;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "SimulatedFleet{devices=" + devices + ", messages=" + messages + '}';
    }

    private final class Message implements InboundMessage {
        private final String topic;
        private final byte[] payload;
        private final Instant receivedAt = Instant.now();

        Message(String topic, String payload) {
            this.topic = topic;
            this.payload = payload.getBytes(StandardCharsets.UTF_8);
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
            return 1;
        }

        @Override
        public Instant receivedAt() {
            return receivedAt;
        }

        @Override
        public void acknowledge() {
            acked.incrementAndGet();
        }
    }
}
