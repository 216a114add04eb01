package io.github.mqtt2tdengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.spi.CapturedLog;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.FakeTransport.FakeMessage;
import io.github.mqtt2tdengine.spi.FakeTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A write that blocks inside the sink (a database client retrying on its own while the server is down) is visible:
 * a WARN from the watch thread, metrics, the listener, an INFO when it ends. Reads what slf4j-simple writes to
 * System.err.
 */
class SinkStallTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration STALL = Duration.ofMillis(200);
    private static final String WATCH = "mqtt2td-stall-watch";
    private static final Pattern WARNED = Pattern.compile("\\[" + WATCH + "] WARN \\S+ - Pipeline 'stall': the sink "
            + "has been writing batch 1 \\(1 row\\) for (\\d+\\.\\d) s; the database may be unreachable or slow \\(rows "
            + "wait, nothing is acknowledged\\)");

    private final FakeTransport transport = new FakeTransport();
    private final FakeSink sink = new FakeSink();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<Duration> durations = new CopyOnWriteArrayList<>();
    private final List<String> listenerThreads = new CopyOnWriteArrayList<>();
    private CapturedLog captured;
    private SyncPipeline pipeline;

    @BeforeEach
    void captureLog() {
        captured = CapturedLog.start(false);
    }

    @AfterEach
    void tearDown() {
        try {
            if (pipeline != null) {
                sink.unblock();
                pipeline.close();
            }
        } finally {
            captured.close();
        }
    }

    private String log() {
        return captured.text();
    }

    private SyncPipeline started(SyncPipeline.Builder b) {
        pipeline = b.build();
        pipeline.start();
        return pipeline;
    }

    private SyncPipeline.Builder builder() {
        return SyncPipeline.builder()
                .name("stall")
                .source(transport)
                .sink(sink)
                .payload(PayloadSpec.json().tag("id", "$.id", ColumnType.INT).column("v", "$.v", ColumnType.DOUBLE)
                        .build())
                .superTable("meters")
                .subTableTemplate("d{id}")
                .batching(100, Duration.ofMillis(20))
                .retryBackoff(Duration.ofMillis(5), Duration.ofMillis(20))
                .stallWarning(STALL)
                .listener(new PipelineListener() {
                    @Override
                    public void onSinkStalled(Duration elapsed) {
                        events.add("stalled");
                        durations.add(elapsed);
                        listenerThreads.add(Thread.currentThread().getName());
                    }

                    @Override
                    public void onSinkRecovered(Duration stalledFor) {
                        events.add("recovered");
                        durations.add(stalledFor);
                        listenerThreads.add(Thread.currentThread().getName());
                    }
                });
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive() && t.getName().equals(name));
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    @Test
    void write_blockedLongerThanStallWarning_warnsOnceFromWatchThreadAndInfosWhenWritten() throws Exception {
        sink.block();
        started(builder());
        FakeMessage m = transport.publish("plant/1", "{\"id\":1,\"v\":1}");
        assertThat(sink.awaitFirstAttempt(10)).isTrue();

        await().atMost(WAIT).until(() -> pipeline.metrics().writeStalledMillis() >= STALL.toMillis());
        long first = pipeline.metrics().writeStalledMillis();
        await().atMost(WAIT).until(() -> pipeline.metrics().writeStalledMillis() >= first + 3 * STALL.toMillis());
        await().atMost(WAIT).until(() -> events.contains("stalled"));
        // the stall has now lasted several thresholds and polls: still one WARN, one stalled write, one callback
        Matcher warn = WARNED.matcher(log());
        assertThat(warn.find()).as("WARN from the watch thread in:%n%s", log()).isTrue();
        assertThat(Double.parseDouble(warn.group(1))).isBetween(0.2, 5.0);
        assertThat(count(log(), "has been writing")).isEqualTo(1);
        assertThat(pipeline.metrics().stalledWrites()).isEqualTo(1);
        assertThat(events).containsExactly("stalled");
        assertThat(durations.get(0)).isGreaterThanOrEqualTo(STALL);
        assertThat(listenerThreads).containsExactly(WATCH);
        assertThat(m.acked()).isFalse();

        sink.release(1);
        await().atMost(WAIT).until(m::acked);
        await().atMost(WAIT).until(() -> events.size() == 2);
        assertThat(events).containsExactly("stalled", "recovered");
        assertThat(durations.get(1)).isGreaterThanOrEqualTo(Duration.ofMillis(first + 3 * STALL.toMillis()));
        assertThat(log()).containsPattern("\\[" + WATCH + "] INFO \\S+ - Pipeline 'stall': batch 1 written after "
                + "\\d+\\.\\d s");
        assertThat(count(log(), "has been writing")).isEqualTo(1);
        PipelineMetrics metrics = pipeline.metrics();
        assertThat(metrics.writeStalledMillis()).isZero();
        assertThat(metrics.stalledWrites()).isEqualTo(1);
        assertThat(metrics.rowsWritten()).isEqualTo(1);
    }

    @Test
    void write_fasterThanStallWarning_neverWarns_andNoWatchThreadBeforeTheFirstWrite() {
        started(builder());
        assertThat(threadAlive(WATCH)).as("watch thread while nothing was written").isFalse();
        List<FakeMessage> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sent.add(transport.publish("plant/" + i, "{\"id\":" + i + ",\"v\":1}"));
        }
        await().atMost(WAIT).until(() -> sent.stream().allMatch(FakeMessage::acked));
        // past the threshold of the last write and a poll: still nothing reported
        await().during(STALL.multipliedBy(3)).atMost(WAIT).until(() -> pipeline.metrics().stalledWrites() == 0);
        PipelineMetrics metrics = pipeline.metrics();
        assertThat(metrics.writeStalledMillis()).isZero();
        assertThat(metrics.rowsWritten()).isEqualTo(50);
        assertThat(events).isEmpty();
        assertThat(log()).doesNotContain("has been writing").doesNotContain("written after");
    }

    @Test
    void close_whileStalled_endsWatchThreadAndWriters() throws Exception {
        sink.block();
        started(builder().shutdownTimeout(Duration.ofMillis(100)));
        FakeMessage m = transport.publish("plant/1", "{\"id\":1,\"v\":1}");
        assertThat(sink.awaitFirstAttempt(10)).isTrue();
        await().atMost(WAIT).until(() -> pipeline.metrics().stalledWrites() == 1);
        assertThat(threadAlive(WATCH)).isTrue();

        pipeline.close();

        await().atMost(WAIT).until(() -> !threadAlive(WATCH) && !threadAlive("mqtt2td-stall-writer-0"));
        assertThat(m.acked()).isFalse();
        assertThat(events).containsExactly("stalled");
        assertThat(pipeline.state()).isEqualTo(PipelineState.CLOSED);
    }

    /**
     * A sink that swallows the interrupt of a close that timed out (throws a retriable error, interrupt flag cleared):
     * the writer must still end, not go round its loop for ever with the unwritten batch.
     */
    @Test
    void close_whileStalled_sinkSwallowsTheInterrupt_writerStillEnds() throws Exception {
        sink.block().swallowInterrupts();
        started(builder().shutdownTimeout(Duration.ofMillis(100)));
        FakeMessage m = transport.publish("plant/1", "{\"id\":1,\"v\":1}");
        assertThat(sink.awaitFirstAttempt(10)).isTrue();

        pipeline.close();

        await().atMost(WAIT).until(() -> !threadAlive("mqtt2td-stall-writer-0"));
        assertThat(m.acked()).isFalse();
        assertThat(sink.attempts()).as("no retry after the close gave up").isEqualTo(1);
        assertThat(pipeline.state()).isEqualTo(PipelineState.CLOSED);
    }

    @Test
    void write_stalledCallFailsThenQuickRetryCommits_oneStalledBatch_recoveredOnce() throws Exception {
        sink.block().failRetriable(1);
        started(builder());
        FakeMessage m = transport.publish("plant/1", "{\"id\":1,\"v\":1}");
        assertThat(sink.awaitFirstAttempt(10)).isTrue();
        await().atMost(WAIT).until(() -> events.contains("stalled"));

        sink.release(2); // the stalled call throws RetriableSinkException, the retry commits at once
        await().atMost(WAIT).until(m::acked);
        await().atMost(WAIT).until(() -> events.size() == 2);
        assertThat(events).containsExactly("stalled", "recovered");
        // the stall is the batch's, retries included: it ends when the batch is written
        assertThat(log()).containsPattern("INFO \\S+ - Pipeline 'stall': batch 1 written after \\d+\\.\\d s");
        assertThat(count(log(), "has been writing")).isEqualTo(1);
        assertThat(pipeline.metrics().retries()).isEqualTo(1);
        assertThat(pipeline.metrics().stalledWrites()).isEqualTo(1);
        assertThat(pipeline.metrics().writeStalledMillis()).isZero();
    }

    @Test
    void write_retriesEachFailingAtOnce_longerThanStallWarning_oneWarnTheMetricMoves_recoveredWhenWritten() {
        // a database that refuses connections (taosAdapter down): every call fails at once, none hangs
        sink.failRetriableUntilRecovered();
        started(builder());
        FakeMessage m = transport.publish("plant/1", "{\"id\":1,\"v\":1}");
        await().atMost(WAIT).until(() -> pipeline.metrics().retries() >= 3);
        await().atMost(WAIT).until(() -> pipeline.metrics().writeStalledMillis() >= STALL.toMillis());
        await().atMost(WAIT).until(() -> events.contains("stalled"));
        Matcher warn = WARNED.matcher(log());
        assertThat(warn.find()).as("WARN from the watch thread in:%n%s", log()).isTrue();
        assertThat(pipeline.metrics().stalledWrites()).isEqualTo(1);
        assertThat(listenerThreads).containsExactly(WATCH);
        assertThat(m.acked()).isFalse();

        sink.recover();
        await().atMost(WAIT).until(m::acked);
        await().atMost(WAIT).until(() -> events.size() == 2);
        assertThat(events).containsExactly("stalled", "recovered");
        assertThat(durations.get(1)).isGreaterThanOrEqualTo(STALL);
        assertThat(count(log(), "has been writing")).isEqualTo(1);
        assertThat(log()).containsPattern("\\[" + WATCH + "] INFO \\S+ - Pipeline 'stall': batch 1 written after "
                + "\\d+\\.\\d s");
        assertThat(pipeline.metrics().writeStalledMillis()).isZero();
        assertThat(pipeline.metrics().stalledWrites()).isEqualTo(1);
    }

    @Test
    void write_twoWritersStalled_eachWarned_listenerToldOnceEachWay() throws Exception {
        sink.block();
        started(builder().writers(2));
        // d1 and d2 go to different writers (partitioned by sub-table)
        FakeMessage one = transport.publish("plant/1", "{\"id\":1,\"v\":1}");
        FakeMessage two = transport.publish("plant/2", "{\"id\":2,\"v\":1}");
        await().atMost(WAIT).until(() -> pipeline.metrics().stalledWrites() == 2);
        await().atMost(WAIT).until(() -> count(log(), "has been writing") == 2);
        assertThat(log()).contains("the sink has been writing batch 1 of writer 0 (1 row)")
                .contains("the sink has been writing batch 1 of writer 1 (1 row)");
        assertThat(events).containsExactly("stalled");

        sink.release(1);
        await().atMost(WAIT).until(() -> one.acked() || two.acked());
        await().atMost(WAIT).until(() -> count(log(), "written after") == 1);
        assertThat(events).as("one writer still stalled").containsExactly("stalled");

        sink.release(1);
        await().atMost(WAIT).until(() -> one.acked() && two.acked());
        await().atMost(WAIT).until(() -> events.size() == 2);
        assertThat(events).containsExactly("stalled", "recovered");
        assertThat(count(log(), "written after")).isEqualTo(2);
    }
}
