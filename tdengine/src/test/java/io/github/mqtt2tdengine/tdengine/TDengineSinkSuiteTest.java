package io.github.mqtt2tdengine.tdengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.mqtt2tdengine.DeadLetter;
import io.github.mqtt2tdengine.PipelineListener;
import io.github.mqtt2tdengine.PipelineState;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.errors.RetriableSinkException;
import io.github.mqtt2tdengine.errors.SinkException;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.FieldTarget;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TagChangePolicy;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import io.github.mqtt2tdengine.spi.FakeTransport.FakeMessage;
import io.github.mqtt2tdengine.spi.FakeTransport;
import io.github.mqtt2tdengine.tdengine.testing.TDenginePeer.Server;
import io.github.mqtt2tdengine.tdengine.testing.TDenginePeer.Target;
import io.github.mqtt2tdengine.tdengine.testing.TDenginePeer;
import io.github.mqtt2tdengine.tdengine.testing.TDengineRestServer.Col;
import io.github.mqtt2tdengine.tdengine.testing.TDengineRestServer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sink through the real TDengine JDBC driver, one suite against two servers ({@link TDenginePeer}): the REST test
 * server ({@code jdbc:TAOS-RS://}, {@link TDengineRestServer}) and a real TDengine at {@code TDENGINE_JDBC_URL}
 * (without it, each real-server variant is reported as skipped with the reason). Tests of injected faults (HTTP 503,
 * refused connections, an error code on a chosen value) run against the REST test server only. Every test writes to a
 * database of its own, with a random name, dropped afterwards.
 */
class TDengineSinkSuiteTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** A whole minute an hour ago: inside the KEEP window of any database, exact in every precision. */
    private static final long T0 = System.currentTimeMillis() / 60_000 * 60_000 - 3_600_000;

    private final FakeTransport transport = new FakeTransport();
    private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    private final List<SyncPipeline> pipelines = new ArrayList<>();
    private TDenginePeer peer;
    private Target target;
    private String db;

    static Stream<Target> peers() {
        return Target.all();
    }

    static Stream<Arguments> peersAndPrecisions() {
        return peers().flatMap(k -> Stream.of(TimePrecision.values()).map(p -> Arguments.of(k, p)));
    }

    static Stream<Arguments> realServerBoundElsewhereOrNot() {
        return Target.all().filter(t -> t.server().real()).flatMap(k -> Stream.of(Arguments.of(k, true),
                Arguments.of(k, false)));
    }

    @AfterEach
    void stop() {
        pipelines.forEach(SyncPipeline::close);
        if (peer != null) {
            peer.close();
        }
    }

    /** Opens the peer (skips the test without a real server) and names this test's database. */
    private void open(Target target) {
        this.target = target;
        peer = target.open();
        db = peer.database("power");
    }

    private TDengineRestServer restServer() {
        open(new Target(Server.TEST_SERVER, WriteMode.SQL));
        return peer.restServer().orElseThrow();
    }

    private static PayloadSpec.Builder meters() {
        return PayloadSpec.json()
                .timestamp("ts", "$.ts", TimestampUnit.MILLISECONDS)
                .withoutReceiveTime()
                .column("current", "$.current", ColumnType.FLOAT)
                .column("voltage", "$.voltage", ColumnType.INT)
                .column("phase", "$.phase", ColumnType.TINYINT)
                .column("note", "$.note", ColumnType.varchar(16))
                .tag("id", "$.id", ColumnType.INT)
                .tag("location", "$.loc", ColumnType.varchar(32));
    }

    private TDengineSink.Builder sink() {
        return TDengineSink.builder().jdbcUrl(peer.url(db)).credentials(peer.user(), peer.password())
                .writeMode(target.writeMode());
    }

    private SyncPipeline pipeline(PayloadSpec spec, TDengineSink sink) {
        return pipeline(spec, sink, pipelines.isEmpty() ? transport : new FakeTransport());
    }

    private SyncPipeline pipeline(PayloadSpec spec, TDengineSink sink, FakeTransport source) {
        return pipeline(spec, sink, source, 500);
    }

    private SyncPipeline pipeline(PayloadSpec spec, TDengineSink sink, FakeTransport source, int batchRows) {
        SyncPipeline p = SyncPipeline.builder().name("td").source(source).sink(sink).payload(spec)
                .superTable("meters").subTableTemplate("d{id}")
                .batching(batchRows, batchRows == 500 ? Duration.ofMillis(20) : Duration.ofMinutes(1))
                .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).deadLetterHandler(deadLetters::add)
                .build();
        pipelines.add(p);
        return p;
    }

    private static String msg(int id, long ts, String extra) {
        return "{\"id\":" + id + ",\"ts\":" + ts + ",\"current\":10.5,\"voltage\":220,\"phase\":1,\"loc\":\"hall-"
                + id + "\"" + extra + "}";
    }

    private Connection connect() throws java.sql.SQLException {
        return DriverManager.getConnection(peer.url(db), peer.user(), peer.password());
    }

    // ------------------------------------------------------------------ both servers

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void close_afterWrites_leavesNoNonDaemonThreadOfTheSinkOrDriver(Target target) {
        open(target);
        peer.createDatabase(db, "ms");
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        SyncPipeline p = pipeline(meters().build(), sink().build());
        p.start();
        List<FakeMessage> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sent.add(transport.publish("plant/meters", msg(i % 5, T0 + i, "")));
        }
        await().atMost(WAIT).until(() -> sent.stream().allMatch(FakeMessage::acked));
        p.close();
        await().pollInSameThread().atMost(WAIT).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet()
                .stream().filter(t -> t.isAlive() && !t.isDaemon() && !before.contains(t)).map(Thread::getName)
                .filter(n -> !n.equals("td-rest-test-server")))
                .isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void start_newSuperTable_createdWithTheMappedTypes_precisionRead_rowsWrittenThroughDriver(Target target)
            throws Exception {
        open(target);
        peer.createDatabase(db, "us");
        SyncPipeline p = pipeline(meters().build(), sink().build());
        p.start();
        peer.statements().ifPresent(statements -> assertThat(statements).anyMatch(s -> s.startsWith(
                "CREATE STABLE IF NOT EXISTS `" + db + "`.`meters` (`ts` TIMESTAMP, `current` FLOAT, `voltage` INT, "
                        + "`phase` TINYINT, `note` VARCHAR(16)) TAGS (`id` INT, `location` VARCHAR(32))")));
        assertThat(peer.describe(db, "meters", false)).containsExactly(new Col("ts", "TIMESTAMP", 8),
                new Col("current", "FLOAT", 4), new Col("voltage", "INT", 4), new Col("phase", "TINYINT", 1),
                new Col("note", "VARCHAR", 16));
        assertThat(peer.describe(db, "meters", true)).containsExactly(new Col("id", "INT", 4),
                new Col("location", "VARCHAR", 32));
        List<FakeMessage> sent = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            sent.add(transport.publish("plant/meters", msg(i % 10, T0 + i, "")));
        }
        await().atMost(WAIT).until(() -> sent.stream().allMatch(FakeMessage::acked));
        assertThat(peer.rowCount(db, "meters")).isEqualTo(100);
        assertThat(peer.tableNames(db)).hasSize(10);
        Map<Long, Map<String, Object>> d3 = peer.rows(db, "d3");
        assertThat(d3.keySet()).first().isEqualTo((T0 + 3) * 1000);
        assertThat(d3.values().iterator().next()).containsEntry("voltage", 220L).containsEntry("phase", 1L)
                .containsEntry("current", 10.5).containsEntry("note", null);
        assertThat(peer.tags(db, "d3")).containsEntry("id", 3L).containsEntry("location", "hall-3");
        try (Connection c = connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM `" + db + "`.`meters`")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(100);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void write_timestampOutsideKeep_deadLetteredWithCode060B_otherRowWritten(Target target) {
        open(target);
        peer.createDatabase(db, "ms");
        // the mapping lets 1000 through as a timestamp; the server's keep window refuses it (0x060B)
        SyncPipeline p = pipeline(meters().build(), sink().build());
        p.start();
        FakeMessage old = transport.publish("plant/meters", msg(1, 1000, ""));
        FakeMessage good = transport.publish("plant/meters", msg(2, T0, ""));
        await().atMost(WAIT).until(() -> old.acked() && good.acked());
        assertThat(deadLetters).singleElement().satisfies(d -> assertThat(d.message())
                .contains("TDengine error 0x060B: Timestamp data out of range"));
        assertThat(peer.rowCount(db, "meters")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void write_oneRowOutsideKeepAmong64_isolatedByBisection_goodRowsWritten_badRowDeadLetteredWithCode(Target target) {
        open(target);
        peer.createDatabase(db, "ms");
        SyncPipeline p = pipeline(meters().build(), sink().build());
        p.start();
        // a value only the server finds wrong: the whole statement fails, the sink splits it until the row stands alone
        List<FakeMessage> sent = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            sent.add(transport.publish("plant/meters", msg(i % 8, i == 37 ? 1000 : T0 + i, "")));
        }
        await().atMost(WAIT).until(() -> sent.stream().allMatch(FakeMessage::acked));
        assertThat(peer.rowCount(db, "meters")).isEqualTo(63);
        assertThat(peer.rows(db, "d5")).doesNotContainKey(1000L).hasSize(7);
        assertThat(deadLetters).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo(DeadLetterReason.SINK_REJECTED);
            assertThat(d.message()).isEqualTo("Pipeline 'td': sink rejected 1 of 1 row(s): TDengine error 0x060B: "
                    + "Timestamp data out of range, in message on topic 'plant/meters'");
            assertThat(new String(d.payload(), StandardCharsets.UTF_8)).contains("\"ts\":1000,");
        });
        assertThat(p.metrics().rowsWritten()).isEqualTo(63);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void write_hostileStrings_storedVerbatim_andNeverChangeTheStatement(Target target) throws Exception {
        open(target);
        peer.createDatabase(db, "ms");
        // 65,494: the longest VARCHAR this row can have (TDengine's row limit is 65,531 bytes)
        PayloadSpec spec = meters().column("text", "$.text", ColumnType.varchar(65_494)).build();
        SyncPipeline p = pipeline(spec, sink().build());
        p.start();
        List<String> hostile = List.of("O'Brien", "a\\b", "x\"y", "`; DROP DATABASE power; --",
                "'); DELETE FROM meters;", "\\'", "温度计 ✓ 😀", "line1\nline2\ttab", "\\", "'", "--", "/* c */",
                "x".repeat(65_000));
        List<FakeMessage> sent = new ArrayList<>();
        for (int i = 0; i < hostile.size(); i++) {
            String json = JsonMapper.builder().build().createObjectNode()
                    .put("id", 1).put("ts", T0 + i).put("text", hostile.get(i)).put("loc", hostile.get(i % 5))
                    .toString();
            sent.add(transport.publish("plant/meters", json));
        }
        await().atMost(WAIT).until(() -> sent.stream().allMatch(FakeMessage::acked));
        assertThat(deadLetters).isEmpty();
        Map<Long, Map<String, Object>> rows = peer.rows(db, "d1");
        for (int i = 0; i < hostile.size(); i++) {
            assertThat(rows.get(T0 + i).get("text")).as("row %d", i).isEqualTo(hostile.get(i));
        }
        // tagChangePolicy UPDATE (the default): the sub-table has the latest message's tags, set by ALTER TABLE
        assertThat(peer.tags(db, "d1").get("location")).isEqualTo(hostile.get((hostile.size() - 1) % 5));
        assertThat(peer.tableNames(db)).containsExactly("d1");
        try (Connection c = connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM `" + db + "`.`d1`")) {
            int i = 0;
            while (rs.next()) {
                assertThat(rs.getString("text")).isEqualTo(hostile.get(i++));
            }
            assertThat(i).isEqualTo(hostile.size());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void start_superTableRowOverTheServersLimit_failsWithTheServersCodeAndMessage(Target target) {
        open(target);
        peer.createDatabase(db, "ms");
        SyncPipeline p = pipeline(meters().column("text", "$.text", ColumnType.varchar(65_517)).build(),
                sink().build());
        assertThatThrownBy(p::start).isInstanceOf(SinkException.class)
                .hasMessageEndingWith(": cannot prepare database `" + db + "`: TDengine error 0x263E: Row length "
                        + "exceeds max length 65531");
        assertThat(peer.describe(db, "meters", false)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void start_existingSuperTableWithWrongType_failsNamingTheColumn_addMissingAddsIt(Target target) {
        open(target);
        peer.createDatabase(db, "ms");
        SyncPipeline first = pipeline(meters().build(), sink().build());
        first.start();
        first.close();
        PayloadSpec changed = meters().column("extra", "$.x", ColumnType.DOUBLE).tag("site", "$.site",
                ColumnType.nchar(8)).build();
        PayloadSpec retyped = PayloadSpec.json().timestamp("ts", "$.ts", TimestampUnit.MILLISECONDS)
                .withoutReceiveTime().column("current", "$.current", ColumnType.DOUBLE)
                .tag("id", "$.id", ColumnType.INT).build();
        SyncPipeline wrong = pipeline(retyped, sink().build());
        assertThatThrownBy(wrong::start).isInstanceOf(SinkException.class)
                .hasMessage("Pipeline 'td': super table `meters` column `current`: expected DOUBLE, actual FLOAT");
        SyncPipeline missing = pipeline(changed, sink().build());
        assertThatThrownBy(missing::start).isInstanceOf(SinkException.class)
                .hasMessage("Pipeline 'td': super table `meters` lacks mapped [extra DOUBLE, site NCHAR(8)]; add them "
                        + "or use schemaPolicy(ADD_MISSING)");
        SyncPipeline added = pipeline(changed, sink().schemaPolicy(SchemaPolicy.ADD_MISSING).build());
        added.start();
        assertThat(peer.describe(db, "meters", false)).extracting(Col::name).contains("extra");
        assertThat(peer.describe(db, "meters", false)).last().isEqualTo(new Col("extra", "DOUBLE", 8));
        assertThat(peer.describe(db, "meters", true)).last().isEqualTo(new Col("site", "NCHAR", 8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void check_beforeAndAfterStart_reportsTheMissingThenTheMatchingSuperTable(Target target) {
        open(target);
        peer.createDatabase(db, "ns");
        PayloadSpec spec = meters().build();
        SyncPipeline p = pipeline(spec, sink().build());
        assertThat(sink().build().check(p.tables())).containsExactly("database `" + db + "`: exists, precision ns",
                "super table `meters`: not found (TDengine error 0x2603: Table does not exist); the pipeline would "
                        + "create it");
        p.start();
        assertThat(sink().build().check(p.tables())).containsExactly("database `" + db + "`: exists, precision ns",
                "super table `meters`: matches the mapping");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void start_missingDatabase_failsStart_orIsCreatedWithPrecision(Target target) {
        open(target);
        SyncPipeline p = pipeline(meters().build(), sink().build());
        assertThatThrownBy(p::start).isInstanceOf(SinkException.class)
                .hasMessage("Pipeline 'td': TDengine database `" + db + "` does not exist; create it or use "
                        + "createDatabase(precision)");
        assertThat(peer.precision(db)).isEmpty();
        SyncPipeline created = pipeline(meters().build(), sink().createDatabase(TimePrecision.NANOSECONDS).build(),
                transport);
        created.start();
        peer.statements().ifPresent(statements -> assertThat(statements)
                .contains("CREATE DATABASE IF NOT EXISTS `" + db + "` PRECISION 'ns'"));
        assertThat(peer.precision(db)).contains("ns");
        FakeMessage m = transport.publish("t", msg(1, T0, ""));
        await().atMost(WAIT).until(m::acked);
        assertThat(peer.rows(db, "d1").keySet()).containsExactly(T0 * 1_000_000);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void start_wrongPassword_failsWithoutShowingIt(Target target) {
        open(target);
        peer.createDatabase(db, "ms");
        SyncPipeline p = pipeline(meters().build(), TDengineSink.builder().jdbcUrl(peer.url(db))
                .credentials(peer.user(), "wrong-secret").writeMode(target.writeMode()).build());
        assertThatThrownBy(p::start).isInstanceOf(SinkException.class)
                .hasMessageContaining("Authentication failure")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-secret"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void write_databaseDroppedWhileRunning_pipelineFailsWithCode0388_messageNotAcked(Target target) {
        open(target);
        peer.createDatabase(db, "ms");
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        SyncPipeline p = SyncPipeline.builder().name("td").source(transport).sink(sink().build())
                .payload(meters().build()).superTable("meters").subTableTemplate("d{id}")
                .batching(500, Duration.ofMillis(20)).retryBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .listener(new PipelineListener() {
                    @Override
                    public void onFailed(Throwable cause) {
                        failures.add(cause);
                    }
                }).build();
        pipelines.add(p);
        p.start();
        FakeMessage written = transport.publish("plant/meters", msg(1, T0, ""));
        await().atMost(WAIT).until(written::acked);
        peer.dropDatabase(db);
        FakeMessage lost = transport.publish("plant/meters", msg(1, T0 + 1, ""));
        await().atMost(WAIT).until(() -> p.state() == PipelineState.FAILED);
        assertThat(lost.acked()).isFalse();
        // a missing database is fatal: no retry can help
        assertThat(failures).singleElement().satisfies(e -> assertThat(e).isInstanceOf(SinkException.class)
                .isNotInstanceOf(RetriableSinkException.class)
                .hasMessageEndingWith(": TDengine error 0x0388: Database not exist"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void write_topicAndQosColumns_andUnsignedTypes_roundTrip(Target target) {
        open(target);
        peer.createDatabase(db, "ms");
        PayloadSpec spec = PayloadSpec.json().timestamp("ts", "$.ts", TimestampUnit.MILLISECONDS)
                .withoutReceiveTime().topic(FieldTarget.COLUMN).qos(FieldTarget.TAG)
                .column("u64", "$.u64", ColumnType.BIGINT_UNSIGNED)
                .column("b", "$.b", ColumnType.BOOL)
                .column("vb", "$.vb", ColumnType.varbinary(8))
                .column("n", "$.n", ColumnType.nchar(4))
                .tag("id", "$.id", ColumnType.INT).build();
        if (target.writeMode() == WriteMode.STMT) {
            // the driver has no setter for UNSIGNED types: STMT refuses to start, naming the column; AUTO writes SQL
            SyncPipeline stmt = pipeline(spec, sink().build(), new FakeTransport());
            assertThatThrownBy(stmt::start).isInstanceOf(SinkException.class).hasMessageContaining(
                    "writeMode STMT cannot bind column `u64` (BIGINT UNSIGNED)");
        }
        SyncPipeline p = pipeline(spec, sink().writeMode(target.writeMode() == WriteMode.STMT ? WriteMode.AUTO
                : target.writeMode()).build(), transport);
        p.start();
        FakeMessage m = transport.publish("plant/x", "{\"id\":1,\"ts\":" + T0
                + ",\"u64\":18446744073709551615,\"b\":true,\"vb\":\"ab\",\"n\":\"温度计一\"}");
        await().atMost(WAIT).until(m::acked);
        assertThat(deadLetters).isEmpty();
        Map<String, Object> row = peer.rows(db, "d1").get(T0);
        assertThat(row).containsEntry("topic", "plant/x").containsEntry("b", true).containsEntry("n", "温度计一")
                .containsEntry("u64", new BigInteger("18446744073709551615"));
        assertThat((byte[]) row.get("vb")).containsExactly('a', 'b');
        assertThat(peer.tags(db, "d1")).containsEntry("qos", 1L);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void write_jsonTag_createsTheSubTableWithTheObject_andUpdatePolicySetsANewOne(Target target) throws Exception {
        open(target);
        peer.createDatabase(db, "ms");
        PayloadSpec spec = PayloadSpec.json().timestamp("ts", "$.ts", TimestampUnit.MILLISECONDS).withoutReceiveTime()
                .column("id", "$.id", ColumnType.INT).column("v", "$.v", ColumnType.DOUBLE)
                .tag("info", "$.info", ColumnType.JSON).build();
        SyncPipeline p = pipeline(spec, sink().build());
        p.start();
        FakeMessage first = transport.publish("t", "{\"id\":1,\"ts\":" + T0 + ",\"v\":1.5,\"info\":{\"site\":"
                + "\"o'brien\",\"floor\":3}}");
        await().atMost(WAIT).until(first::acked);
        FakeMessage moved = transport.publish("t", "{\"id\":1,\"ts\":" + (T0 + 1) + ",\"v\":2.5,\"info\":"
                + "{\"site\":\"hall\",\"floor\":4}}");
        await().atMost(WAIT).until(moved::acked);
        assertThat(deadLetters).isEmpty();
        assertThat(peer.rows(db, "d1")).containsOnlyKeys(T0, T0 + 1);
        if (target.server().real()) {
            // read the JSON tag back through the server's own JSON operator
            try (Connection c = connect(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT DISTINCT info->'site', info->'floor' FROM `" + db
                            + "`.`d1`")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("\"hall\"");
                // TDengine keeps JSON numbers as doubles: "4.000000000" natively and over WebSocket, "4.0" over REST
                assertThat(Double.parseDouble(rs.getString(2))).isEqualTo(4.0);
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("peersAndPrecisions")
    void write_everyTypeInEachPrecision_readBackEqual(Target target, TimePrecision precision) {
        open(target);
        // parameter binding has no UNSIGNED types (the start fails, see write_topicAndQosColumns_andUnsignedTypes_...)
        boolean unsigned = target.writeMode() != WriteMode.STMT;
        PayloadSpec.Builder builder = PayloadSpec.json()
                .timestamp("ts", "$.ts", TimestampUnit.MILLISECONDS).withoutReceiveTime()
                .column("b", "$.b", ColumnType.BOOL).column("i8", "$.i8", ColumnType.TINYINT)
                .column("i16", "$.i16", ColumnType.SMALLINT).column("i32", "$.i32", ColumnType.INT)
                .column("i64", "$.i64", ColumnType.BIGINT);
        if (unsigned) {
            builder.column("u8", "$.u8", ColumnType.TINYINT_UNSIGNED)
                    .column("u16", "$.u16", ColumnType.SMALLINT_UNSIGNED).column("u32", "$.u32", ColumnType.INT_UNSIGNED)
                    .column("u64", "$.u64", ColumnType.BIGINT_UNSIGNED);
        }
        builder.column("f", "$.f", ColumnType.FLOAT)
                .column("d", "$.d", ColumnType.DOUBLE).column("s", "$.s", ColumnType.varchar(200))
                .column("n", "$.n", ColumnType.nchar(20)).column("vb", "$.vb", ColumnType.varbinary(16))
                .tag("id", "$.id", ColumnType.INT).tag(unsigned ? "t8" : "t16", "$.t8", unsigned
                        ? ColumnType.TINYINT_UNSIGNED : ColumnType.SMALLINT)
                .tag("tf", "$.tf", ColumnType.DOUBLE).tag("tb", "$.tb", ColumnType.BOOL)
                .tag("tn", "$.tn", ColumnType.nchar(8));
        PayloadSpec spec = builder.build();
        SyncPipeline p = pipeline(spec, sink().createDatabase(precision).build());
        p.start();
        List<FakeMessage> sent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sent.add(transport.publish("t", JsonMapper.builder().build().createObjectNode().put("id", 1)
                    .put("ts", T0 + i).put("b", i % 2 == 0).put("i8", -128 + i).put("i16", 32767).put("i32", -5)
                    .put("i64", Long.MAX_VALUE - i).put("u8", 255).put("u16", 65535).put("u32", 4_294_967_295L)
                    .put("u64", new BigInteger("18446744073709551614")).put("f", 0.1).put("d", -2.25e10 + i)
                    .put("s", "s" + i).put("n", "温度计").put("vb", "ab").put("t8", 200).put("tf", 0.5)
                    .put("tb", true).put("tn", "标签").toString()));
        }
        // a row with only its key and one value: every other column is NULL
        sent.add(transport.publish("t", "{\"id\":1,\"ts\":" + (T0 + 4) + ",\"i32\":7}"));
        await().atMost(WAIT).until(() -> sent.stream().allMatch(FakeMessage::acked));
        assertThat(deadLetters).isEmpty();
        long unit = precision == TimePrecision.MILLISECONDS ? 1 : precision == TimePrecision.MICROSECONDS ? 1_000
                : 1_000_000;
        Map<Long, Map<String, Object>> rows = peer.rows(db, "d1");
        assertThat(rows.keySet()).containsExactly(T0 * unit, (T0 + 1) * unit, (T0 + 2) * unit, (T0 + 3) * unit,
                (T0 + 4) * unit);
        Map<String, Object> second = rows.get((T0 + 1) * unit);
        Map<String, Object> expected = new HashMap<>();
        expected.put("ts", (T0 + 1) * unit);
        expected.put("b", false);
        expected.put("i8", -127L);
        expected.put("i16", 32767L);
        expected.put("i32", -5L);
        expected.put("i64", Long.MAX_VALUE - 1);
        if (unsigned) {
            expected.put("u8", 255L);
            expected.put("u16", 65535L);
            expected.put("u32", 4_294_967_295L);
            expected.put("u64", new BigInteger("18446744073709551614"));
        }
        expected.put("f", (double) 0.1f);
        expected.put("d", -2.25e10 + 1);
        expected.put("s", "s1");
        expected.put("n", "温度计");
        assertThat(second).containsAllEntriesOf(expected).hasSize(expected.size() + 1);
        assertThat((byte[]) second.get("vb")).containsExactly('a', 'b');
        assertThat(rows.get((T0 + 4) * unit)).containsEntry("i32", 7L).containsEntry("b", null)
                .containsEntry("i64", null).containsEntry("f", null).containsEntry("s", null)
                .containsEntry("n", null).containsEntry("vb", null);
        assertThat(peer.tags(db, "d1")).isEqualTo(Map.of("id", 1L, unsigned ? "t8" : "t16", 200L, "tf", 0.5,
                "tb", true, "tn", "标签"));
        List<String> types = new ArrayList<>(List.of("TIMESTAMP", "BOOL", "TINYINT", "SMALLINT", "INT", "BIGINT"));
        if (unsigned) {
            types.addAll(List.of("TINYINT UNSIGNED", "SMALLINT UNSIGNED", "INT UNSIGNED", "BIGINT UNSIGNED"));
        }
        types.addAll(List.of("FLOAT", "DOUBLE", "VARCHAR", "NCHAR", "VARBINARY"));
        assertThat(peer.describe(db, "meters", false)).extracting(Col::type).containsExactlyElementsOf(types);
        assertThat(peer.precision(db)).contains(precision.sqlName());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void write_sameSubTableAndTimestampInALaterBatch_oneRowWithTheLaterMessagesValues(Target target) {
        open(target);
        peer.createDatabase(db, "ms");
        SyncPipeline p = pipeline(meters().build(), sink().build());
        p.start();
        FakeMessage first = transport.publish("plant/meters", msg(1, T0, ",\"note\":\"first\""));
        await().atMost(WAIT).until(first::acked);
        // a replay with other values, and without current: the sink writes every column, so current becomes NULL
        FakeMessage later = transport.publish("plant/meters", "{\"id\":1,\"ts\":" + T0 + ",\"voltage\":230,"
                + "\"phase\":2,\"note\":\"replaced\",\"loc\":\"hall-1\"}");
        await().atMost(WAIT).until(later::acked);
        assertThat(peer.rowCount(db, "meters")).isEqualTo(1);
        assertThat(peer.rows(db, "d1").get(T0)).containsEntry("voltage", 230L).containsEntry("phase", 2L)
                .containsEntry("note", "replaced").containsEntry("current", null);
        assertThat(deadLetters).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void write_sameSubTableAndTimestampInOneBatch_oneRowMergedWithTheLaterNonNullValues(Target target) {
        open(target);
        peer.createDatabase(db, "ms");
        // batches of exactly two rows: both messages go into one statement
        SyncPipeline p = pipeline(meters().build(), sink().build(), transport, 2);
        p.start();
        FakeMessage first = transport.publish("plant/meters", msg(1, T0, ",\"note\":\"first\""));
        FakeMessage later = transport.publish("plant/meters", "{\"id\":1,\"ts\":" + T0 + ",\"voltage\":230,"
                + "\"note\":\"replaced\",\"loc\":\"hall-1\"}");
        await().atMost(WAIT).until(() -> first.acked() && later.acked());
        assertThat(peer.rowCount(db, "meters")).isEqualTo(1);
        // TDengine merges the rows of one timestamp within a statement: NULL does not erase an earlier value
        assertThat(peer.rows(db, "d1").get(T0)).containsEntry("voltage", 230L).containsEntry("note", "replaced")
                .containsEntry("current", 10.5).containsEntry("phase", 1L);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void write_existingSubTableWithOtherTagValues_ignorePolicy_rowWritten_tagsKeptFromTheFirstRow(Target target) {
        open(target);
        peer.createDatabase(db, "ms");
        SyncPipeline p = pipeline(meters().policies().tagChange(TagChangePolicy.IGNORE).applyPolicies().build(), sink().build());
        p.start();
        FakeMessage first = transport.publish("plant/meters", msg(1, T0, ""));
        await().atMost(WAIT).until(first::acked);
        FakeMessage moved = transport.publish("plant/meters", "{\"id\":1,\"ts\":" + (T0 + 1) + ",\"voltage\":1,"
                + "\"loc\":\"moved\"}");
        await().atMost(WAIT).until(moved::acked);
        assertThat(peer.rows(db, "d1")).hasSize(2);
        assertThat(peer.tags(db, "d1")).isEqualTo(Map.of("id", 1L, "location", "hall-1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void write_newTagValues_updatePolicy_tagsSetToTheLatest_andAFoundSubTableGetsThemOnce(Target target) {
        open(target);
        peer.createDatabase(db, "ms");
        SyncPipeline p = pipeline(meters().build(), sink().build());
        p.start();
        FakeMessage first = transport.publish("plant/meters", msg(1, T0, ""));
        FakeMessage other = transport.publish("plant/meters", msg(2, T0, ""));
        await().atMost(WAIT).until(() -> first.acked() && other.acked());
        FakeMessage moved = transport.publish("plant/meters", msg(1, T0 + 1, "").replace("hall-1", "hall-9"));
        await().atMost(WAIT).until(moved::acked);
        assertThat(peer.tags(db, "d1")).isEqualTo(Map.of("id", 1L, "location", "hall-9"));
        assertThat(peer.tags(db, "d2")).isEqualTo(Map.of("id", 2L, "location", "hall-2"));
        p.close();
        // a new pipeline finds d1 at start (names only): its first write sets the tags once
        FakeTransport again = new FakeTransport();
        SyncPipeline second = pipeline(meters().build(), sink().build(), again);
        second.start();
        FakeMessage back = again.publish("plant/meters", msg(1, T0 + 2, "").replace("hall-1", "hall-4"));
        await().atMost(WAIT).until(back::acked);
        assertThat(peer.tags(db, "d1")).isEqualTo(Map.of("id", 1L, "location", "hall-4"));
        assertThat(peer.rowCount(db, "meters")).isEqualTo(4);
        assertThat(deadLetters).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void write_knownSubTableDroppedBehindTheSinksBack_createdAgainWithoutRetryOrLoss(Target target) throws Exception {
        open(target);
        peer.createDatabase(db, "ms");
        SyncPipeline p = pipeline(meters().build(), sink().build());
        p.start();
        FakeMessage first = transport.publish("plant/meters", msg(5, T0, ""));
        await().atMost(WAIT).until(first::acked);
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE `" + db + "`.`d5`");
        }
        List<FakeMessage> sent = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            sent.add(transport.publish("plant/meters", msg(i % 2 == 0 ? 5 : 6, T0 + i, "")));
        }
        await().atMost(WAIT).until(() -> sent.stream().allMatch(FakeMessage::acked));
        assertThat(deadLetters).isEmpty();
        assertThat(peer.rows(db, "d5")).containsOnlyKeys(T0 + 2);
        assertThat(peer.rows(db, "d6")).containsOnlyKeys(T0 + 1, T0 + 3);
        assertThat(p.metrics().retries()).isZero();
    }

    /** A host's pool whose connections are bound to another database (its own default), or to none. */
    private javax.sql.DataSource dataSource(String useFirst) {
        return dataSource(useFirst, null);
    }

    /**
     * A host's pool; its connections are bound to {@code useFirst} unless null, and their plain statements count the
     * INSERTs they run in {@code inserts} unless null (prepared statements are not counted).
     */
    private javax.sql.DataSource dataSource(String useFirst, java.util.concurrent.atomic.AtomicInteger inserts) {
        String url = peer.url("");
        return (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("getConnection")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    Connection c = DriverManager.getConnection(url, peer.user(), peer.password());
                    if (useFirst != null) {
                        try (Statement st = c.createStatement()) {
                            // unquoted: the REST driver puts the name into its URL path, where backquotes break it
                            st.execute("USE " + useFirst);
                        }
                    }
                    return inserts == null ? c : countingInserts(c, inserts);
                });
    }

    static Stream<Target> bindingServers() {
        return Server.reals().filter(Server::binds).map(s -> new Target(s, WriteMode.AUTO));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bindingServers")
    void write_autoMode_realServer_bindsWhenTheBatchBringsSeveralRowsPerSubTable_sqlOtherwise(Target target) {
        open(target);
        peer.createDatabase(db, "ms");
        java.util.concurrent.atomic.AtomicInteger sqlInserts = new java.util.concurrent.atomic.AtomicInteger();
        javax.sql.DataSource counting = dataSource(null, sqlInserts);
        int perTable = TDengineSink.AUTO_ROWS_PER_SUB_TABLE;
        int batch = 2 * perTable;
        // batches of exactly 2 x AUTO_ROWS_PER_SUB_TABLE rows: as many devices give 1 row per sub-table (SQL), two
        // devices AUTO_ROWS_PER_SUB_TABLE each (binding)
        SyncPipeline p = pipeline(meters().build(), TDengineSink.builder().dataSource(counting).database(db)
                .writeMode(WriteMode.AUTO).build(), transport, batch);
        p.start();
        List<FakeMessage> spread = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            spread.add(transport.publish("plant/meters", msg(i, T0 + i, "")));
        }
        await().atMost(WAIT).until(() -> spread.stream().allMatch(FakeMessage::acked));
        assertThat(sqlInserts.get()).as("1 row per sub-table: SQL").isEqualTo(1);
        List<FakeMessage> dense = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            dense.add(transport.publish("plant/meters", msg(i % 2, T0 + 1000 + i, "")));
        }
        await().atMost(WAIT).until(() -> dense.stream().allMatch(FakeMessage::acked));
        assertThat(sqlInserts.get()).as("%d rows per sub-table: bound, no SQL INSERT", perTable).isEqualTo(1);
        assertThat(deadLetters).isEmpty();
        assertThat(peer.rowCount(db, "meters")).isEqualTo(2L * batch);
        assertThat(peer.rows(db, "d1")).containsKeys(T0 + 1, T0 + 1001, T0 + 1003, T0 + 1000 + batch - 1);
    }

    static Stream<Target> restServers() {
        return Stream.of(Server.TEST_SERVER, Server.REST).map(s -> new Target(s, WriteMode.AUTO));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("restServers")
    void stmtOverRest_refusedAtBuildForAUrl_atStartForADataSource_autoWritesSql(Target target) {
        open(target);
        assertThatThrownBy(() -> TDengineSink.builder().jdbcUrl(peer.url(db)).writeMode(WriteMode.STMT).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("writeMode STMT needs parameter binding, which "
                        + "the REST connection (jdbc:TAOS-RS://) does not have; use jdbc:TAOS-WS:// or jdbc:TAOS://, "
                        + "or writeMode SQL or AUTO");
        peer.createDatabase(db, "ms");
        // a host's REST DataSource cannot be told from its URL at build(): the start says it
        SyncPipeline stmt = pipeline(meters().build(), TDengineSink.builder().dataSource(dataSource(null))
                .database(db).writeMode(WriteMode.STMT).build(), new FakeTransport());
        assertThatThrownBy(stmt::start).isInstanceOf(SinkException.class).hasMessageContaining("writeMode STMT needs "
                + "a driver with parameter binding (native jdbc:TAOS:// or WebSocket jdbc:TAOS-WS://), but this "
                + "connection's prepared statements cannot bind; use writeMode SQL or AUTO");
        java.util.concurrent.atomic.AtomicInteger sqlInserts = new java.util.concurrent.atomic.AtomicInteger();
        SyncPipeline p = pipeline(meters().build(), TDengineSink.builder().dataSource(dataSource(null, sqlInserts))
                .database(db).writeMode(WriteMode.AUTO).build(), transport, 8);
        p.start();
        List<FakeMessage> dense = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            dense.add(transport.publish("plant/meters", msg(1, T0 + i, "")));
        }
        await().atMost(WAIT).until(() -> dense.stream().allMatch(FakeMessage::acked));
        assertThat(sqlInserts.get()).as("8 rows of one sub-table, written as SQL").isEqualTo(1);
        assertThat(peer.rowCount(db, "meters")).isEqualTo(8);
    }

    private Connection countingInserts(Connection c, java.util.concurrent.atomic.AtomicInteger inserts) {
        return (Connection) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Connection.class}, (cp, cm, ca) -> {
                    Object result = invoke(c, cm, ca);
                    if (!(result instanceof Statement st) || !cm.getName().equals("createStatement")) {
                        return result;
                    }
                    return java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                            new Class<?>[] {Statement.class}, (sp, sm, sa) -> {
                                if (sa != null && sa.length > 0 && sa[0] instanceof String sql
                                        && sql.startsWith("INSERT")) {
                                    inserts.incrementAndGet();
                                }
                                return invoke(st, sm, sa);
                            });
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @ParameterizedTest(name = "{0}, bound to another database: {1}")
    @MethodSource("realServerBoundElsewhereOrNot")
    void write_dataSourceBoundToAnotherDatabaseOrNone_rowsLandInTheTarget_andTheHostsBindingIsKept(Target target,
            boolean boundElsewhere) throws Exception {
        open(target);
        String other = boundElsewhere ? peer.database("other") : null;
        if (other != null) {
            peer.createDatabase(other, "ms");
            try (Connection c = DriverManager.getConnection(peer.url(other), peer.user(), peer.password());
                    Statement st = c.createStatement()) {
                st.execute("CREATE STABLE `" + other + "`.`meters` (ts TIMESTAMP, v INT) TAGS (id INT)");
            }
        }
        SyncPipeline p = pipeline(PayloadSpec.json().timestamp("ts", "$.ts", TimestampUnit.MILLISECONDS)
                .withoutReceiveTime().column("v", "$.v", ColumnType.INT).tag("id", "$.id", ColumnType.INT).build(),
                TDengineSink.builder().dataSource(dataSource(other)).database(db)
                        .createDatabase(TimePrecision.MILLISECONDS).writeMode(target.writeMode()).build());
        p.start();
        List<FakeMessage> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sent.add(transport.publish("t", "{\"id\":" + (i % 5) + ",\"ts\":" + (T0 + i) + ",\"v\":" + i + "}"));
        }
        await().atMost(WAIT).until(() -> sent.stream().allMatch(FakeMessage::acked));
        p.close();
        assertThat(peer.rowCount(db, "meters")).isEqualTo(50);
        if (other != null) {
            assertThat(peer.rowCount(other, "meters")).as("nothing written to the host's own database").isZero();
        }
    }

    // ------------------------------------------------------------------ REST test server only: injected faults

    @Test
    void write_knownSubTables_laterStatementsOmitUsing_tagUpdateOnlyWhenTagsChange() {
        TDengineRestServer server = restServer();
        peer.createDatabase(db, "ms");
        SyncPipeline p = pipeline(meters().build(), sink().build());
        p.start();
        List<FakeMessage> sent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sent.add(transport.publish("plant/meters", msg(i, T0 + i, "")));
        }
        await().atMost(WAIT).until(() -> sent.stream().allMatch(FakeMessage::acked));
        int before = server.inserts().size();
        sent.add(transport.publish("plant/meters", msg(1, T0 + 10, "").replace("hall-1", "hall-9")));
        sent.add(transport.publish("plant/meters", msg(2, T0 + 11, "")));
        await().atMost(WAIT).until(() -> sent.stream().allMatch(FakeMessage::acked));
        assertThat(server.inserts().subList(before, server.inserts().size())).isNotEmpty()
                .allSatisfy(sql -> assertThat(sql).doesNotContain("USING"));
        assertThat(server.tagUpdates()).isEqualTo(1);
    }

    @Test
    void write_injectedDataErrorOnOneValue_isolatedByBisection_goodRowsWritten_badRowDeadLetteredWithCode() {
        TDengineRestServer server = restServer();
        peer.createDatabase(db, "ms");
        SyncPipeline p = pipeline(meters().build(), sink().build());
        p.start();
        // TDengine rejects the whole statement for one bad value; this one is found only by the server
        server.failStatementsWithValue(v -> v.equals("poison"), 0x2653, "Value too long for column/tag: note");
        List<FakeMessage> sent = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            sent.add(transport.publish("plant/meters", msg(i % 8, T0 + i, i == 37 ? ",\"note\":\"poison\"" : "")));
        }
        await().atMost(WAIT).until(() -> sent.stream().allMatch(FakeMessage::acked));
        assertThat(peer.rowCount(db, "meters")).isEqualTo(63);
        assertThat(deadLetters).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo(DeadLetterReason.SINK_REJECTED);
            assertThat(d.message()).isEqualTo("Pipeline 'td': sink rejected 1 of 1 row(s): TDengine error 0x2653: "
                    + "Value too long for column/tag: note, in message on topic 'plant/meters'");
            assertThat(new String(d.payload(), StandardCharsets.UTF_8)).contains("poison");
        });
        assertThat(p.metrics().rowsWritten()).isEqualTo(63);
    }

    @Test
    void start_serverAnswersAFailureThatSaysSuccess_triedOnceMore_started() {
        // taosAdapter 3.3.7.5 answered a connect so once in the real-server suite: {"code":0,"desc":"success"}
        TDengineRestServer server = restServer();
        peer.createDatabase(db, "ms");
        server.failNextRequestsWithSpuriousSuccess(1);
        SyncPipeline p = pipeline(meters().build(), sink().build());
        p.start();
        FakeMessage m = transport.publish("plant/meters", msg(1, T0, ""));
        await().atMost(WAIT).until(m::acked);
        assertThat(peer.rowCount(db, "meters")).isEqualTo(1);

        server.failNextRequestsWithSpuriousSuccess(2);
        SyncPipeline twice = pipeline(meters().build(), sink().build(), new FakeTransport());
        assertThatThrownBy(twice::start).isInstanceOf(RetriableSinkException.class)
                .hasMessageContaining("TDengine error 0x0000: success");
    }

    @Test
    void write_http503AndRefusedConnections_retried_nothingLost() {
        TDengineRestServer server = restServer();
        peer.createDatabase(db, "ms");
        SyncPipeline p = pipeline(meters().build(), sink().build());
        p.start();
        server.failNextRequestsWithHttp503(3);
        List<FakeMessage> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add(transport.publish("plant/meters", msg(i % 4, T0 + i, "")));
        }
        await().atMost(WAIT).until(() -> sent.stream().allMatch(FakeMessage::acked));
        assertThat(p.metrics().retries()).isGreaterThanOrEqualTo(1);

        server.refuseConnections();
        List<FakeMessage> more = new ArrayList<>();
        for (int i = 20; i < 40; i++) {
            more.add(transport.publish("plant/meters", msg(i % 4, T0 + i, "")));
        }
        await().atMost(WAIT).until(() -> p.metrics().retries() >= 3);
        assertThat(more).noneMatch(FakeMessage::acked);
        server.acceptConnections();
        await().atMost(WAIT).until(() -> more.stream().allMatch(FakeMessage::acked));
        assertThat(peer.rowCount(db, "meters")).isEqualTo(40);
        assertThat(p.state()).isEqualTo(PipelineState.RUNNING);
    }

    @Test
    void check_webSocketUrlAtAnHttpServerWithoutWebSocket_failsWithTheHandshakeThroughTheDeclaredNettyModules() {
        TDengineRestServer server = restServer();
        // the driver's WebSocket path (Netty bootstrap, HTTP codec, WebSocket handshaker) runs on the Netty modules
        // the tdengine module declares instead of the driver's netty-all: a linkage error would surface here
        TDengineSink sink = TDengineSink.builder().jdbcUrl("jdbc:TAOS-WS://127.0.0.1:" + server.port() + "/" + db)
                .credentials("root", "taosdata").build();
        SyncPipeline p = pipeline(meters().build(), sink);
        assertThatThrownBy(() -> sink.check(p.tables())).isInstanceOf(SinkException.class)
                .hasMessageContaining("cannot connect")
                .hasMessageContaining("TCP connect to 127.0.0.1:" + server.port() + " succeeds");
    }

    // ------------------------------------------------------------------ no server

    @ParameterizedTest
    @ValueSource(strings = {"TAOS-WS", "TAOS-RS"})
    void check_closedPort_messageCarriesTheRootCause(String kind) throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        TDengineSink sink = TDengineSink.builder().jdbcUrl("jdbc:" + kind + "://127.0.0.1:" + closed + "/power")
                .credentials("root", "taosdata").build();
        SyncPipeline p = pipeline(meters().build(), sink);
        // WebSocket: the driver only logs the cause, the sink finds it with a TCP connect; REST: the driver's own
        assertThatThrownBy(() -> sink.check(p.tables())).isInstanceOf(SinkException.class)
                .hasMessageContaining("127.0.0.1:" + closed)
                .hasMessageContaining("Connection refused")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("taosdata"));
    }
}
