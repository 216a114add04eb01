package io.github.mqtt2tdengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import io.github.mqtt2tdengine.spi.ConnectionState;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.FakeTransport;
import io.github.mqtt2tdengine.spi.FakeTransport.FakeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The operational figures of {@link PipelineMetrics}: latency, lag, oldest unacknowledged, reconnects, routes. */
class PipelineMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final FakeTransport transport = new FakeTransport();
    private final FakeSink sink = new FakeSink();
    private SyncPipeline pipeline;

    @AfterEach
    void tearDown() {
        sink.unblock();
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private static PayloadSpec eventTime() {
        return PayloadSpec.json().timestamp("ts", "$.ts", TimestampUnit.MILLISECONDS).withoutReceiveTime()
                .tag("id", "$.id", ColumnType.INT).column("v", "$.v", ColumnType.DOUBLE).build();
    }

    private static PayloadSpec receiveTime() {
        return PayloadSpec.json().tag("id", "$.id", ColumnType.INT).column("v", "$.v", ColumnType.DOUBLE).build();
    }

    private SyncPipeline start(SyncPipeline.Builder b) {
        pipeline = b.name("ops").source(transport).sink(sink).superTable("meters").subTableTemplate("d{id}")
                .batching(50, Duration.ofMillis(10)).deadLetterHandler(d -> { }).build();
        pipeline.start();
        return pipeline;
    }

    @Test
    void lag_isCommitTimeMinusThePayloadsTimestamp_perCommittedRow_andLatencyPerCommittedMessage() {
        start(SyncPipeline.builder().payload(eventTime()));
        long now = System.currentTimeMillis();
        List<FakeMessage> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // ten rows stamped 60 s ago, ten stamped 5 s ago
            long ts = now - (i < 10 ? 60_000 : 5_000);
            sent.add(transport.publish("plant/1", "{\"ts\":" + ts + ",\"id\":" + i + ",\"v\":1.5}"));
        }
        transport.publish("plant/1", "{\"id\":1,\"v\":1}"); // no timestamp: dead-lettered, in neither figure
        await().atMost(WAIT).until(() -> sent.stream().allMatch(FakeMessage::acked)
                && pipeline.metrics().deadLetters() == 1);
        PipelineMetrics m = pipeline.metrics();
        assertThat(m.commitLatency().count()).isEqualTo(20);
        assertThat(m.commitLatency().windowCount()).isEqualTo(20);
        assertThat(m.commitLatency().max()).isLessThan(WAIT).isGreaterThan(Duration.ZERO);
        assertThat(m.commitLatency().p50()).isLessThanOrEqualTo(m.commitLatency().p99());
        assertThat(m.dataLag().count()).isEqualTo(20);
        // the median is one of the 60 s rows (upper bucket bound, at most 12.5 % above), p90 and max too
        assertThat(m.dataLag().p50()).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(6));
        assertThat(m.dataLag().max()).isBetween(Duration.ofSeconds(60), Duration.ofSeconds(61));
        assertThat(m.dataLag().total()).isBetween(Duration.ofSeconds(650), Duration.ofSeconds(660));
        assertThat(m.oldestUnacked()).isEqualTo(Duration.ZERO);
        assertThat(m.messagesByRoute()).containsExactly(java.util.Map.entry("#", 20L)); // the unmappable one is a dead letter
    }

    @Test
    void receiveTimeMappings_haveNoLag_butLatency() {
        start(SyncPipeline.builder().payload(receiveTime()));
        FakeMessage msg = transport.publish("plant/1", "{\"id\":1,\"v\":1}");
        await().atMost(WAIT).until(msg::acked);
        PipelineMetrics m = pipeline.metrics();
        assertThat(m.dataLag()).isEqualTo(LatencySummary.EMPTY);
        assertThat(m.commitLatency().count()).isEqualTo(1);
    }

    @Test
    void oldestUnacked_growsWhileTheSinkIsBlocked_andIsZeroOnceCommitted() {
        sink.block();
        start(SyncPipeline.builder().payload(receiveTime()));
        FakeMessage first = transport.publish("plant/1", "{\"id\":1,\"v\":1}");
        await().atMost(WAIT).until(() -> pipeline.metrics().oldestUnacked().compareTo(Duration.ofMillis(300)) > 0);
        // a later message, still queued behind the blocked batch, does not make the figure younger
        transport.publish("plant/1", "{\"id\":2,\"v\":1}");
        assertThat(pipeline.metrics().oldestUnacked()).isGreaterThan(Duration.ofMillis(300));
        assertThat(pipeline.metrics().inFlight()).isEqualTo(2);
        assertThat(pipeline.metrics().commitLatency().count()).isZero();
        sink.unblock();
        await().atMost(WAIT).until(() -> first.acked() && pipeline.metrics().inFlight() == 0);
        PipelineMetrics m = pipeline.metrics();
        assertThat(m.oldestUnacked()).isEqualTo(Duration.ZERO);
        assertThat(m.commitLatency().max()).isGreaterThan(Duration.ofMillis(300));
    }

    @Test
    void pausedAtTheBound_andReconnectsCounted() {
        sink.block();
        start(SyncPipeline.builder().payload(receiveTime()).maxInFlight(4));
        for (int i = 0; i < 4; i++) {
            transport.publish("plant/1", "{\"id\":" + i + ",\"v\":1}");
        }
        assertThat(pipeline.metrics().paused()).isTrue();
        sink.unblock();
        await().atMost(WAIT).until(() -> !pipeline.metrics().paused());

        TransportContextAccess.connection(transport, ConnectionState.CONNECTED);
        TransportContextAccess.connection(transport, ConnectionState.RECONNECTING);
        TransportContextAccess.connection(transport, ConnectionState.RECONNECTING); // the same outage, once
        TransportContextAccess.connection(transport, ConnectionState.CONNECTED);
        TransportContextAccess.connection(transport, ConnectionState.RECONNECTING);
        assertThat(pipeline.metrics().reconnects()).isEqualTo(2);
    }

    @Test
    void messagesByRoute_countsEachRoutesMessages_underItsTopicFilter() {
        transport.topicFilters("plant/#", "lab/#");
        start(SyncPipeline.builder().route("plant/#", receiveTime()).route("lab/#", eventTime()));
        List<FakeMessage> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sent.add(transport.publish("plant/1", "{\"id\":1,\"v\":1}"));
        }
        sent.add(transport.publish("lab/1", "{\"ts\":" + System.currentTimeMillis() + ",\"id\":1,\"v\":1}"));
        await().atMost(WAIT).until(() -> sent.stream().allMatch(FakeMessage::acked));
        assertThat(pipeline.metrics().messagesByRoute())
                .containsExactly(java.util.Map.entry("plant/#", 3L), java.util.Map.entry("lab/#", 1L));
        assertThat(pipeline.metrics().dataLag().count()).isEqualTo(1);
    }

    /** The transport's side of the contract, as a transport calls it. */
    private static final class TransportContextAccess {
        static void connection(FakeTransport t, ConnectionState state) {
            t.handler().onConnectionStateChanged(state, "test");
        }
    }
}
