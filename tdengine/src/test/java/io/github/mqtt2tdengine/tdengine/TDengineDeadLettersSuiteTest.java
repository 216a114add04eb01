package io.github.mqtt2tdengine.tdengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.DeadLetter;
import io.github.mqtt2tdengine.PipelineMetrics;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.errors.RetriableSinkException;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import io.github.mqtt2tdengine.spi.FakeTransport;
import io.github.mqtt2tdengine.spi.FakeTransport.FakeMessage;
import io.github.mqtt2tdengine.spi.InboundMessage;
import io.github.mqtt2tdengine.spi.TransportContext;
import io.github.mqtt2tdengine.tdengine.testing.TDenginePeer;
import io.github.mqtt2tdengine.tdengine.testing.TDenginePeer.Server;
import io.github.mqtt2tdengine.tdengine.testing.TDengineRestServer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The TDengine dead-letter destination and its replay, one suite against every peer ({@link TDenginePeer}): the REST
 * test server always, a real TDengine over native, WebSocket and REST when its URL is set (else those variants are
 * reported as skipped with the reason). Each test uses a database of its own, dropped afterwards.
 */
class TDengineDeadLettersSuiteTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TABLE = TDengineDeadLetters.DEFAULT_SUPER_TABLE;
    private static final List<DeadLetterReason> FIVE = List.of(DeadLetterReason.NO_ROUTE,
            DeadLetterReason.MISSING_FIELD, DeadLetterReason.TYPE_MISMATCH, DeadLetterReason.OUT_OF_RANGE,
            DeadLetterReason.SINK_REJECTED);
    /** A whole minute an hour ago, with a sub-millisecond part that a millisecond database drops. */
    private static final Instant RECEIVED = Instant.ofEpochMilli(System.currentTimeMillis() / 60_000 * 60_000
            - 3_600_000).plusNanos(123_456);

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private TDenginePeer peer;
    private String db;

    static Stream<Server> peers() {
        return Server.all();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    private void open(Server server) {
        peer = server.open();
        db = peer.database("dl");
        peer.createDatabase(db, "ms");
    }

    private TDengineSink sink() {
        return TDengineSink.builder().jdbcUrl(peer.url(db)).credentials(peer.user(), peer.password()).build();
    }

    private TDengineDeadLetters destination(TDengineSink sink) {
        TDengineDeadLetters d = TDengineDeadLetters.builder().sink(sink).build();
        closeables.add(d);
        return d;
    }

    private static DeadLetter letter(String topic, byte[] payload, DeadLetterReason reason, Instant receivedAt) {
        return new DeadLetter("plant", topic, payload, 1, receivedAt, reason, "Pipeline 'plant': " + reason
                + " in message on topic '" + topic + "'", null);
    }

    private void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(peer.url(db), peer.user(), peer.password());
                Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    /** Stands in for the engine: records the messages, acknowledges on demand. */
    private static final class Recorder implements TransportContext {
        final List<InboundMessage> messages = new CopyOnWriteArrayList<>();
        private final int maxInFlight;

        Recorder(int maxInFlight) {
            this.maxInFlight = maxInFlight;
        }

        @Override
        public void onMessage(InboundMessage message) {
            messages.add(message);
        }

        @Override
        public int maxInFlight() {
            return maxInFlight;
        }
    }

    private TDengineDeadLetterReplay replay(TDengineDeadLetterReplay.Builder b) {
        TDengineDeadLetterReplay r = b.build();
        closeables.add(r);
        return r;
    }

    /** Replays everything into a recorder that acknowledges each message at once; returns the messages. */
    private List<InboundMessage> replayAll(TDengineDeadLetterReplay r) throws Exception {
        List<InboundMessage> seen = new CopyOnWriteArrayList<>();
        r.start(new TransportContext() {
            @Override
            public void onMessage(InboundMessage message) {
                seen.add(message);
                message.acknowledge();
            }
        });
        r.completion().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return seen;
    }

    // ------------------------------------------------------------------ storing

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void handleAll_100DeadLettersOfFiveKinds_storedAndReplayedByteForByte_thenDeleted(Server server) throws Exception {
        open(server);
        TDengineSink sink = sink();
        TDengineDeadLetters dest = destination(sink);
        Random random = new Random(28);
        List<DeadLetter> all = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            // every tenth one is 100,000 bytes: three rows of up to 49,152
            byte[] payload = new byte[i % 10 == 9 ? 100_000 : random.nextInt(3_000)];
            random.nextBytes(payload);
            all.add(letter("plant/m" + i + "/meters", payload, FIVE.get(i % 5), RECEIVED.plusMillis(i)));
        }
        for (int i = 0; i < 100; i += 25) {
            dest.handleAll(all.subList(i, i + 25));
        }
        assertThat(peer.rowCount(db, TABLE)).isEqualTo(90 + 10 * 3);
        // one sub-table per reason (one pipeline, one destination), tagged with them
        List<String> subTables = peer.tableNames(db);
        assertThat(subTables).hasSize(5).allMatch(n -> n.matches("dl_[0-9a-f]{32}"));
        assertThat(subTables.stream().map(n -> peer.tags(db, n).get("reason")).toList())
                .containsExactlyInAnyOrderElementsOf(FIVE.stream().map(Enum::name).toList());
        assertThat(peer.tags(db, subTables.get(0))).containsEntry("pipeline", "plant")
                .containsEntry("instance", dest.instance());
        // the columns as stored: the first one of a reason
        String noRoute = subTables.stream().filter(n -> "NO_ROUTE".equals(peer.tags(db, n).get("reason")))
                .findFirst().orElseThrow();
        Map<String, Object> first = peer.rows(db, noRoute).values().iterator().next();
        assertThat(first).containsEntry("mqtt_topic", "plant/m0/meters").containsEntry("qos", 1L)
                .containsEntry("part", 0L).containsEntry("parts", 1L).containsEntry("truncated", false)
                .containsEntry("payload_length", (long) all.get(0).payload().length)
                .containsEntry("received_at", RECEIVED.toEpochMilli())
                .containsEntry("detail", "Pipeline 'plant': NO_ROUTE in message on topic 'plant/m0/meters'");
        assertThat((byte[]) first.get("payload")).isEqualTo(all.get(0).payload());

        TDengineDeadLetterReplay r = replay(dest.replay());
        List<InboundMessage> replayed = replayAll(r);
        assertThat(replayed).hasSize(100);
        Map<String, InboundMessage> byTopic = new HashMap<>();
        replayed.forEach(m -> byTopic.put(m.topic(), m));
        for (DeadLetter d : all) {
            InboundMessage m = byTopic.get(d.topic());
            assertThat(m).as(d.topic()).isNotNull();
            assertThat(m.payload()).as(d.topic()).isEqualTo(d.payload());
            assertThat(m.qos()).isEqualTo(1);
            assertThat(m.receivedAt()).isEqualTo(d.receivedAt().truncatedTo(ChronoUnit.MILLIS));
        }
        assertThat(r.completion().get()).isEqualTo(new TDengineDeadLetterReplay.Result(100, 100, 100, 0, 0));
        assertThat(peer.rowCount(db, TABLE)).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void handleAll_hostilePayloadsAndTopics_roundTripExactly_tooLargeOneTruncatedWithFlagAndLength(Server server)
            throws Exception {
        open(server);
        TDengineSink sink = sink();
        TDengineDeadLetters dest = TDengineDeadLetters.builder().sink(sink).maxPayloadBytes(1_100_000).build();
        closeables.add(dest);
        Random random = new Random(7);
        byte[] mebibyte = new byte[1 << 20];
        random.nextBytes(mebibyte);
        byte[] tooLarge = new byte[1_200_000];
        random.nextBytes(tooLarge);
        List<String> topics = List.of("it's/a \"quoted\"/`back`quoted", "back\\slash\\", "\\x41\\'", "温度/😀/✓",
                "line1\nline2\ttab", "'); DROP DATABASE x; --", "t/" + "y".repeat(8_000), "nul/bytes", "invalid/utf8",
                "mebibyte", "exactly/one/part", "one/byte/more", "empty", "too/large", "old/receive/time");
        List<byte[]> payloads = List.of("it's \"quoted\" `back`".getBytes(StandardCharsets.UTF_8),
                "\\\\ \\' \\x00".getBytes(StandardCharsets.UTF_8), "\\x41".getBytes(StandardCharsets.UTF_8),
                "温度 😀".getBytes(StandardCharsets.UTF_8), "a\nb\r\n\t".getBytes(StandardCharsets.UTF_8),
                "'); DELETE FROM x; --".getBytes(StandardCharsets.UTF_8), new byte[] {'"'},
                new byte[] {0, 0, 'a', 0, '\'', 0}, new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, '\\'},
                mebibyte, Arrays.copyOf(mebibyte, 49_152), Arrays.copyOf(mebibyte, 49_153), new byte[0], tooLarge,
                "{}".getBytes(StandardCharsets.UTF_8));
        List<DeadLetter> all = new ArrayList<>();
        for (int i = 0; i < topics.size(); i++) {
            // a receive time before the database's KEEP window is taken: KEEP applies to the primary key only
            Instant received = topics.get(i).equals("old/receive/time") ? Instant.ofEpochSecond(1) : RECEIVED;
            all.add(letter(topics.get(i), payloads.get(i), DeadLetterReason.INVALID_PAYLOAD, received));
        }
        dest.handleAll(all);
        // 1 MiB: 22 rows; 49,152: 1; 49,153: 2; truncated to 1,100,000: 23; the other eleven: 1 each
        assertThat(peer.rowCount(db, TABLE)).isEqualTo(22 + 1 + 2 + 23 + 11);
        String subTable = peer.tableNames(db).get(0);
        Map<String, Object> truncated = peer.rows(db, subTable).values().stream()
                .filter(row -> "too/large".equals(row.get("mqtt_topic"))).findFirst().orElseThrow();
        assertThat(truncated).containsEntry("truncated", true).containsEntry("payload_length", 1_200_000L)
                .containsEntry("parts", 23L);

        TDengineDeadLetterReplay r = replay(dest.replay());
        List<InboundMessage> replayed = replayAll(r);
        assertThat(replayed).hasSize(topics.size() - 1);
        for (int i = 0; i < topics.size(); i++) {
            String topic = topics.get(i);
            if (topic.equals("too/large")) {
                continue;
            }
            InboundMessage m = replayed.stream().filter(x -> x.topic().equals(topic)).findFirst().orElseThrow(
                    () -> new AssertionError("not replayed: " + topic.substring(0, Math.min(20, topic.length()))));
            assertThat(m.payload()).as(topic).isEqualTo(payloads.get(i));
        }
        assertThat(replayed.stream().filter(m -> m.topic().equals("old/receive/time")).findFirst().orElseThrow()
                .receivedAt()).isEqualTo(Instant.ofEpochSecond(1));
        // the truncated one is left in place: counted, not deleted
        assertThat(r.completion().get()).isEqualTo(new TDengineDeadLetterReplay.Result(15, 14, 14, 1, 0));
        assertThat(peer.rowCount(db, TABLE)).isEqualTo(23);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void handleAll_tableDroppedAndReplacedByAConflictingOne_retriableNamingIt_thenRecovers(Server server)
            throws Exception {
        open(server);
        TDengineDeadLetters dest = destination(sink());
        dest.handle(letter("a", new byte[] {1}, DeadLetterReason.NO_ROUTE, RECEIVED));
        sql("DROP STABLE `" + db + "`.`" + TABLE + "`");
        sql("CREATE STABLE `" + db + "`.`" + TABLE + "` (`ts` TIMESTAMP, `v` INT) TAGS (`t` INT)");
        DeadLetter b = letter("b", new byte[] {2}, DeadLetterReason.NO_ROUTE, RECEIVED);
        // the INSERT the table refuses, then the check of the table on the next attempt
        assertThatThrownBy(() -> dest.handle(b)).isInstanceOf(RetriableSinkException.class)
                .hasMessageContaining("Pipeline 'plant': TDengine " + safeUrl(peer.url(db)) + ": cannot store 1 "
                        + "dead letter(s) in `" + db + "`.`" + TABLE + "`: TDengine error 0x2602: Invalid column name");
        assertThatThrownBy(() -> dest.handle(b)).isInstanceOf(RetriableSinkException.class)
                .hasMessageStartingWith("Pipeline 'plant': TDengine dead letters: super table `" + db + "`.`" + TABLE
                        + "` exists but does not fit the dead-letter layout: ")
                .hasMessageContaining("lacks column `received_at` TIMESTAMP")
                .hasMessageEndingWith("drop or rename it, or choose another superTable(...); dead letters wait "
                        + "(unacknowledged) until then");
        sql("DROP STABLE `" + db + "`.`" + TABLE + "`");
        dest.handle(b);
        assertThat(peer.rowCount(db, TABLE)).isEqualTo(1);
        assertThat(peer.describe(db, TABLE, false)).hasSize(10);
    }

    /** The URL as the messages show it: without its query string. */
    private static String safeUrl(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    @Test
    void handleAll_restServerDownOrAnswering503_retriable_recoversOnTheNextAttempt() {
        open(Server.TEST_SERVER);
        TDengineRestServer server = peer.restServer().orElseThrow();
        TDengineDeadLetters dest = destination(sink());
        dest.handle(letter("a", new byte[] {1}, DeadLetterReason.NO_ROUTE, RECEIVED));
        server.failNextRequestsWithHttp503(1);
        assertThatThrownBy(() -> dest.handle(letter("b", new byte[] {2}, DeadLetterReason.NO_ROUTE, RECEIVED)))
                .isInstanceOf(RetriableSinkException.class).hasMessageContaining("cannot store 1 dead letter(s)");
        server.refuseConnections();
        assertThatThrownBy(() -> dest.handle(letter("c", new byte[] {3}, DeadLetterReason.NO_ROUTE, RECEIVED)))
                .isInstanceOf(RetriableSinkException.class);
        server.acceptConnections();
        dest.handle(letter("c", new byte[] {3}, DeadLetterReason.NO_ROUTE, RECEIVED));
        assertThat(peer.rowCount(db, TABLE)).isEqualTo(2);
    }

    @Test
    void handleAll_retryOfAHalfWrittenBatch_keepsItsTimestamps_noDuplicateRows() {
        open(Server.TEST_SERVER);
        TDengineRestServer server = peer.restServer().orElseThrow();
        // statements of at most ~100 KB: a 1 MiB payload takes several, the second one fails once
        TDengineSink sink = TDengineSink.builder().jdbcUrl(peer.url(db)).credentials(peer.user(), peer.password())
                .maxSqlBytes(120_000).build();
        TDengineDeadLetters dest = destination(sink);
        dest.handle(letter("warm-up", new byte[] {1}, DeadLetterReason.NO_ROUTE, RECEIVED));
        byte[] big = new byte[1 << 20];
        new Random(3).nextBytes(big);
        DeadLetter d = letter("big", big, DeadLetterReason.NO_ROUTE, RECEIVED);
        int before = server.inserts().size();
        server.failNextInsertsAfter(1, 1, 0x0B, "Unable to establish connection");
        assertThatThrownBy(() -> dest.handle(d)).isInstanceOf(RetriableSinkException.class);
        assertThat(server.inserts().size() - before).isEqualTo(2);
        dest.handle(d);
        assertThat(peer.rowCount(db, TABLE)).isEqualTo(1 + 22);
    }

    // ------------------------------------------------------------------ replay

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void replay_holdsToMaxInFlightAndPause_deletesOnlyAcknowledged_completesWhenAllAreDeleted(Server server)
            throws Exception {
        open(server);
        TDengineDeadLetters dest = destination(sink());
        List<DeadLetter> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            all.add(letter("t/" + i, ("p" + i).getBytes(StandardCharsets.UTF_8), DeadLetterReason.NO_ROUTE,
                    RECEIVED));
        }
        dest.handleAll(all);
        Recorder context = new Recorder(3);
        TDengineDeadLetterReplay r = replay(dest.replay());
        r.start(context);
        await().atMost(WAIT).until(() -> context.messages.size() == 3);
        // nothing more while three are unacknowledged
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> context.messages.size() == 3);
        assertThat(r.completion()).isNotDone();
        context.messages.get(0).acknowledge();
        await().atMost(WAIT).until(() -> context.messages.size() == 4);
        await().atMost(WAIT).until(() -> peer.rowCount(db, TABLE) == 9);
        r.pause();
        context.messages.get(1).acknowledge();
        context.messages.get(2).acknowledge();
        await().atMost(WAIT).until(() -> peer.rowCount(db, TABLE) == 7);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> context.messages.size() == 4);
        r.resume();
        await().atMost(WAIT).until(() -> context.messages.size() == 6);
        for (int i = 3; i < 10; i++) {
            int n = i;
            await().atMost(WAIT).until(() -> context.messages.size() > n);
            context.messages.get(i).acknowledge();
        }
        assertThat(r.completion().get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo(new TDengineDeadLetterReplay.Result(10, 10, 10, 0, 0));
        assertThat(peer.rowCount(db, TABLE)).isZero();
        assertThat(context.messages).extracting(InboundMessage::topic).containsExactlyInAnyOrderElementsOf(
                all.stream().map(DeadLetter::topic).toList());
        r.close();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.isAlive()
                && t.getName().equals("mqtt2td-dead-letter-replay"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void replay_sinceReasonAndPipeline_selectOnlyThose_unacknowledgedKeepTheirRowsAtClose(Server server)
            throws Exception {
        open(server);
        TDengineDeadLetters dest = destination(sink());
        dest.handleAll(List.of(letter("old", new byte[] {1}, DeadLetterReason.NO_ROUTE, RECEIVED)));
        Instant since = Instant.now().plusMillis(5);
        await().atMost(WAIT).until(() -> Instant.now().isAfter(since));
        dest.handleAll(List.of(letter("new", new byte[] {2}, DeadLetterReason.NO_ROUTE, RECEIVED),
                letter("other-reason", new byte[] {3}, DeadLetterReason.TYPE_MISMATCH, RECEIVED),
                new DeadLetter("other-pipeline", "x", new byte[] {4}, 0, RECEIVED, DeadLetterReason.NO_ROUTE, "d",
                        null)));
        List<InboundMessage> replayed = replayAll(replay(dest.replay().since(since).reason(DeadLetterReason.NO_ROUTE)
                .pipelineName("plant")));
        assertThat(replayed).extracting(InboundMessage::topic).containsExactly("new");
        assertThat(peer.rowCount(db, TABLE)).isEqualTo(3);
        // a replay closed with a message unacknowledged: its rows stay, the completion says why
        Recorder context = new Recorder(10);
        TDengineDeadLetterReplay r = replay(dest.replay().pipelineName("other-pipeline"));
        r.start(context);
        await().atMost(WAIT).until(() -> context.messages.size() == 1);
        assertThat(context.messages.get(0).qos()).isZero();
        r.close();
        assertThat(r.completion()).isCompletedExceptionally();
        assertThat(peer.rowCount(db, TABLE)).isEqualTo(3);
    }

    @Test
    void replay_noTableYet_completesWithNothing() throws Exception {
        open(Server.TEST_SERVER);
        TDengineDeadLetterReplay r = replay(TDengineDeadLetterReplay.builder().sink(sink()));
        assertThat(replayAll(r)).isEmpty();
        assertThat(r.completion().get()).isEqualTo(new TDengineDeadLetterReplay.Result(0, 0, 0, 0, 0));
    }

    @Test
    void build_withoutSinkOrWithADryRunSink_throwsIllegalStateException() {
        assertThatThrownBy(() -> TDengineDeadLetters.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessage("sink must be set: TDengineDeadLetters.builder().sink(tdengineSink)");
        TDengineSink dry = TDengineSink.builder().database("power").dryRun(s -> { }).build();
        assertThatThrownBy(() -> TDengineDeadLetters.builder().sink(dry).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("sink is a dry run, which has no database to keep dead letters in");
        assertThatThrownBy(() -> TDengineDeadLetters.builder().maxPayloadBytes(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPayloadBytes must be between 0 and 67108864, but was -1");
        assertThatThrownBy(() -> TDengineDeadLetters.builder().superTable("a.b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("superTable: identifier 'a.b'");
        TDengineSink sink = TDengineSink.builder().jdbcUrl("jdbc:TAOS-RS://127.0.0.1:1/power?token=s3cret")
                .credentials("writer", "pa55").build();
        assertThat(TDengineDeadLetters.builder().sink(sink).build().toString()).doesNotContain("s3cret", "pa55")
                .startsWith("TDengineDeadLetters{jdbc:TAOS-RS://127.0.0.1:1/power, database=power, "
                        + "superTable=mqtt2td_dead_letters, maxPayloadBytes=4194304, instance=");
        assertThat(TDengineDeadLetterReplay.builder().sink(sink).build().toString()).doesNotContain("s3cret", "pa55");
    }

    // ------------------------------------------------------------------ the pipeline

    private static PayloadSpec spec(boolean withPhase) {
        PayloadSpec.Builder b = PayloadSpec.json().timestamp("ts", "$.ts", TimestampUnit.MILLISECONDS)
                .withoutReceiveTime().column("voltage", "$.voltage", ColumnType.INT);
        if (withPhase) {
            b.column("phase", "$.phase", ColumnType.TINYINT);
        }
        return b.tag("id", "$.id", ColumnType.INT).build();
    }

    private SyncPipeline pipeline(io.github.mqtt2tdengine.spi.Transport source, TDengineSink sink,
            TDengineDeadLetters dest, boolean powerRoute, boolean withPhase) {
        SyncPipeline.Builder b = SyncPipeline.builder().name("plant").source(source).sink(sink)
                .route("plant/+/meters", spec(withPhase));
        if (powerRoute) {
            b.route("plant/+/power", spec(withPhase));
        }
        SyncPipeline p = b.superTable("meters").subTableTemplate("d{id}").batching(100, Duration.ofMillis(20))
                .maxInFlight(4).retryBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .deadLetterHandler(dest).build();
        closeables.add(p);
        return p;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void replay_inAPipelineAfterAMappingFix_writesAgain_stillBadComeBackWithTheirNewReason_untilTheTableIsEmpty(
            Server server) throws Exception {
        open(server);
        long t0 = RECEIVED.toEpochMilli();
        // 1: the mapping knows only plant/+/meters; plant/+/power is NO_ROUTE, ten of those have a phase of 300
        TDengineSink sink = sink();
        FakeTransport mqtt = new FakeTransport();
        SyncPipeline first = pipeline(mqtt, sink, destination(sink), false, true);
        first.start();
        List<FakeMessage> sent = new ArrayList<>();
        Map<String, byte[]> power = new HashMap<>();
        for (int i = 0; i < 50; i++) {
            String topic = "plant/" + i + (i < 20 ? "/meters" : "/power");
            String json = "{\"ts\":" + (t0 + i) + ",\"id\":" + (i % 5) + ",\"voltage\":" + (200 + i) + ",\"phase\":"
                    + (i >= 40 ? 300 : 1) + "}";
            sent.add(mqtt.publish(topic, json.getBytes(StandardCharsets.UTF_8), 1, RECEIVED.plusMillis(i)));
            if (i >= 20) {
                power.put(topic, json.getBytes(StandardCharsets.UTF_8));
            }
        }
        await().atMost(WAIT).until(() -> sent.stream().allMatch(FakeMessage::acked));
        first.close();
        assertThat(peer.rowCount(db, "meters")).isEqualTo(20);
        assertThat(peer.rowCount(db, TABLE)).isEqualTo(30);

        // 2: the fixed mapping routes plant/+/power too; the ten with phase 300 are dead-lettered again
        TDengineSink sink2 = sink();
        TDengineDeadLetters dest2 = destination(sink2);
        TDengineDeadLetterReplay replay = replay(dest2.replay().pipelineName("plant"));
        SyncPipeline second = pipeline(replay, sink2, dest2, true, true);
        second.start();
        TDengineDeadLetterReplay.Result result = replay.completion().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        PipelineMetrics m = second.metrics();
        second.close();
        assertThat(result).isEqualTo(new TDengineDeadLetterReplay.Result(30, 30, 30, 0, 0));
        assertThat(m.deadLetters()).isEqualTo(10);
        assertThat(m.deadLettersByReason()).containsOnlyKeys(DeadLetterReason.OUT_OF_RANGE);
        assertThat(m.peakInFlight()).isLessThanOrEqualTo(4);
        assertThat(peer.rowCount(db, "meters")).isEqualTo(40);
        assertThat(peer.rowCount(db, TABLE)).isEqualTo(10);
        for (String subTable : peer.tableNames(db)) {
            if (subTable.startsWith("dl_") && !peer.rows(db, subTable).isEmpty()) {
                assertThat(peer.tags(db, subTable)).containsEntry("reason", "OUT_OF_RANGE")
                        .containsEntry("instance", dest2.instance());
                for (Map<String, Object> row : peer.rows(db, subTable).values()) {
                    String topic = (String) row.get("mqtt_topic");
                    assertThat((byte[]) row.get("payload")).as(topic).isEqualTo(power.get(topic));
                    assertThat(row.get("received_at")).isEqualTo(RECEIVED.toEpochMilli()
                            + Integer.parseInt(topic.split("/")[1]));
                }
            }
        }

        // 3: the phase is no longer mapped: the rest is written, the table ends empty
        TDengineSink sink3 = sink();
        TDengineDeadLetters dest3 = destination(sink3);
        TDengineDeadLetterReplay replay3 = replay(dest3.replay().pipelineName("plant")
                .reason(DeadLetterReason.OUT_OF_RANGE));
        SyncPipeline third = pipeline(replay3, sink3, dest3, true, false);
        third.start();
        assertThat(replay3.completion().get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo(new TDengineDeadLetterReplay.Result(10, 10, 10, 0, 0));
        third.close();
        assertThat(third.metrics().deadLetters()).isZero();
        assertThat(peer.rowCount(db, TABLE)).isZero();
        assertThat(peer.rowCount(db, "meters")).isEqualTo(50);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.isAlive()
                && t.getName().equals("mqtt2td-dead-letter-replay"));
    }
}
