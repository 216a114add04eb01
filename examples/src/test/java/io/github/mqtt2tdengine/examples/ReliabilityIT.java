package io.github.mqtt2tdengine.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.PipelineMetrics;
import io.github.mqtt2tdengine.PipelineState;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.mqtt.MqttTransport;
import io.github.mqtt2tdengine.mqtt.testing.Mosquitto;
import io.github.mqtt2tdengine.mqtt.testing.Publisher;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.Row;
import io.github.mqtt2tdengine.spi.Sink;
import io.github.mqtt2tdengine.tdengine.TDengineSink;
import io.github.mqtt2tdengine.tdengine.testing.TDengineRestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults survived end to end (real mosquitto → pipeline → REST test server through the real JDBC driver, or a
 * recording sink where the driver is not the point), with nothing lost. Each test prints one "RELIABILITY" line with
 * its figures; docs/delivery-guarantees.md ("Reliability, in figures") quotes them.
 */
class ReliabilityIT {
    private static final int DEVICES = 20;
    /** Most messages two 64 KiB socket reads hold, which the client still delivers after a pause (docs/delivery-guarantees.md). */
    private static final int READS_UNDER_WAY = 2 * 64 * 1024 / (Publisher.payload(0, DEVICES).length() + 5 + 4);

    @TempDir
    Path dir;

    private static PayloadSpec spec() {
        return PayloadSpec.json()
                .timestamp("ts", "$.ts", TimestampUnit.MILLISECONDS).withoutReceiveTime()
                .tag("id", "$.id", ColumnType.INT)
                .column("seq", "$.seq", ColumnType.BIGINT)
                .build();
    }

