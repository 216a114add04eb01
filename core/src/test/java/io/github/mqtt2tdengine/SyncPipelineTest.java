package io.github.mqtt2tdengine;

import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.errors.PayloadException;
import io.github.mqtt2tdengine.errors.SinkException;
import io.github.mqtt2tdengine.errors.TransportException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TimestampCollisionPolicy;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.FakeTransport.FakeMessage;
import io.github.mqtt2tdengine.spi.FakeTransport;
import io.github.mqtt2tdengine.spi.Row;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine's at-least-once contract, pinned with FakeTransport and FakeSink. */
class SyncPipelineTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final FakeTransport transport = new FakeTransport();
    private final FakeSink sink = new FakeSink();
    private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final List<String> states = new CopyOnWriteArrayList<>();
    private SyncPipeline pipeline;

    @AfterEach
    void tearDown() {
        if (pipeline != null) {
            sink.unblock();
            sink.recover();
            pipeline.close();
        }
    }

    private static PayloadSpec.Builder meters() {
        return PayloadSpec.json()
                .tag("id", "$.id", ColumnType.INT)
                .column("v", "$.v", ColumnType.DOUBLE);
    }

    private SyncPipeline.Builder builder() {
        return SyncPipeline.builder()
                .name("test")
                .source(transport)
                .sink(sink)
                .payload(meters().build())
                .superTable("meters")
                .subTableTemplate("d{id}")
                .batching(100, Duration.ofMillis(20))
                .retryBackoff(Duration.ofMillis(5), Duration.ofMillis(20))
                .deadLetterHandler(deadLetters::add)
                .listener(new PipelineListener() {
                    @Override
                    public void onStateChanged(PipelineState previous, PipelineState current) {
                        states.add(previous + "->" + current);
                    }

                    @Override
                    public void onFailed(Throwable cause) {
                        failures.add(cause);
                    }
                });
    }

    private SyncPipeline started(SyncPipeline.Builder b) {
        pipeline = b.build();
        pipeline.start();
        return pipeline;
    }

    @Test
    void batches_growUnderABacklog_upToTheFactor_andShrinkBackWhenInputSlows() throws Exception {
        sink.block();
        started(builder()); // batches of 100, growth 10: at most 1,000 (half of maxInFlight 10,000 is more)
        List<FakeMessage> backlog = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            backlog.add(transport.publish("plant/1", "{\"id\":" + (i % 10) + ",\"v\":" + i + "}"));
        }
        sink.unblock();
        await().atMost(WAIT).until(() -> backlog.stream().allMatch(FakeMessage::acked));
        List<Integer> sizes = sink.batches().stream().map(List::size).toList();
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(3000);
        assertThat(sizes).allMatch(n -> n <= 1000).anyMatch(n -> n > 100);
        int before = sizes.size();
        // input slower than the batches: a partial batch brings the size back to 100
        FakeMessage single = transport.publish("plant/1", "{\"id\":1,\"v\":1}");
        await().atMost(WAIT).until(single::acked);
        sink.block();
        List<FakeMessage> later = new ArrayList<>();
        for (int i = 0; i < 350; i++) {
            later.add(transport.publish("plant/1", "{\"id\":" + (i % 10) + ",\"v\":" + i + "}"));
        }
        sink.unblock();
        await().atMost(WAIT).until(() -> later.stream().allMatch(FakeMessage::acked));
        List<Integer> after = sink.batches().stream().skip(before + 1).map(List::size).toList();
        assertThat(after.get(0)).isEqualTo(100);
        assertThat(after.stream().mapToInt(Integer::intValue).sum()).isEqualTo(350);
    }

    @Test
    void batchGrowthOne_keepsEveryBatchAtTheBatchSize() {
        sink.block();
        started(builder().batchGrowth(1));
        List<FakeMessage> backlog = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            backlog.add(transport.publish("plant/1", "{\"id\":" + (i % 10) + ",\"v\":" + i + "}"));
        }
        sink.unblock();
        await().atMost(WAIT).until(() -> backlog.stream().allMatch(FakeMessage::acked));
        assertThat(sink.batches()).allMatch(b -> b.size() <= 100).hasSizeGreaterThanOrEqualTo(20);
        assertThatThrownBy(() -> SyncPipeline.builder().batchGrowth(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batchGrowth must be 1 or more, but was 0");
    }

    @Test
    void onMessage_beforeCommit_isNotAcknowledged_afterCommit_isAcknowledgedOnce() throws Exception {
        sink.block();
        started(builder());
        FakeMessage m = transport.publish("plant/1", "{\"id\":1,\"v\":2.5}");

        assertThat(sink.awaitFirstAttempt(10)).isTrue();
        assertThat(m.acked()).as("acked before the sink committed").isFalse();
        assertThat(pipeline.metrics().inFlight()).isEqualTo(1);

        sink.release(1);
        await().atMost(WAIT).until(m::acked);
        assertThat(m.ackCount()).isEqualTo(1);
        assertThat(sink.rows()).hasSize(1);
        Row row = sink.rows().get(0);
        assertThat(row.subTable()).isEqualTo("d1");
        assertThat(row.column("v")).isEqualTo(2.5);
        assertThat(row.tag("id")).isEqualTo(1L);
        PipelineMetrics metrics = pipeline.metrics();
        assertThat(metrics.received()).isEqualTo(1);
        assertThat(metrics.rowsWritten()).isEqualTo(1);
        assertThat(metrics.acked()).isEqualTo(1);
        assertThat(metrics.inFlight()).isZero();
        assertThat(sink.writerThread().getName()).isEqualTo("mqtt2td-test-writer-0");
    }

    @Test
    void write_retriableFailure_retriesSameBatchWithoutAck() {
        sink.failRetriable(3);
        started(builder());
        FakeMessage m = transport.publish("plant/1", "{\"id\":1,\"v\":1}");

        await().atMost(WAIT).until(m::acked);
        assertThat(sink.attempts()).isEqualTo(4);
        assertThat(sink.rows()).hasSize(1);
        assertThat(pipeline.metrics().retries()).isEqualTo(3);
        assertThat(pipeline.metrics().lastErrorMessage()).contains("fake outage");
        assertThat(pipeline.state()).isEqualTo(PipelineState.RUNNING);
    }

    @Test
    void write_outage_acksNothingUntilRecovered() throws Exception {
        sink.failRetriableUntilRecovered();
        started(builder());
        List<FakeMessage> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add(transport.publish("plant/" + i, "{\"id\":" + i + ",\"v\":1}"));
        }
        await().atMost(WAIT).until(() -> sink.attempts() >= 5);
        assertThat(sent).noneMatch(FakeMessage::acked);

        sink.recover();
        await().atMost(WAIT).until(() -> sent.stream().allMatch(FakeMessage::acked));
        assertThat(sink.rows()).hasSize(20);
    }

    @Test
    void write_fatalFailure_failsPipelineAndAcksNothing() {
        sink.failFatal(new SinkException("disk on fire"));
        started(builder());
        FakeMessage m = transport.publish("plant/1", "{\"id\":1,\"v\":1}");

        await().atMost(WAIT).until(() -> pipeline.state() == PipelineState.FAILED);
        // the listener hears of it right after the state changes, on the failing thread
        await().atMost(WAIT).until(() -> !failures.isEmpty() && states.contains("RUNNING->FAILED"));
        assertThat(failures).singleElement().satisfies(e -> assertThat(e).hasMessage("disk on fire"));
        assertThat(m.acked()).isFalse();
        await().atMost(WAIT).until(() -> transport.closes() == 1);
        await().atMost(WAIT).until(() -> sink.closes() == 1);
        assertThat(states).contains("RUNNING->FAILED");
        assertThat(pipeline.metrics().lastErrorMessage()).contains("disk on fire");

        FakeMessage late = transport.publish("plant/1", "{\"id\":1,\"v\":1}");
        assertThat(late.acked()).isFalse();
        assertThat(pipeline.metrics().ignoredWhileClosing()).isEqualTo(1);
    }

    /**
     * The pipeline failed and its closer thread is still closing the transport (a disconnect can take seconds) when the
     * host calls close(): close() returns only once the transport is closed, so a pipeline started next with the
     * same client id does not overlap the old connection.
     */
    @Test
    void close_afterFailure_waitsForTheTransportClosedByTheFailure() throws Exception {
        transport.slowClose();
        sink.failFatal(new SinkException("disk on fire"));
        started(builder());
        transport.publish("plant/1", "{\"id\":1,\"v\":1}");
        await().atMost(WAIT).until(() -> pipeline.state() == PipelineState.FAILED && transport.closes() == 1);

        Thread host = new Thread(pipeline::close, "host-close");
        host.start();
        await().atMost(WAIT).until(() -> host.getState() == Thread.State.TIMED_WAITING
                || host.getState() == Thread.State.WAITING || !host.isAlive());
        assertThat(host.isAlive()).as("close() returned while the transport was still closing").isTrue();
        transport.finishClose();
        host.join(WAIT.toMillis());
        assertThat(host.isAlive()).isFalse();
        assertThat(transport.closeDone()).isTrue();
        assertThat(transport.closes()).isEqualTo(1);
    }

    /** A listener called from inside the transport's close (on the failure's closer thread) calls close(). */
    @Test
    void close_fromInsideTheTransportsCloseAfterAFailure_doesNotWaitForItself() {
        AtomicBoolean closedFromInside = new AtomicBoolean();
        transport.duringClose(() -> {
            pipeline.close();
            closedFromInside.set(true);
        });
        sink.failFatal(new SinkException("disk on fire"));
        started(builder().shutdownTimeout(Duration.ofMinutes(5)));
        transport.publish("plant/1", "{\"id\":1,\"v\":1}");

        // waiting for itself, it would return only at the shutdown timeout (5 minutes)
        await().atMost(WAIT).untilTrue(closedFromInside);
        assertThat(transport.closes()).isEqualTo(1);
        assertThat(pipeline.state()).isEqualTo(PipelineState.FAILED);
    }

    @Test
    void write_unexpectedRuntimeException_failsPipelineWithSinkException() {
        sink.failFatal(new IllegalStateException("bug in sink"));
        started(builder());
        transport.publish("plant/1", "{\"id\":1,\"v\":1}");

        await().atMost(WAIT).until(() -> pipeline.state() == PipelineState.FAILED && !failures.isEmpty());
        assertThat(failures).singleElement().satisfies(e -> {
            assertThat(e).isInstanceOf(SinkException.class)
                    .hasMessage("Pipeline 'test': sink threw java.lang.IllegalStateException writing batch 1");
            assertThat(e).hasCauseInstanceOf(IllegalStateException.class);
        });
    }

    @Test
    void write_retriesExhausted_failsPipeline() {
        sink.failRetriableUntilRecovered();
        started(builder().maxRetries(2));
        FakeMessage m = transport.publish("plant/1", "{\"id\":1,\"v\":1}");

        await().atMost(WAIT).until(() -> pipeline.state() == PipelineState.FAILED && !failures.isEmpty());
        assertThat(sink.attempts()).isEqualTo(3);
        assertThat(failures).singleElement().satisfies(e -> assertThat(e)
                .hasMessage("Pipeline 'test': batch 1 of 1 rows still failed after 2 retries"));
        assertThat(m.acked()).isFalse();
    }

    @Test
    void onMessage_badPayload_isDeadLetteredCountedAndAcked_andGoodOnesFlow() {
        started(builder());
        FakeMessage bad = transport.publish("plant/1", "{\"id\":1,\"v\":");
        FakeMessage wrong = transport.publish("plant/2", "{\"id\":\"two\",\"v\":1}");
        FakeMessage good = transport.publish("plant/3", "{\"id\":3,\"v\":1}");

        await().atMost(WAIT).until(() -> bad.acked() && wrong.acked() && good.acked());
        assertThat(deadLetters).hasSize(2);
        DeadLetter d = deadLetters.stream().filter(x -> x.topic().equals("plant/1")).findFirst().orElseThrow();
        assertThat(d.reason()).isEqualTo(DeadLetterReason.INVALID_PAYLOAD);
        assertThat(d.message()).isEqualTo("Pipeline 'test': payload is not valid JSON at byte 12: Unexpected "
                + "end-of-input within/between Object entries, in message on topic 'plant/1'");
        assertThat(d.payloadPreview()).isEqualTo("{\"id\":1,\"v\":");
        DeadLetter w = deadLetters.stream().filter(x -> x.topic().equals("plant/2")).findFirst().orElseThrow();
        assertThat(w.message()).isEqualTo("Pipeline 'test': field 'id' (JSONPath '$.id'): value \"two\" cannot be "
                + "converted to INT: it is not a number, in message on topic 'plant/2'");
        PipelineMetrics m = pipeline.metrics();
        assertThat(m.deadLetters()).isEqualTo(2);
        assertThat(m.deadLettersByReason()).containsExactlyInAnyOrderEntriesOf(Map.of(
                DeadLetterReason.INVALID_PAYLOAD, 1L, DeadLetterReason.TYPE_MISMATCH, 1L));
        assertThat(m.acked()).isEqualTo(3);
        assertThat(sink.rows()).extracting(Row::subTable).containsExactly("d3");
    }

    @Test
    void onMessage_badPayloadUnderFailPolicy_failsPipelineWithoutAck() {
        started(builder().badMessagePolicy(BadMessagePolicy.FAIL));
        FakeMessage bad = transport.publish("plant/1", "garbage");

        assertThat(pipeline.state()).isEqualTo(PipelineState.FAILED);
        assertThat(bad.acked()).isFalse();
        assertThat(failures).singleElement().isInstanceOf(PayloadException.class);
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void deadLetterHandler_throwing_messageHoldsItsPlaceUntilStored_thenAckedOnce() {
        AtomicBoolean down = new AtomicBoolean(true);
        List<DeadLetter> stored = new CopyOnWriteArrayList<>();
        started(builder().deadLetterHandler(d -> {
            if (down.get()) {
                throw new IllegalStateException("dlq down");
            }
            stored.add(d);
        }));
        FakeMessage bad = transport.publish("plant/1", "garbage");
        FakeMessage good = transport.publish("plant/1", "{\"id\":1,\"v\":1}");

        await().atMost(WAIT).until(good::acked);
        await().atMost(WAIT).until(() -> pipeline.metrics().deadLetterDestinations().get("custom").failures() >= 3);
        assertThat(bad.acked()).isFalse();
        assertThat(pipeline.metrics().inFlight()).isEqualTo(1);
        assertThat(pipeline.metrics().deadLetterDestinations().get("custom"))
                .satisfies(m -> {
                    assertThat(m.failing()).isTrue();
                    assertThat(m.pending()).isEqualTo(1);
                    assertThat(m.stored()).isZero();
                    assertThat(m.lastError()).isEqualTo("dlq down");
                });
        assertThat(pipeline.state()).isEqualTo(PipelineState.RUNNING);

        down.set(false);
        await().atMost(WAIT).until(bad::acked);
        assertThat(stored).singleElement().satisfies(d -> assertThat(d.payload()).isEqualTo("garbage".getBytes()));
        assertThat(bad.ackCount()).isEqualTo(1);
        assertThat(pipeline.metrics().deadLetterDestinations().get("custom"))
                .isEqualTo(new DeadLetterDestinationMetrics(1, pipeline.metrics().deadLetterDestinations().get("custom")
                        .failures(), 0, false, "dlq down"));
    }

    @Test
    void deadLetterDestinationDown_floodOfBadMessages_pausesTheTransportAtMaxInFlight_thenAllComplete() {
        AtomicBoolean down = new AtomicBoolean(true);
        started(builder().maxInFlight(50).deadLetterHandler(d -> {
            if (down.get()) {
                throw new IllegalStateException("dlq down");
            }
        }));
        List<FakeMessage> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sent.add(transport.publish("plant/1", "bad " + i));
        }
        await().atMost(WAIT).until(transport::paused);
        assertThat(sent).noneMatch(FakeMessage::acked);
        assertThat(pipeline.metrics().inFlight()).isEqualTo(50);

        down.set(false);
        await().atMost(WAIT).until(() -> sent.stream().allMatch(FakeMessage::acked));
        await().atMost(WAIT).until(() -> !transport.paused());
        assertThat(pipeline.metrics().deadLetters()).isEqualTo(50);
        assertThat(sent).allMatch(m -> m.ackCount() == 1);
    }

    @Test
    void deadLetters_toSeveralDestinations_oneFailing_theOtherIsNotCalledAgain() {
        AtomicBoolean down = new AtomicBoolean(true);
        List<DeadLetter> first = new CopyOnWriteArrayList<>();
        List<DeadLetter> second = new CopyOnWriteArrayList<>();
        started(builder().deadLetterHandler(first::add).addDeadLetterHandler(new DeadLetterHandler() {
            @Override
            public void handle(DeadLetter d) {
                if (down.get()) {
                    throw new IllegalStateException("second down");
                }
                second.add(d);
            }

            @Override
            public String destination() {
                return "second";
            }
        }));
        FakeMessage bad = transport.publish("plant/1", "garbage");
        await().atMost(WAIT).until(() -> pipeline.metrics().deadLetterDestinations().get("second").failures() >= 2);
        assertThat(bad.acked()).isFalse();

        down.set(false);
        await().atMost(WAIT).until(bad::acked);
        assertThat(first).hasSize(1);
        assertThat(second).hasSize(1);
        assertThat(pipeline.metrics().deadLetterDestinations().keySet()).containsExactly("custom", "second");
    }

    @Test
    void write_sinkRejectsOneRow_othersCommittedAndItsMessageDeadLettered() {
        sink.reject(r -> r.subTable().equals("d2"), "[0x80000216] tinyint data overflow");
        started(builder());
        FakeMessage m1 = transport.publish("p", "{\"id\":1,\"v\":1}");
        FakeMessage m2 = transport.publish("p", "{\"id\":2,\"v\":1}");
        FakeMessage m3 = transport.publish("p", "{\"id\":3,\"v\":1}");

        await().atMost(WAIT).until(() -> m1.acked() && m2.acked() && m3.acked());
        assertThat(sink.rows()).extracting(Row::subTable).containsExactlyInAnyOrder("d1", "d3");
        assertThat(deadLetters).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo(DeadLetterReason.SINK_REJECTED);
            assertThat(d.message()).isEqualTo("Pipeline 'test': sink rejected 1 of 1 row(s): [0x80000216] tinyint "
                    + "data overflow, in message on topic 'p'");
        });
        assertThat(pipeline.metrics().rowsWritten()).isEqualTo(2);
    }

    @Test
    void close_drainsInFlightRows_writesAndAcksThemBeforeReturning() {
        started(builder().batching(1000, Duration.ofHours(1)).batchIdle(Duration.ofHours(1)));
        List<FakeMessage> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(transport.publish("p", "{\"id\":" + i + ",\"v\":1}"));
        }
        assertThat(sent).noneMatch(FakeMessage::acked);

        pipeline.close();

        assertThat(sent).allMatch(FakeMessage::acked);
        assertThat(sink.rows()).hasSize(5);
        assertThat(pipeline.state()).isEqualTo(PipelineState.CLOSED);
        assertThat(transport.closes()).isEqualTo(1);
        assertThat(sink.closes()).isEqualTo(1);
        assertThat(states).containsExactly("NEW->STARTING", "STARTING->RUNNING", "RUNNING->CLOSING",
                "CLOSING->CLOSED");
        pipeline.close();
        assertThat(sink.closes()).as("close is idempotent").isEqualTo(1);
    }

    @Test
    void batchIdle_writesAPartialBatchSoonAfterInputPauses() {
        started(builder().batching(1000, Duration.ofHours(1)).batchIdle(Duration.ofMillis(30)));
        FakeMessage m = transport.publish("p", "{\"id\":1,\"v\":1}");
        await().atMost(WAIT).until(m::acked);
        assertThat(sink.batches()).singleElement().satisfies(b -> assertThat(b).hasSize(1));
    }

    @Test
    void close_duringOutage_givesUpAfterShutdownTimeoutAndAcksNothing() {
        sink.failRetriableUntilRecovered();
        started(builder().shutdownTimeout(Duration.ofMillis(300)));
        FakeMessage m = transport.publish("p", "{\"id\":1,\"v\":1}");
        await().atMost(WAIT).until(() -> sink.attempts() >= 1);

        long t0 = System.nanoTime();
        pipeline.close();
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertThat(ms).isLessThan(5_000);
        assertThat(m.acked()).isFalse();
        assertThat(pipeline.state()).isEqualTo(PipelineState.CLOSED);
        assertThat(sink.closes()).isEqualTo(1);
    }

    @Test
    void onMessage_atInFlightBound_pausesTransport_dropsNothing_resumesAfterAcks() {
        sink.block();
        started(builder().maxInFlight(10).batching(5, Duration.ofMillis(5)));
        List<FakeMessage> sent = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            sent.add(transport.publish("p", "{\"id\":" + i + ",\"v\":1}"));
        }
        assertThat(transport.paused()).isFalse();
        sent.add(transport.publish("p", "{\"id\":9,\"v\":1}"));
        assertThat(transport.paused()).isTrue();
        // a transport may still deliver a few it had already read: they are taken, not dropped
        for (int i = 10; i < 13; i++) {
            sent.add(transport.publish("p", "{\"id\":" + i + ",\"v\":1}"));
        }
        assertThat(pipeline.metrics().inFlight()).isEqualTo(13);
        assertThat(pipeline.metrics().peakInFlight()).isEqualTo(13);

        sink.unblock();
        await().atMost(WAIT).until(() -> sent.stream().allMatch(FakeMessage::acked));
        assertThat(transport.paused()).isFalse();
        assertThat(transport.pauses()).isEqualTo(1);
        assertThat(transport.resumes()).isEqualTo(1);
        assertThat(sink.rows()).hasSize(13);
    }

    @Test
    void writers_several_partitionBySubTable_keepPerTableOrder() {
        started(builder().writers(4).batching(7, Duration.ofMillis(5)));
        List<FakeMessage> sent = new ArrayList<>();
        for (int n = 0; n < 50; n++) {
            for (int id = 0; id < 20; id++) {
                sent.add(transport.publish("p", "{\"id\":" + id + ",\"v\":" + n + "}"));
            }
        }
        await().atMost(WAIT).until(() -> sent.stream().allMatch(FakeMessage::acked));
        Map<String, List<Double>> perTable = new HashMap<>();
        for (Row r : sink.rows()) {
            perTable.computeIfAbsent(r.subTable(), k -> new ArrayList<>()).add((Double) r.column("v"));
        }
        assertThat(perTable).hasSize(20);
        for (List<Double> values : perTable.values()) {
            assertThat(values).hasSize(50).isSorted();
        }
        assertThat(sink.context().writerCount()).isEqualTo(4);
    }

    @Test
    void receiveTimeCollision_shiftPolicy_movesLaterRowsForwardAndCounts() {
        started(builder());
        Instant t = Instant.parse("2026-11-24T10:00:00.123Z");
        List<FakeMessage> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sent.add(transport.publish("p", "{\"id\":1,\"v\":" + i + "}", t));
        }
        sent.add(transport.publish("p", "{\"id\":2,\"v\":9}", t));
        await().atMost(WAIT).until(() -> sent.stream().allMatch(FakeMessage::acked));

        long ms = t.toEpochMilli();
        assertThat(sink.rows()).filteredOn(r -> r.subTable().equals("d1")).extracting(Row::timestamp)
                .containsExactly(ms, ms + 1, ms + 2);
        assertThat(sink.rows()).filteredOn(r -> r.subTable().equals("d2")).extracting(Row::timestamp)
                .containsExactly(ms);
        assertThat(pipeline.metrics().timestampCollisions()).isEqualTo(2);
    }

    @Test
    void receiveTimeCollision_overwritePolicy_keepsTimestampsAndCounts() {
        started(builder().payload(meters().policies().timestampCollision(TimestampCollisionPolicy.OVERWRITE).applyPolicies().build()));
        Instant t = Instant.parse("2026-11-24T10:00:00.123Z");
        List<FakeMessage> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sent.add(transport.publish("p", "{\"id\":1,\"v\":" + i + "}", t));
        }
        await().atMost(WAIT).until(() -> sent.stream().allMatch(FakeMessage::acked));
        assertThat(sink.rows()).extracting(Row::timestamp).containsOnly(t.toEpochMilli());
        assertThat(pipeline.metrics().timestampCollisions()).isEqualTo(2);
    }

    @Test
    void onMessage_producingNoRows_isAckedAtOnce() {
        started(builder().payload(meters().split("$.readings[*]").build()));
        FakeMessage m = transport.publish("p", "{\"readings\":[]}");
        assertThat(m.acked()).isTrue();
        assertThat(pipeline.metrics().rowsMapped()).isZero();
    }

    @Test
    void start_twice_throwsIllegalStateException() {
        started(builder());
        assertThatThrownBy(pipeline::start).isInstanceOf(IllegalStateException.class)
                .hasMessage("Pipeline 'test' is already started");
        pipeline.close();
        assertThatThrownBy(pipeline::start).isInstanceOf(IllegalStateException.class)
                .hasMessage("Pipeline 'test' is already closed");
    }

    @Test
    void start_sinkOpenFails_throwsAndNeverStartsTransport() {
        sink.failOnOpen(new SinkException("database 'power' does not exist"));
        pipeline = builder().build();
        assertThatThrownBy(pipeline::start).isInstanceOf(SinkException.class)
                .hasMessage("database 'power' does not exist");
        assertThat(transport.handler()).isNull();
        assertThat(pipeline.state()).isEqualTo(PipelineState.FAILED);
        assertThat(sink.closes()).isEqualTo(1);
        assertThat(failures).hasSize(1);
    }

    @Test
    void start_transportFails_throwsAndClosesSink() {
        transport.failOnStart(new TransportException("broker 127.0.0.1:1 refused the connection"));
        pipeline = builder().build();
        assertThatThrownBy(pipeline::start).isInstanceOf(TransportException.class)
                .hasMessage("broker 127.0.0.1:1 refused the connection");
        assertThat(pipeline.state()).isEqualTo(PipelineState.FAILED);
        assertThat(sink.closes()).isEqualTo(1);
    }

    @Test
    void transportFailure_reported_failsPipeline() {
        started(builder());
        transport.handler().onTransportFailed(new TransportException("gave up reconnecting"));
        assertThat(pipeline.state()).isEqualTo(PipelineState.FAILED);
        assertThat(failures).singleElement().satisfies(e -> assertThat(e).hasMessage("gave up reconnecting"));
    }

    @Test
    void listener_throwing_isIgnored() {
        started(builder().listener(new PipelineListener() {
            @Override
            public void onStateChanged(PipelineState previous, PipelineState current) {
                throw new IllegalStateException("listener bug");
            }
        }));
        FakeMessage m = transport.publish("p", "{\"id\":1,\"v\":1}");
        await().atMost(WAIT).until(m::acked);
        assertThat(pipeline.state()).isEqualTo(PipelineState.RUNNING);
    }

    @Test
    void sinkPrecision_isUsedForTimestamps() {
        sink.precision(io.github.mqtt2tdengine.payload.TimePrecision.MICROSECONDS);
        started(builder());
        Instant t = Instant.parse("2026-11-24T10:00:00.123456789Z");
        FakeMessage m = transport.publish("p", "{\"id\":1,\"v\":1}", t);
        await().atMost(WAIT).until(m::acked);
        assertThat(sink.rows().get(0).timestamp()).isEqualTo(t.getEpochSecond() * 1_000_000 + 123_456);
    }

    @Test
    void sinkContext_listsTablesFromMappings() {
        started(builder());
        assertThat(sink.context().pipelineName()).isEqualTo("test");
        assertThat(sink.context().tables()).singleElement().hasToString(
                "meters ([ts TIMESTAMP, v DOUBLE]) TAGS ([id INT])");
    }
}
