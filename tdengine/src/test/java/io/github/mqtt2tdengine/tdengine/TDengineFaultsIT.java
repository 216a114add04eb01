package io.github.mqtt2tdengine.tdengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.DeadLetter;
import io.github.mqtt2tdengine.PipelineListener;
import io.github.mqtt2tdengine.PipelineState;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import io.github.mqtt2tdengine.spi.CapturedLog;
import io.github.mqtt2tdengine.spi.FakeTransport;
import io.github.mqtt2tdengine.spi.FakeTransport.FakeMessage;
import io.github.mqtt2tdengine.tdengine.testing.TDenginePeer;
import io.github.mqtt2tdengine.tdengine.testing.TDenginePeer.Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sink while the real server or its taosAdapter dies mid-stream: SIGKILLed, started again 5 s later (by
 * {@code scripts/tdengine-server kill|restart} in the directory {@code scripts/test} started them in,
 * {@code TDENGINE_SERVER_DIR}). Messages keep arriving throughout; none may be lost, none acknowledged before its row
 * is committed, and the outage must be visible while it lasts (the retries' WARN lines, the stall watch's WARN, the
 * stall metric, the listener). A batch whose write was cut off may reach the server a second time after the restart:
 * TDengine keeps one row per sub-table and timestamp, so with one timestamp per message the count of rows equals the
 * count of messages exactly when nothing was lost. Skipped without the real server, taosAdapter, or that directory.
 */
class TDengineFaultsIT {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TDengineFaultsIT.class);
    private static final int MESSAGES = 3_000;
    private static final int DEVICES = 20;
    private static final Duration OUTAGE = Duration.ofSeconds(5);
    private static final Duration STALL = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final long T0 = System.currentTimeMillis() / 60_000 * 60_000 - 3_600_000;

    private CapturedLog captured;
    private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private TDenginePeer peer;
    private SyncPipeline pipeline;
    private Thread publisher;

    static Stream<Arguments> faults() {
        return Stream.of(Arguments.of(Server.WEBSOCKET, "taosadapter"), Arguments.of(Server.REST, "taosadapter"),
                Arguments.of(Server.WEBSOCKET, "taosd"), Arguments.of(Server.NATIVE, "taosd"));
    }

    @BeforeEach
    void captureLog() {
        // the test's own output stays visible, and is searched afterwards
        captured = CapturedLog.start(true);
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (publisher != null) {
                publisher.interrupt();
                publisher.join(10_000);
            }
            if (pipeline != null) {
                pipeline.close();
            }
            if (peer != null) {
                peer.close();
            }
        } finally {
            captured.close();
        }
    }

    @ParameterizedTest(name = "{0}: {1} SIGKILLed mid-stream, started again 5 s later")
    @MethodSource("faults")
    void killedMidStream_startedAgain_nothingLost_outageVisible_pipelineRecovers(Server server, String process)
            throws Exception {
        String dir = System.getenv("TDENGINE_SERVER_DIR");
        peer = server.open();
        Assumptions.assumeTrue(dir != null && !dir.isBlank(), "TDENGINE_SERVER_DIR is not set: the server was not "
                + "started by scripts/test, so it cannot be killed and started again here");
        String db = peer.database("faults");
        FakeTransport transport = new FakeTransport();
        pipeline = SyncPipeline.builder().name("faults").source(transport)
                .sink(TDengineSink.builder().jdbcUrl(peer.url(db)).credentials(peer.user(), peer.password())
                        .createDatabase(TimePrecision.MILLISECONDS).build())
                .payload(PayloadSpec.json().timestamp("ts", "$.ts", TimestampUnit.MILLISECONDS).withoutReceiveTime()
                        .column("v", "$.v", ColumnType.INT).tag("id", "$.id", ColumnType.INT).build())
                .superTable("meters").subTableTemplate("d{id}").batching(100, Duration.ofMillis(50))
                .retryBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)).stallWarning(STALL)
                .deadLetterHandler(deadLetters::add)
                .listener(new PipelineListener() {
                    @Override
                    public void onSinkStalled(Duration elapsed) {
                        events.add("stalled");
                    }

                    @Override
                    public void onSinkRecovered(Duration stalledFor) {
                        events.add("recovered");
                    }
                }).build();
        pipeline.start();
        List<FakeMessage> sent = new CopyOnWriteArrayList<>();
        // about 300 messages a second, for ten seconds and more: the outage falls in the middle of the stream
        publisher = new Thread(() -> {
            for (int i = 0; i < MESSAGES && !Thread.currentThread().isInterrupted(); i++) {
                sent.add(transport.publish("plant/meters", "{\"id\":" + (i % DEVICES) + ",\"ts\":" + (T0 + i)
                        + ",\"v\":" + i + "}"));
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(3_300));
            }
        }, "faults-publisher");
        publisher.start();
        await().atMost(WAIT).until(() -> pipeline.metrics().acked() >= 500);

        script("kill", process, dir);
        long killed = System.nanoTime();
        long ackedAtKill = pipeline.metrics().acked();
        // while it is down: the outage shows (stall WARN, metric, listener); what is acknowledged stays put
        await().atMost(OUTAGE.plusSeconds(5)).until(() -> pipeline.metrics().stalledWrites() >= 1);
        assertThat(pipeline.metrics().writeStalledMillis()).isGreaterThanOrEqualTo(STALL.toMillis());
        assertThat(events).contains("stalled");
        long left = OUTAGE.toNanos() - (System.nanoTime() - killed);
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left); // the scenario: started again 5 s after the kill
        }
        long ackedWhileDown = pipeline.metrics().acked() - ackedAtKill;
        script("restart", process, dir);

        await().atMost(WAIT).until(() -> sent.size() == MESSAGES && sent.stream().allMatch(FakeMessage::acked));
        await().atMost(WAIT).until(() -> events.contains("recovered"));
        assertThat(pipeline.state()).isEqualTo(PipelineState.RUNNING);
        assertThat(deadLetters).isEmpty();
        assertThat(pipeline.metrics().acked()).isEqualTo(MESSAGES);
        assertThat(peer.rowCount(db, "meters")).as("one row per message: none lost").isEqualTo(MESSAGES);
        Map<Long, Map<String, Object>> d7 = peer.rows(db, "d7");
        assertThat(d7).hasSize(MESSAGES / DEVICES);
        d7.forEach((ts, row) -> assertThat(row.get("v")).isEqualTo(ts - T0));
        String log = captured.text();
        assertThat(log).contains("Pipeline 'faults': the sink has been writing batch");
        // the password is the server's default: not as a word (logger names such as com.taosdata.jdbc hold it)
        assertThat(log).doesNotContainPattern("(?<![.\\w])" + peer.password() + "(?![.\\w])");
        LOG.info("{} with {} killed: {} acknowledged while it was down (in flight at the kill), {} retries, "
                + "{} stalled batches", server, process, ackedWhileDown, pipeline.metrics().retries(),
                pipeline.metrics().stalledWrites());
    }

    /** Runs {@code scripts/tdengine-server COMMAND PROCESS DIR} and waits for it (a restart waits until ready). */
    static void script(String command, String process, String dir) throws IOException, InterruptedException {
        Path script = Path.of("").toAbsolutePath();
        while (script != null && !Files.isExecutable(script.resolve("scripts/tdengine-server"))) {
            script = script.getParent();
        }
        assertThat(script).as("scripts/tdengine-server above the working directory").isNotNull();
        Process p = new ProcessBuilder(script.resolve("scripts/tdengine-server").toString(), command, process, dir)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("scripts/tdengine-server %s %s: %s", command, process, out).isZero();
    }
}