    private static SyncPipeline pipeline(int port, String clientId, Sink sink, int maxInFlight) {
        return SyncPipeline.builder().name("rel").source(MqttTransport.builder().endpoint("127.0.0.1:" + port)
                .clientId(clientId).cleanSession(false).subscribe("rel/#")
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(500)).build())
                .sink(sink).payload(spec()).superTable("meters").subTableTemplate("d{id}")
                .batching(500, Duration.ofMillis(100)).maxInFlight(maxInFlight)
                .retryBackoff(Duration.ofMillis(50), Duration.ofSeconds(1)).build();
    }

    /** Every row matches its message: seq, device and timestamp are all derived from the published seq. */
    private static Set<Long> checkRows(List<Row> rows) {
        Set<Long> seqs = new HashSet<>();
        for (Row r : rows) {
            long seq = (Long) r.column("seq");
            assertThat(r.tag("id")).isEqualTo(seq % DEVICES);
            assertThat(r.timestamp()).isEqualTo(Publisher.BASE_TS + seq);
            assertThat(r.subTable()).isEqualTo("d" + (seq % DEVICES));
            seqs.add(seq);
        }
        return seqs;
    }

    @Test
    void brokerKilledThreeTimes_duringQos1Stream_everyMessageCommitted() throws Exception {
        int total = 8_000;
        int chunk = 2_000;
        try (Mosquitto broker = Mosquitto.builder(Files.createDirectories(dir.resolve("b"))).saveEveryChange().start();
                TDengineRestServer server = new TDengineRestServer()) {
            server.createDatabase("power", "ms");
            TDengineSink sink = TDengineSink.builder().jdbcUrl(server.url("power")).credentials("root", "taosdata")
                    .build();
            SyncPipeline p = SyncPipeline.builder().name("rel").source(MqttTransport.builder()
                    .endpoint("127.0.0.1:" + broker.port()).clientId("rel-kill").cleanSession(false).subscribe("rel/#")
                    .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(500)).build())
                    .sink(sink).payload(spec()).superTable("meters").subTableTemplate("d{id}")
                    .batching(200, Duration.ofMillis(100)).retryBackoff(Duration.ofMillis(50), Duration.ofSeconds(1))
                    .build();
            long t0 = System.nanoTime();
            int kills = 0;
            try {
                p.start();
                try (Publisher pub = new Publisher(broker.port())) {
                    for (int from = 0; from < total; from += chunk) {
                        // writes crawl while the chunk is published and the broker saves it, so the kill is sure to
                        // land while the pipeline holds unacknowledged messages
                        server.delay(from + chunk < total ? 2_000 : 20);
                        pub.publishRange("rel/m", from, from + chunk, 1, DEVICES);
                        // make mosquitto save what it acknowledged to the publisher: a SIGKILL loses what it has
                        // not saved yet, which would be the broker's loss, not the pipeline's
                        broker.save();
                        if (from + chunk < total) {
                            assertThat(server.rowCount("power", "meters")).as("the kill lands mid-stream")
                                    .isLessThan(from + chunk);
                            broker.killAndRestart();
                            server.delay(20);
                            kills++;
                        }
                    }
                }
                await().atMost(Duration.ofSeconds(120)).until(() -> server.rowCount("power", "meters") == total);
                for (int id = 0; id < DEVICES; id++) {
                    for (Map.Entry<Long, Map<String, Object>> e : server.rows("power", "d" + id).entrySet()) {
                        long seq = (Long) e.getValue().get("seq");
                        assertThat(e.getKey()).isEqualTo(Publisher.BASE_TS + seq);
                        assertThat(seq % DEVICES).isEqualTo(id);
                    }
                }
                long duplicates = server.rowsInserted() - total;
                System.out.printf("RELIABILITY broker SIGKILL x%d: published=%d committed distinct=%d lost=0 "
                        + "rewritten duplicates=%d (%.2f%%, harmless: message timestamps) in %.1f s%n", kills, total,
                        server.rowCount("power", "meters"), duplicates, 100.0 * duplicates / total,
                        (System.nanoTime() - t0) / 1e9);
                assertThat(kills).isEqualTo(3);
                assertThat(p.state()).isEqualTo(PipelineState.RUNNING);
            } finally {
                p.close();
            }
        }
    }

    @Test
    void sinkOutageOf10Seconds_nothingAckedMeanwhile_everythingWrittenAfter() throws Exception {
        int total = 8_000; // 7,000 published during the outage: more than the bound plus the reads under way
        try (Mosquitto broker = Mosquitto.builder(Files.createDirectories(dir.resolve("o"))).start();
                TDengineRestServer server = new TDengineRestServer()) {
            server.createDatabase("power", "ms");
            TDengineSink sink = TDengineSink.builder().jdbcUrl(server.url("power")).credentials("root", "taosdata")
                    .build();
            SyncPipeline p = pipeline(broker.port(), "rel-outage", sink, 1_000);
            try {
                p.start();
                try (Publisher pub = new Publisher(broker.port())) {
                    pub.publishRange("rel/m", 0, 1_000, 1, DEVICES);
                    await().atMost(Duration.ofSeconds(30)).until(() -> server.rowCount("power", "meters") == 1_000);
                    server.refuseConnections();
                    pub.publishRange("rel/m", 1_000, total, 1, DEVICES);
                    long ackedAtStart = p.metrics().acked();
                    // the outage lasts 10 s; nothing may be acknowledged during it
                    await().pollInterval(Duration.ofMillis(200)).during(Duration.ofSeconds(10))
                            .atMost(Duration.ofSeconds(12)).until(() -> p.metrics().acked() == ackedAtStart);
                    long retries = p.metrics().retries();
                    server.acceptConnections();
                    await().atMost(Duration.ofSeconds(60)).until(() -> server.rowCount("power", "meters") == total);
                    await().atMost(Duration.ofSeconds(30)).until(() -> p.metrics().acked() == total);
                    PipelineMetrics m = p.metrics();
                    assertThat(m.peakInFlight()).as("reads stop at the bound, plus the socket reads under way")
                            .isLessThanOrEqualTo(1_000 + READS_UNDER_WAY);
                    System.out.printf("RELIABILITY sink outage 10 s: published=%d written=%d acked during outage=0 "
                            + "retries=%d peak in flight=%d (pipeline bound 1000, mosquitto window 1000) lost=0%n",
                            total, server.rowCount("power", "meters"), retries, m.peakInFlight());
                }
            } finally {
                p.close();
            }
        }
    }

    @Test
    void slowSink_100msPerBatch_backlogStaysInBroker_boundHolds_noLoss() throws Exception {
        int total = 5_000;
        try (Mosquitto broker = Mosquitto.builder(Files.createDirectories(dir.resolve("s"))).maxInflight(200).start();
                TDengineRestServer server = new TDengineRestServer()) {
            server.createDatabase("power", "ms");
            server.delay(100);
            TDengineSink sink = TDengineSink.builder().jdbcUrl(server.url("power")).credentials("root", "taosdata")
                    .build();
            SyncPipeline p = pipeline(broker.port(), "rel-slow", sink, 1_000);
            long t0 = System.nanoTime();
            try {
                p.start();
                try (Publisher pub = new Publisher(broker.port())) {
                    pub.publishRange("rel/m", 0, total, 1, DEVICES);
                }
                double publishSeconds = (System.nanoTime() - t0) / 1e9;
                long inFlightWhenPublished = p.metrics().inFlight();
                await().atMost(Duration.ofSeconds(120)).until(() -> server.rowCount("power", "meters") == total);
                PipelineMetrics m = p.metrics();
                System.out.printf("RELIABILITY slow sink 100 ms/batch: published=%d in %.1f s, in flight then=%d, "
                        + "peak in flight=%d (bound 1000, broker window 200), written=%d in %.1f s, lost=0%n", total,
                        publishSeconds, inFlightWhenPublished, m.peakInFlight(), server.rowCount("power", "meters"),
                        (System.nanoTime() - t0) / 1e9);
                assertThat(m.peakInFlight()).as("reads stop at the bound, plus the socket reads under way")
                        .isLessThanOrEqualTo(1_000 + READS_UNDER_WAY);
                Map<Long, Map<String, Object>> d0 = server.rows("power", "d0");
                assertThat(d0).hasSize(total / DEVICES);
            } finally {
                p.close();
            }
        }
    }

    @Test
    void gracefulCloseUnderLoad_everythingReceivedIsWrittenAndAcked() throws Exception {
        try (Mosquitto broker = Mosquitto.builder(Files.createDirectories(dir.resolve("c"))).start()) {
            FakeSink sink = new FakeSink();
            SyncPipeline p = pipeline(broker.port(), "rel-close", sink, 1_000);
            p.start();
            Thread publisher = new Thread(() -> {
                try (Publisher pub = new Publisher(broker.port())) {
                    pub.publishRange("rel/m", 0, 20_000, 1, DEVICES);
                }
            }, "publisher");
            publisher.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> p.metrics().received() > 2_000);
            p.close();
            PipelineMetrics m = p.metrics();
            publisher.join(60_000);
            Set<Long> seqs = checkRows(sink.rows());
            assertThat(m.inFlight()).isZero();
            assertThat(m.acked()).isEqualTo(m.received());
            assertThat((long) seqs.size()).isEqualTo(m.received());
            System.out.printf("RELIABILITY graceful close under load: received=%d written=%d acked=%d, the rest "
                    + "left at the broker%n", m.received(), seqs.size(), m.acked());
            // the rest waits at the broker for the same client id
            FakeSink rest = new FakeSink();
            SyncPipeline again = pipeline(broker.port(), "rel-close", rest, 1_000);
            again.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Set<Long> all = new HashSet<>(seqs);
                all.addAll(checkRows(rest.rows()));
                return all.size() == 20_000;
            });
            again.close();
        }
    }
}
