package io.github.mqtt2tdengine.tdengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.DeadLetter;
import io.github.mqtt2tdengine.DeadLetterReason;
import io.github.mqtt2tdengine.PipelineState;
import io.github.mqtt2tdengine.SinkException;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.FieldTarget;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import io.github.mqtt2tdengine.spi.FakeTransport;
import io.github.mqtt2tdengine.spi.FakeTransport.FakeMessage;
import io.github.mqtt2tdengine.tdengine.testing.TDengineRestServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;

/** The sink through the real TDengine JDBC driver (jdbc:TAOS-RS://) against the REST test server. */
class TDengineSinkRestTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long T0 = 1_764_000_000_000L;

    private final TDengineRestServer server = new TDengineRestServer();
    private final FakeTransport transport = new FakeTransport();
    private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    private final List<SyncPipeline> pipelines = new ArrayList<>();

    @AfterEach
    void stop() {
        pipelines.forEach(SyncPipeline::close);
        server.close();
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
        return TDengineSink.builder().jdbcUrl(server.url("power")).credentials("root", "taosdata");
    }

    private SyncPipeline pipeline(PayloadSpec spec, TDengineSink sink) {
        return pipeline(spec, sink, pipelines.isEmpty() ? transport : new FakeTransport());
    }

    private SyncPipeline pipeline(PayloadSpec spec, TDengineSink sink, FakeTransport source) {
        SyncPipeline p = SyncPipeline.builder().name("td").source(source).sink(sink).payload(spec)
                .superTable("meters").subTableTemplate("d{id}").batching(500, Duration.ofMillis(20))
                .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).deadLetterHandler(deadLetters::add)
                .build();
        pipelines.add(p);
        return p;
    }

    private static String msg(int id, long ts, String extra) {
        return "{\"id\":" + id + ",\"ts\":" + ts + ",\"current\":10.5,\"voltage\":220,\"phase\":1,\"loc\":\"hall-"
                + id + "\"" + extra + "}";
    }

    @Test
    void close_leavesNoNonDaemonThreadOfTheSinkOrDriver() {
        server.createDatabase("power", "ms");
        java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
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

    @Test
    void start_createsSuperTable_readsPrecision_writesRowsThroughDriver() throws Exception {
        server.createDatabase("power", "us");
        SyncPipeline p = pipeline(meters().build(), sink().build());
        p.start();
        assertThat(server.statements()).anyMatch(s -> s.startsWith("CREATE STABLE IF NOT EXISTS `power`.`meters` "
                + "(`ts` TIMESTAMP, `current` FLOAT, `voltage` INT, `phase` TINYINT, `note` VARCHAR(16)) TAGS "
                + "(`id` INT, `location` VARCHAR(32))"));
        List<FakeMessage> sent = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            sent.add(transport.publish("plant/meters", msg(i % 10, T0 + i, "")));
        }
        await().atMost(WAIT).until(() -> sent.stream().allMatch(FakeMessage::acked));
        assertThat(server.rowCount("power", "meters")).isEqualTo(100);
        assertThat(server.tableNames("power")).hasSize(10);
        Map<Long, Map<String, Object>> d3 = server.rows("power", "d3");
        assertThat(d3.keySet()).first().isEqualTo((T0 + 3) * 1000);
        assertThat(d3.values().iterator().next()).containsEntry("voltage", 220L).containsEntry("phase", 1L);
        assertThat(server.tags("power", "d3")).containsEntry("id", 3L).containsEntry("location", "hall-3");
        try (Connection c = DriverManager.getConnection(server.url("power"), "root", "taosdata");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM `power`.`meters`")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(100);
        }
    }

    @Test
    void dataError_isIsolatedByBisection_goodRowsWritten_badRowDeadLetteredWithCode() {
        server.createDatabase("power", "ms");
        SyncPipeline p = pipeline(meters().build(), sink().build());
        p.start();
        // TDengine rejects the whole statement for one bad value; this one is found only by the server
        server.failStatementsWithValue(v -> v.equals("poison"), 0x2653, "Value too long for column/tag: note");
        List<FakeMessage> sent = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            sent.add(transport.publish("plant/meters", msg(i % 8, T0 + i, i == 37 ? ",\"note\":\"poison\"" : "")));
        }
        await().atMost(WAIT).until(() -> sent.stream().allMatch(FakeMessage::acked));
        assertThat(server.rowCount("power", "meters")).isEqualTo(63);
        assertThat(deadLetters).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo(DeadLetterReason.SINK_REJECTED);
            assertThat(d.message()).isEqualTo("Pipeline 'td': sink rejected 1 of 1 row(s): TDengine error 0x2653: "
                    + "Value too long for column/tag: note, in message on topic 'plant/meters'");
            assertThat(new String(d.payload(), java.nio.charset.StandardCharsets.UTF_8)).contains("poison");
        });
        assertThat(p.metrics().rowsWritten()).isEqualTo(63);
    }

    @Test
    void serverSideRangeErrors_areDeadLetteredLikeARealServer() {
        server.createDatabase("power", "ms");
        // the mapping lets 1000 through as a timestamp; the server's keep window refuses it (0x060B)
        SyncPipeline p = pipeline(meters().build(), sink().build());
        p.start();
        FakeMessage old = transport.publish("plant/meters", msg(1, 1000, ""));
        FakeMessage good = transport.publish("plant/meters", msg(2, T0, ""));
        await().atMost(WAIT).until(() -> old.acked() && good.acked());
        assertThat(deadLetters).singleElement().satisfies(d -> assertThat(d.message())
                .contains("TDengine error 0x060B: Timestamp data out of range"));
        assertThat(server.rowCount("power", "meters")).isEqualTo(1);
    }

    @Test
    void http503AndRefusedConnections_areRetried_nothingLost() {
        server.createDatabase("power", "ms");
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
        assertThat(server.rowCount("power", "meters")).isEqualTo(40);
        assertThat(p.state()).isEqualTo(PipelineState.RUNNING);
    }

    @Test
    void hostileStrings_areStoredVerbatim_andNeverChangeTheStatement() throws Exception {
        server.createDatabase("power", "ms");
        // 65,494: the longest VARCHAR this row can have (TDengine's row limit is 65,531 bytes)
        PayloadSpec spec = meters().column("text", "$.text", ColumnType.varchar(65_494))
                .build();
        SyncPipeline p = pipeline(spec, sink().build());
        p.start();
        List<String> hostile = List.of("O'Brien", "a\\b", "x\"y", "`; DROP DATABASE power; --", "'); DELETE FROM meters;",
                "\\'", "温度计 ✓ 😀", "line1\nline2\ttab", "\\", "'", "--", "/* c */", "x".repeat(65_000));
        List<FakeMessage> sent = new ArrayList<>();
        for (int i = 0; i < hostile.size(); i++) {
            String json = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().createObjectNode()
                    .put("id", 1).put("ts", T0 + i).put("text", hostile.get(i)).put("loc", hostile.get(i % 5))
                    .toString();
            sent.add(transport.publish("plant/meters", json));
        }
        await().atMost(WAIT).until(() -> sent.stream().allMatch(FakeMessage::acked));
        assertThat(deadLetters).isEmpty();
        Map<Long, Map<String, Object>> rows = server.rows("power", "d1");
        for (int i = 0; i < hostile.size(); i++) {
            assertThat(rows.get(T0 + i).get("text")).as("row %d", i).isEqualTo(hostile.get(i));
        }
        assertThat(server.tags("power", "d1").get("location")).isEqualTo(hostile.get(0));
        assertThat(server.tableNames("power")).containsExactly("d1");
        try (Connection c = DriverManager.getConnection(server.url("power"), "root", "taosdata");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM `power`.`d1`")) {
            int i = 0;
            while (rs.next()) {
                assertThat(rs.getString("text")).isEqualTo(hostile.get(i++));
            }
            assertThat(i).isEqualTo(hostile.size());
        }
    }

    @Test
    void existingSuperTable_withWrongType_failsStartNamingTheColumn() {
        server.createDatabase("power", "ms");
        SyncPipeline first = pipeline(meters().build(), sink().build());
        first.start();
        first.close();
        PayloadSpec changed = meters().column("extra", "$.x", ColumnType.DOUBLE).build();
        PayloadSpec retyped = PayloadSpec.json().timestamp("ts", "$.ts", TimestampUnit.MILLISECONDS)
                .withoutReceiveTime().column("current", "$.current", ColumnType.DOUBLE)
                .tag("id", "$.id", ColumnType.INT).build();
        SyncPipeline wrong = pipeline(retyped, sink().build());
        assertThatThrownBy(wrong::start).isInstanceOf(SinkException.class)
                .hasMessage("Pipeline 'td': super table `meters` column `current`: expected DOUBLE, actual FLOAT");
        SyncPipeline missing = pipeline(changed, sink().build());
        assertThatThrownBy(missing::start).isInstanceOf(SinkException.class)
                .hasMessage("Pipeline 'td': super table `meters` lacks mapped [extra DOUBLE]; add them or use "
                        + "schemaPolicy(ADD_MISSING)");
        SyncPipeline added = pipeline(changed, sink().schemaPolicy(SchemaPolicy.ADD_MISSING).build());
        added.start();
        assertThat(server.describe("power", "meters", false)).extracting(TDengineRestServer.Col::name)
                .contains("extra");
    }

    @Test
    void missingDatabase_failsStart_orIsCreatedWithPrecision() {
        SyncPipeline p = pipeline(meters().build(), sink().build());
        assertThatThrownBy(p::start).isInstanceOf(SinkException.class)
                .hasMessage("Pipeline 'td': TDengine database `power` does not exist; create it or use "
                        + "createDatabase(precision)");
        SyncPipeline created = pipeline(meters().build(), sink().createDatabase(TimePrecision.NANOSECONDS).build(),
                transport);
        created.start();
        assertThat(server.statements()).contains("CREATE DATABASE IF NOT EXISTS `power` PRECISION 'ns'");
        FakeMessage m = transport.publish("t", msg(1, T0, ""));
        await().atMost(WAIT).until(m::acked);
        assertThat(server.rows("power", "d1").keySet()).containsExactly(T0 * 1_000_000);
    }

    @Test
    void wrongPassword_failsStartWithoutShowingIt() {
        server.createDatabase("power", "ms");
        SyncPipeline p = pipeline(meters().build(), TDengineSink.builder().jdbcUrl(server.url("power"))
                .credentials("root", "wrong-secret").build());
        assertThatThrownBy(p::start).isInstanceOf(SinkException.class)
                .hasMessageContaining("Authentication failure")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-secret"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TAOS-WS", "TAOS-RS"})
    void connectFailure_messageCarriesTheRootCause(String kind) throws Exception {
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

    @Test
    void webSocketUrl_atAnHttpServerWithoutWebSocket_failsWithTheHandshakeThroughTheDeclaredNettyModules() {
        // the driver's WebSocket path (Netty bootstrap, HTTP codec, WebSocket handshaker) runs on the Netty modules
        // the tdengine module declares instead of the driver's netty-all: a linkage error would surface here
        TDengineSink sink = TDengineSink.builder().jdbcUrl("jdbc:TAOS-WS://127.0.0.1:" + server.port() + "/power")
                .credentials("root", "taosdata").build();
        SyncPipeline p = pipeline(meters().build(), sink);
        assertThatThrownBy(() -> sink.check(p.tables())).isInstanceOf(SinkException.class)
                .hasMessageContaining("cannot connect")
                .hasMessageContaining("TCP connect to 127.0.0.1:" + server.port() + " succeeds");
    }

    @Test
    void topicAndQosColumns_andUnsignedTypes_roundTrip() {
        server.createDatabase("power", "ms");
        PayloadSpec spec = PayloadSpec.json().timestamp("ts", "$.ts", TimestampUnit.MILLISECONDS)
                .withoutReceiveTime().topic(FieldTarget.COLUMN).qos(FieldTarget.TAG)
                .column("u64", "$.u64", ColumnType.BIGINT_UNSIGNED)
                .column("b", "$.b", ColumnType.BOOL)
                .column("vb", "$.vb", ColumnType.varbinary(8))
                .column("n", "$.n", ColumnType.nchar(4))
                .tag("id", "$.id", ColumnType.INT).build();
        SyncPipeline p = pipeline(spec, sink().build());
        p.start();
        FakeMessage m = transport.publish("plant/x", "{\"id\":1,\"ts\":" + T0
                + ",\"u64\":18446744073709551615,\"b\":true,\"vb\":\"ab\",\"n\":\"温度计一\"}");
        await().atMost(WAIT).until(m::acked);
        assertThat(deadLetters).isEmpty();
        Map<String, Object> row = server.rows("power", "d1").get(T0);
        assertThat(row).containsEntry("topic", "plant/x").containsEntry("b", true).containsEntry("n", "温度计一")
                .containsEntry("u64", new java.math.BigInteger("18446744073709551615"));
        assertThat((byte[]) row.get("vb")).containsExactly('a', 'b');
        assertThat(server.tags("power", "d1")).containsEntry("qos", 1L);
    }
}
