package io.github.mqtt2tdengine.examples.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.github.mqtt2tdengine.runner.internal.CpuMeter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's baselines, each run as its own process:
 * {@code BaselineConsumer B0|B1 PORT QOS MESSAGES [5.0|3.1.1] [ten|five]} (defaults 5.0 and ten, as the library's).
 * <ul>
 *   <li>B0: a bare HiveMQ-client consumer that only counts (QoS 1: acknowledges each message at once).</li>
 *   <li>B1: B0 plus Jackson {@code readTree}, hand-written navigation to the same fields the library maps, and the
 *       same multi-row INSERT text built per batch of {@link #BATCH} rows, or of what came within 100 ms; QoS 1
 *       messages are acknowledged when their batch's statement is built.</li>
 * </ul>
 * Both speak the given protocol version and run their callback on the client's own network thread, as the library's
 * transport does: the executor is given explicitly ({@code Runnable::run}); without one the HiveMQ client hands every
 * message to its application scheduler (an RxJava computation thread, {@code observeOn}), a thread hand-off per
 * message that the library does not pay.
 * Prints {@code ready} once subscribed, and on exit (all messages, or SIGTERM) {@code received=N ...} with the
 * {@link CpuMeter} figures.
 */
public final class BaselineConsumer {
    /** Rows per statement, as the library's benchmark configuration. */
    static final int BATCH = 500;

    private final boolean b1;
    private final boolean manualAck;
    private final AtomicLong received = new AtomicLong();
    private final ObjectMapper mapper = new ObjectMapper();
    private final boolean five;
    private final List<Runnable> pending = new ArrayList<>(BATCH);
    private final StringBuilder sql = new StringBuilder(BATCH * 200);
    private long statements;
    private long statementBytes;
    private long firstPendingNanos;

    private BaselineConsumer(boolean b1, boolean manualAck, boolean five) {
        this.b1 = b1;
        this.manualAck = manualAck;
        this.five = five;
    }

    /**
     * Runs a baseline consumer.
     *
     * @param args B0 or B1, port, QoS, messages to wait for, optionally the protocol version and the payload
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        boolean b1 = args[0].equals("B1");
        int port = Integer.parseInt(args[1]);
        int qos = Integer.parseInt(args[2]);
        long expected = Long.parseLong(args[3]);
        boolean v5 = args.length <= 4 || args[4].startsWith("5");
        BaselineConsumer c = new BaselineConsumer(b1, qos > 0, args.length > 5 && args[5].equals("five"));
        var builder = MqttClient.builder().identifier("mqtt2td-bench-" + args[0]).serverHost("127.0.0.1")
                .serverPort(port);
        Runnable disconnect;
        // Runnable::run: the callback runs on the client's network thread (no hand-off to its application scheduler)
        if (v5) {
            Mqtt5AsyncClient client = builder.useMqttVersion5().buildAsync();
            client.publishes(MqttGlobalPublishFilter.ALL, p -> c.onPublish(p.getPayloadAsBytes(), p::acknowledge),
                    Runnable::run, qos > 0);
            client.connect().join();
            client.subscribeWith().topicFilter(BenchPayload.TOPIC_PREFIX + "#").qos(MqttQos.fromCode(qos)).send()
                    .join();
            disconnect = client::disconnect;
        } else {
            Mqtt3AsyncClient client = builder.useMqttVersion3().buildAsync();
            client.publishes(MqttGlobalPublishFilter.ALL, p -> c.onPublish(p.getPayloadAsBytes(), p::acknowledge),
                    Runnable::run, qos > 0);
            client.connect().join();
            client.subscribeWith().topicFilter(BenchPayload.TOPIC_PREFIX + "#").qos(MqttQos.fromCode(qos)).send()
                    .join();
            disconnect = client::disconnect;
        }
        if (b1) {
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "b1-batch-age");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(c::flushIfOld, 50, 50, TimeUnit.MILLISECONDS);
        }
        CpuMeter meter = CpuMeter.start(c.received::get);
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                done.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        System.out.println("ready");
        while (c.received.get() < expected && !stop.await(20, TimeUnit.MILLISECONDS)) {
            continue;
        }
        TimeUnit.MILLISECONDS.sleep(20); // one more sample for the meter
        String threads = meter.threads();
        String figures = meter.stop();
        System.out.println("received=" + c.received.get() + " statements=" + c.statements + " statementBytes="
                + c.statementBytes + " " + figures);
        System.out.println("threads: " + threads);
        System.out.flush();
        done.countDown();
        disconnect.run();
        System.exit(0);
    }

    private synchronized void onPublish(byte[] payload, Runnable acknowledge) {
        if (!b1) {
            if (manualAck) {
                acknowledge.run();
            }
            received.incrementAndGet();
            return;
        }
        try {
            JsonNode n = mapper.readTree(payload);
            if (five) {
                appendRowFive(n);
            } else {
                appendRow(n);
            }
        } catch (IOException | RuntimeException e) {
            // a bad message: counted like the others, acknowledged with its batch
        }
        if (pending.isEmpty()) {
            firstPendingNanos = System.nanoTime();
        }
        pending.add(acknowledge);
        received.incrementAndGet();
        if (pending.size() == BATCH) {
            flush();
        }
    }

    /** The hand-written mapping: the fields of {@link BenchPayload#spec()}, as SQL literals. */
    private void appendRow(JsonNode n) {
        if (sql.length() == 0) {
            sql.append("INSERT INTO");
        }
        JsonNode site = n.path("site");
        sql.append(" `d").append(n.path("id").asInt()).append("` USING `meters` TAGS (")
                .append(n.path("id").asInt()).append(", '").append(escape(site.path("location").asText()))
                .append("', ").append(site.path("floor").asInt()).append(") VALUES (")
                .append(n.path("ts").asLong()).append(", ").append((float) n.path("current").asDouble())
                .append(", ").append(n.path("voltage").asInt()).append(", ")
                .append((float) n.path("phase").asDouble()).append(", ")
                .append((float) n.path("temperature").asDouble()).append(", ").append(n.path("power").asDouble())
                .append(", '").append(escape(n.path("status").asText())).append("')");
    }

    /** The hand-written mapping of {@link BenchPayload#specFive()}. */
    private void appendRowFive(JsonNode n) {
        if (sql.length() == 0) {
            sql.append("INSERT INTO");
        }
        sql.append(" `s").append(n.path("id").asInt()).append("` USING `sensors` TAGS (")
                .append(n.path("id").asInt()).append(") VALUES (").append(n.path("ts").asLong()).append(", ")
                .append(n.path("temp").asDouble()).append(", ").append(n.path("hum").asDouble()).append(", '")
                .append(escape(n.path("status").asText())).append("')");
    }

    private static String escape(String s) {
        return s.indexOf('\'') < 0 && s.indexOf('\\') < 0 ? s : s.replace("\\", "\\\\").replace("'", "\\'");
    }

    /** Flushes a partial batch older than 100 ms, as the library's batch age does (a broker window may be smaller). */
    private synchronized void flushIfOld() {
        if (!pending.isEmpty() && System.nanoTime() - firstPendingNanos > TimeUnit.MILLISECONDS.toNanos(100)) {
            flush();
        }
    }

    private void flush() {
        String statement = sql.toString();
        statements++;
        statementBytes += statement.length();
        sql.setLength(0);
        if (manualAck) {
            for (Runnable ack : pending) {
                ack.run();
            }
        }
        pending.clear();
    }
}
