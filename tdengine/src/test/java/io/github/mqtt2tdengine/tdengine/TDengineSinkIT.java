package io.github.mqtt2tdengine.tdengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.DeadLetter;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TagChangePolicy;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import io.github.mqtt2tdengine.spi.FakeTransport;
import io.github.mqtt2tdengine.spi.FakeTransport.FakeMessage;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Against a real TDengine server: runs only when TDENGINE_JDBC_URL is set (for example
 * {@code jdbc:TAOS-WS://127.0.0.1:6041/?user=root&password=taosdata}); otherwise every test is reported as skipped
 * with the reason. Each test uses its own database and drops it afterwards.
 */
class TDengineSinkIT {
    private static final String URL = System.getenv("TDENGINE_JDBC_URL");
    private static final long T0 = System.currentTimeMillis() - 60_000;
    private static final List<String> CREATED = new CopyOnWriteArrayList<>();

    @BeforeEach
    void requireServer() {
        Assumptions.assumeTrue(URL != null && !URL.isBlank(), "TDENGINE_JDBC_URL is not set: no real TDengine "
                + "server here, so the real-server tests are skipped (the REST test server covers the driver path)");
    }

    @AfterAll
    static void dropDatabases() throws Exception {
        if (URL == null) {
            return;
        }
        try (Connection c = DriverManager.getConnection(URL); Statement st = c.createStatement()) {
            for (String db : CREATED) {
                st.execute("DROP DATABASE IF EXISTS `" + db + "`");
            }
        }
    }

    private static String database(TimePrecision p) {
        String db = "mqtt2td_it_" + p.sqlName() + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 20);
        CREATED.add(db);
        return db;
    }

    @ParameterizedTest
    @EnumSource(TimePrecision.class)
    void everyType_writtenAndReadBack_inEachPrecision_duplicatesOverwrite_hostileStringsRoundTrip(TimePrecision p)
            throws Exception {
        String db = database(p);
        FakeTransport transport = new FakeTransport();
        List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
        PayloadSpec spec = PayloadSpec.json()
                .timestamp("ts", "$.ts", TimestampUnit.MILLISECONDS).withoutReceiveTime()
                .column("b", "$.b", ColumnType.BOOL).column("i8", "$.i8", ColumnType.TINYINT)
                .column("i16", "$.i16", ColumnType.SMALLINT).column("i32", "$.i32", ColumnType.INT)
                .column("i64", "$.i64", ColumnType.BIGINT).column("u8", "$.u8", ColumnType.TINYINT_UNSIGNED)
                .column("u64", "$.u64", ColumnType.BIGINT_UNSIGNED).column("f", "$.f", ColumnType.FLOAT)
                .column("d", "$.d", ColumnType.DOUBLE).column("s", "$.s", ColumnType.varchar(200))
                .column("n", "$.n", ColumnType.nchar(20)).column("vb", "$.vb", ColumnType.varbinary(16))
                .tag("id", "$.id", ColumnType.INT).build();
        SyncPipeline pipeline = SyncPipeline.builder().name("it").source(transport)
                .sink(TDengineSink.builder().jdbcUrl(URL).database(db).createDatabase(p).build())
                .payload(spec).superTable("st").subTableTemplate("d{id}").batching(100, Duration.ofMillis(20))
                .deadLetterHandler(deadLetters::add).build();
        pipeline.start();
        List<String> hostile = List.of("O'Brien", "a\\b", "x\"y", "`; DROP DATABASE " + db + "; --", "温度 😀");
        List<FakeMessage> sent = new ArrayList<>();
        for (int i = 0; i < hostile.size(); i++) {
            String json = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("id", 1)
                    .put("ts", T0 + i).put("b", i % 2 == 0).put("i8", -128).put("i16", 32767).put("i32", -5)
                    .put("i64", Long.MAX_VALUE).put("u8", 255).put("u64", new java.math.BigInteger("18446744073709551614"))
                    .put("f", 1.5).put("d", -2.25e10).put("s", hostile.get(i)).put("n", "温度计").put("vb", "ab")
                    .toString();
            sent.add(transport.publish("t", json));
        }
        // a duplicate timestamp with another value: TDengine keeps one row, the later values
        sent.add(transport.publish("t", "{\"id\":1,\"ts\":" + T0 + ",\"i32\":42,\"s\":\"replaced\"}"));
        await().atMost(Duration.ofSeconds(30)).until(() -> sent.stream().allMatch(FakeMessage::acked));
        pipeline.close();
        assertThat(deadLetters).isEmpty();
        try (Connection c = DriverManager.getConnection(URL); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT ts, i32, s, i8, u64, n FROM `" + db + "`.`d1` ORDER BY ts")) {
            int i = 0;
            while (rs.next()) {
                if (i == 0) {
                    assertThat(rs.getInt(2)).isEqualTo(42);
                    assertThat(rs.getString(3)).isEqualTo("replaced");
                } else {
                    assertThat(rs.getInt(2)).isEqualTo(-5);
                    assertThat(rs.getString(3)).isEqualTo(hostile.get(i));
                    assertThat(rs.getInt(4)).isEqualTo(-128);
                    assertThat(rs.getString(5)).isEqualTo("18446744073709551614");
                    assertThat(rs.getString(6)).isEqualTo("温度计");
                }
                i++;
            }
            assertThat(i).isEqualTo(hostile.size());
        }
    }

    /** A host's pool whose connections are bound to another database (its own default), or to none. */
    private static javax.sql.DataSource dataSource(String useFirst) {
        return (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(TDengineSinkIT.class.getClassLoader(),
                new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("getConnection")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    Connection c = DriverManager.getConnection(URL);
                    if (useFirst != null) {
                        try (Statement st = c.createStatement()) {
                            st.execute("USE `" + useFirst + "`");
                        }
                    }
                    return c;
                });
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void dataSource_boundToAnotherDatabaseOrNone_rowsLandInTheTarget_andTheHostsBindingIsKept(boolean boundElsewhere)
            throws Exception {
        String db = database(TimePrecision.MILLISECONDS);
        String other = boundElsewhere ? database(TimePrecision.MILLISECONDS) : null;
        if (other != null) {
            try (Connection c = DriverManager.getConnection(URL); Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE IF NOT EXISTS `" + other + "`");
                st.execute("CREATE STABLE `" + other + "`.`st` (ts TIMESTAMP, v INT) TAGS (id INT)");
            }
        }
        FakeTransport transport = new FakeTransport();
        javax.sql.DataSource ds = dataSource(other);
        SyncPipeline pipeline = SyncPipeline.builder().name("it").source(transport)
                .sink(TDengineSink.builder().dataSource(ds).database(db).createDatabase(TimePrecision.MILLISECONDS)
                        .build())
                .payload(PayloadSpec.json().timestamp("ts", "$.ts", TimestampUnit.MILLISECONDS).withoutReceiveTime()
                        .column("v", "$.v", ColumnType.INT).tag("id", "$.id", ColumnType.INT).build())
                .superTable("st").subTableTemplate("d{id}").batching(100, Duration.ofMillis(20)).build();
        pipeline.start();
        List<FakeMessage> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sent.add(transport.publish("t", "{\"id\":" + (i % 5) + ",\"ts\":" + (T0 + i) + ",\"v\":" + i + "}"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> sent.stream().allMatch(FakeMessage::acked));
        pipeline.close();
        try (Connection c = DriverManager.getConnection(URL); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM `" + db + "`.`st`")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(50);
            }
            if (other != null) {
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM `" + other + "`.`st`")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).as("nothing written to the host's own database").isZero();
                }
            }
        }
    }

    private static List<Object> tagsOf(String db, String table) throws Exception {
        try (Connection c = DriverManager.getConnection(URL); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT TAGS `id`, `location` FROM `" + db + "`.`st` WHERE tbname = '"
                        + table + "'")) {
            assertThat(rs.next()).as("sub-table %s exists", table).isTrue();
            return List.of(rs.getInt(1), rs.getString(2));
        }
    }

    private static SyncPipeline tagged(FakeTransport transport, String db, TagChangePolicy policy) {
        return SyncPipeline.builder().name("it").source(transport)
                .sink(TDengineSink.builder().jdbcUrl(URL).database(db).createDatabase(TimePrecision.MILLISECONDS)
                        .build())
                .payload(PayloadSpec.json().timestamp("ts", "$.ts", TimestampUnit.MILLISECONDS).withoutReceiveTime()
                        .column("v", "$.v", ColumnType.INT).tag("id", "$.id", ColumnType.INT)
                        .tag("location", "$.loc", ColumnType.varchar(32)).tagChangePolicy(policy).build())
                .superTable("st").subTableTemplate("d{id}").batching(100, Duration.ofMillis(20)).build();
    }

    private static String msg(int id, long ts, String loc) {
        return "{\"id\":" + id + ",\"ts\":" + ts + ",\"v\":1,\"loc\":\"" + loc + "\"}";
    }

    @org.junit.jupiter.api.Test
    void tagChanges_updateSetsTheLatestTags_ignoreKeepsTheFirst_droppedSubTableIsCreatedAgain() throws Exception {
        String db = database(TimePrecision.MILLISECONDS);
        FakeTransport t1 = new FakeTransport();
        SyncPipeline update = tagged(t1, db, TagChangePolicy.UPDATE);
        update.start();
        List<FakeMessage> sent = new ArrayList<>();
        sent.add(t1.publish("t", msg(1, T0, "hall-1")));
        sent.add(t1.publish("t", msg(2, T0, "hall-2")));
        await().atMost(Duration.ofSeconds(30)).until(() -> sent.stream().allMatch(FakeMessage::acked));
        sent.add(t1.publish("t", msg(1, T0 + 1, "hall-9")));
        await().atMost(Duration.ofSeconds(30)).until(() -> sent.stream().allMatch(FakeMessage::acked));
        assertThat(tagsOf(db, "d1")).containsExactly(1, "hall-9");
        // dropped by someone else: the sink knew it, its INSERT without USING fails, it writes again with USING
        try (Connection c = DriverManager.getConnection(URL); Statement st = c.createStatement()) {
            st.execute("DROP TABLE `" + db + "`.`d2`");
        }
        sent.add(t1.publish("t", msg(2, T0 + 2, "hall-2")));
        await().atMost(Duration.ofSeconds(30)).until(() -> sent.stream().allMatch(FakeMessage::acked));
        assertThat(update.metrics().retries()).isZero();
        update.close();
        assertThat(tagsOf(db, "d2")).containsExactly(2, "hall-2");

        // a new pipeline finds d1 at start (names only), so its first write under UPDATE sets the tags once
        FakeTransport t2 = new FakeTransport();
        SyncPipeline again = tagged(t2, db, TagChangePolicy.UPDATE);
        again.start();
        FakeMessage moved = t2.publish("t", msg(1, T0 + 3, "hall-4"));
        await().atMost(Duration.ofSeconds(30)).until(moved::acked);
        again.close();
        assertThat(tagsOf(db, "d1")).containsExactly(1, "hall-4");

        FakeTransport t3 = new FakeTransport();
        SyncPipeline ignore = tagged(t3, db, TagChangePolicy.IGNORE);
        ignore.start();
        FakeMessage ignored = t3.publish("t", msg(1, T0 + 4, "hall-5"));
        await().atMost(Duration.ofSeconds(30)).until(ignored::acked);
        ignore.close();
        assertThat(tagsOf(db, "d1")).as("IGNORE keeps what the sub-table has").containsExactly(1, "hall-4");
        try (Connection c = DriverManager.getConnection(URL); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM `" + db + "`.`st`")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(5); // d1: 4 rows, d2: 1 row after the drop
        }
    }
}
