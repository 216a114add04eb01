package io.github.mqtt2tdengine.examples.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.github.mqtt2tdengine.PipelineMetrics;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.examples.DemoBroker;
import io.github.mqtt2tdengine.mqtt.MqttTransport;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.tdengine.TDengineSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Where the time goes with manual acknowledgements against HiveMQ CE (embedded, the demo's configuration), whose window
 * is fixed at 50 unacknowledged messages per client: a bare HiveMQ-client consumer that acknowledges each message at
 * once, the same consumer acknowledging every 20 ms (as a batch timer would), and the library (dry-run TDengine sink,
 * the demo's batching), in interleaved rounds on one broker. Each round publishes {@code N} QoS 1 messages on 100
 * topics (at most 1,000 unacknowledged by the broker) and times from the first publish to the last acknowledgement.
 * {@code java -cp mqtt2tdengine-demo.jar io.github.mqtt2tdengine.examples.bench.HiveMqWindow [N] [rounds]}; put an
 * earlier core jar first on the class path to measure that build's library.
 */
public final class HiveMqWindow {
    private static final int TOPICS = 100;

    private HiveMqWindow() {
    }

    /**
     * Runs the rounds and prints the table.
     *
     * @param args {@code [messages per round (20000)] [rounds (3)]}
     * @throws Exception when a round fails
     */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        Map<String, Long> peaks = new LinkedHashMap<>();
        try (DemoBroker broker = DemoBroker.hiveMq()) {
            System.out.println("HiveMqWindow: " + broker + ", " + n + " QoS 1 messages per round, " + rounds
                    + " interleaved rounds (+1 warm-up)");
            for (int r = 0; r <= rounds; r++) {
                for (String mode : List.of("bare, ack at once", "bare, ack every 20 ms", "bare, ack each window", "library")) {
                    long[] result = "library".equals(mode) ? library(broker.port(), n, r)
                            : bare(broker.port(), n, mode.endsWith("once") ? 0 : mode.endsWith("window") ? -1 : 20, r);
                    double rate = n / (result[0] / 1e9);
                    System.out.printf(Locale.ROOT, "  round %d %-22s %8.0f msg/s (peak in flight %d)%n", r, mode, rate,
                            result[1]);
                    if (r > 0) {
                        rates.computeIfAbsent(mode, k -> new ArrayList<>()).add(rate);
                        peaks.merge(mode, result[1], Math::max);
                    }
                }
            }
        }
        double reference = Benchmark.median(rates.get("bare, ack at once").stream().mapToDouble(Double::doubleValue).toArray());
        System.out.println("| consumer | msgs/s (median) | ÷ bare, ack at once | peak in flight |");
        System.out.println("|---|---|---|---|");
        rates.forEach((mode, list) -> {
            double m = Benchmark.median(list.stream().mapToDouble(Double::doubleValue).toArray());
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.2f | %d |%n", mode, m, m / reference, peaks.get(mode));
        });
        System.exit(0);
    }

    /**
     * A bare consumer acknowledging at once (0), every so many milliseconds (positive), or (-1) from another thread
     * as soon as the broker's window of 50 is unacknowledged or, checked every millisecond, nothing came for 1 ms: the
     * most a consumer that acknowledges after a commit can get from this broker. Returns {nanos, peak unacknowledged}.
     */
    private static long[] bare(int port, int n, long ackEveryMillis, int round) throws Exception {
        AtomicLong got = new AtomicLong();
        AtomicLong acked = new AtomicLong();
        AtomicLong peak = new AtomicLong();
        AtomicLong lastArrival = new AtomicLong(System.nanoTime());
        Queue<Mqtt5Publish> pending = new ConcurrentLinkedQueue<>();
        ScheduledExecutorService acker = Executors.newSingleThreadScheduledExecutor();
        Mqtt5AsyncClient c = MqttClient.builder().useMqttVersion5().identifier("bench-bare-" + round)
                .serverHost("127.0.0.1").serverPort(port).buildAsync();
        c.publishes(MqttGlobalPublishFilter.ALL, p -> {
            long now = got.incrementAndGet();
            lastArrival.set(System.nanoTime());
            peak.accumulateAndGet(now - acked.get(), Math::max);
            if (ackEveryMillis == 0) {
                p.acknowledge();
                acked.incrementAndGet();
            } else {
                pending.add(p);
            }
        }, Runnable::run, true);
        c.connect().join();
        c.subscribeWith().topicFilter("bench/#").qos(MqttQos.AT_LEAST_ONCE).send().join();
        Runnable ackAll = () -> {
            Mqtt5Publish p;
            while ((p = pending.poll()) != null) {
                p.acknowledge();
                acked.incrementAndGet();
            }
        };
        if (ackEveryMillis > 0) {
            acker.scheduleAtFixedRate(ackAll, ackEveryMillis, ackEveryMillis, TimeUnit.MILLISECONDS);
        } else if (ackEveryMillis < 0) {
            acker.scheduleAtFixedRate(() -> {
                if (got.get() - acked.get() >= 50 || System.nanoTime() - lastArrival.get() > 1_000_000) {
                    ackAll.run();
                }
            }, 1, 1, TimeUnit.MILLISECONDS);
        }
        try {
            return new long[] {publishAndWait(port, n, acked::get), peak.get()};
        } finally {
            acker.shutdownNow();
            c.disconnect().join();
        }
    }

    /** The library with the demo's batching; returns {nanos, peak in flight}. */
    private static long[] library(int port, int n, int round) throws Exception {
        SyncPipeline p = SyncPipeline.builder().name("bench")
                .source(MqttTransport.builder().endpoint("127.0.0.1:" + port).clientId("bench-lib-" + round)
                        .topics("bench/#::1").build())
                .payload(PayloadSpec.json().tag("id", "$.id", ColumnType.INT).column("v", "$.v", ColumnType.INT)
                        .build())
                .superTable("m").subTableTemplate("d{id}")
                .sink(TDengineSink.builder().database("bench").dryRun(sql -> { }).build())
                .batching(1000, Duration.ofMillis(200)).build();
        p.start();
        try {
            long nanos = publishAndWait(port, n, () -> p.metrics().acked());
            PipelineMetrics m = p.metrics();
            return new long[] {nanos, m.peakInFlight()};
        } finally {
            p.close();
        }
    }

    private static long publishAndWait(int port, int n, LongSupplier acked) throws Exception {
        Mqtt5AsyncClient pub = MqttClient.builder().useMqttVersion5().identifier("bench-publisher")
                .serverHost("127.0.0.1").serverPort(port).buildAsync();
        pub.connect().join();
        Semaphore window = new Semaphore(1000);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            window.acquire();
            pub.publishWith().topic("bench/m" + (i % TOPICS)).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(("{\"id\":" + (i % TOPICS) + ",\"v\":" + i + "}").getBytes(StandardCharsets.UTF_8))
                    .send().whenComplete((r, e) -> window.release());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (acked.getAsLong() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + acked.getAsLong() + " of " + n + " acknowledged in 120 s");
            }
            TimeUnit.MILLISECONDS.sleep(1);
        }
        long nanos = System.nanoTime() - t0;
        pub.disconnect().join();
        return nanos;
    }
}
