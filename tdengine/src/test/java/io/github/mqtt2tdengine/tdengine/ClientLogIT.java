package io.github.mqtt2tdengine.tdengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import io.github.mqtt2tdengine.spi.FakeTransport;
import io.github.mqtt2tdengine.tdengine.testing.TDenginePeer.Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * The native TDengine client (3.3.7.5) logs a warning line for every database-qualified table clause of an INSERT
 * ("table name is specified in sql, ignore the table name in bind param"): 100,000 lines and 14.5 MB for 100,000 rows
 * of 1,000 devices, a disk-filling hazard. The sink binds its connections to the database and writes unqualified
 * names: no such line, and the log grows only by what the client logs per statement (its query plan warning, about
 * two lines per INSERT of up to 1,000 rows) and once per new sub-table (SQL: two ERROR lines "no tbmeta got" and
 * "Table does not exist" while the client checks before creating it; binding: none). Every write mode of every real
 * connection: over the native connection the client is in this JVM ({@code TAOS_LOG_DIR}); over WebSocket and REST
 * it is taosAdapter's, and its log is the server's to keep ({@code TAOSADAPTER_LOG_DIR}, set by {@code scripts/test}).
 * Skipped without the real server.
 */
class ClientLogIT {
    /** Rows written after the sub-tables exist (100,000 until issue #29 trimmed the CI run; the bound scales). */
    private static final int ROWS = 40_000;
    /**
     * What {@link #ROWS} rows in ~40 statements may add to the client log once the sub-tables exist: under a byte per
     * row, the client's own per-statement lines (measured: ~3 query-plan WARN lines and ~2 INFO lines of ~130 bytes
     * per INSERT), never a line per row (which was 14.5 MB per 100,000 rows).
     */
    private static final long MAX_GROWTH_BYTES = ROWS;
    private static final String QUALIFIED_WARNING = "table name is specified in sql";

    private Path logDir = Path.of("/var/log/taos");

    static Stream<Arguments> connections() {
        return Server.reals().flatMap(s -> s.writeModes().stream().filter(m -> m != WriteMode.AUTO)
                .map(m -> Arguments.of(s, m)));
    }

    private static Path logDir(Server server) {
        String variable = server == Server.NATIVE ? "TAOS_LOG_DIR" : "TAOSADAPTER_LOG_DIR";
        String dir = System.getenv(variable);
        if (server != Server.NATIVE) {
            Assumptions.assumeTrue(dir != null && !dir.isBlank(), variable + " is not set: taosAdapter's client log "
                    + "is where its taos.cfg says (scripts/test starts one with its log in a directory of its own)");
        }
        return Path.of(dir != null && !dir.isBlank() ? dir : "/var/log/taos");
    }

    private long warnings() throws IOException {
        Path dir = logDir;
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long n = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("taoslog")).toList()) {
                try (Stream<String> lines = Files.lines(f, java.nio.charset.StandardCharsets.ISO_8859_1)) {
                    n += lines.filter(l -> l.contains(QUALIFIED_WARNING)).count();
                }
            }
        }
        return n;
    }

    private long logBytes() throws IOException {
        Path dir = logDir;
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("taoslog")).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }

    @ParameterizedTest(name = "{0}, writeMode {1}")
    @MethodSource("connections")
    void write100kRows_clientLogGrowsByLessThanAByteARow_noLinePerTable(Server server, WriteMode mode)
            throws Exception {
        String url = server.url();
        logDir = logDir(server);
        String db = "mqtt2td_log_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 20);
        FakeTransport transport = new FakeTransport();
        SyncPipeline p = SyncPipeline.builder().name("log").source(transport)
                .sink(TDengineSink.builder().jdbcUrl(url).database(db).createDatabase(TimePrecision.MILLISECONDS)
                        .writeMode(mode).build())
                .payload(PayloadSpec.json().timestamp("ts", "$.ts", TimestampUnit.MILLISECONDS).withoutReceiveTime()
                        .column("v", "$.v", ColumnType.DOUBLE).tag("id", "$.id", ColumnType.INT).build())
                .superTable("meters").subTableTemplate("d{id}").batching(1000, Duration.ofMillis(50))
                .maxInFlight(20_000).build();
        int rows = ROWS;
        long t0 = System.currentTimeMillis() - rows;
        try {
            p.start();
            // warm-up: one row per device creates the sub-tables (the client logs two lines per new sub-table) and
            // the connection (connect, USE); the steady state is what is measured
            for (int d = 0; d < 1000; d++) {
                transport.publish("plant/meters", "{\"id\":" + d + ",\"ts\":" + (t0 - 1) + ",\"v\":0}");
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> p.metrics().acked() == 1000);
            // the client writes its log asynchronously: wait until the warm-up's lines have landed
            long[] last = {-1};
            await().pollInterval(Duration.ofMillis(250)).during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(30))
                    .until(() -> {
                        long now = logBytes();
                        boolean settled = now == last[0];
                        last[0] = now;
                        return settled;
                    });
            long before = logBytes();
            long warningsBefore = warnings();
            for (int i = 0; i < rows; i++) {
                transport.publish("plant/meters", "{\"id\":" + (i % 1000) + ",\"ts\":" + (t0 + i) + ",\"v\":" + i
                        + "}");
                if (i % 10_000 == 9_999) {
                    int sent = i + 1;
                    await().atMost(Duration.ofSeconds(120)).until(() -> p.metrics().acked() >= 1000 + sent - 10_000);
                }
            }
            await().atMost(Duration.ofSeconds(120)).until(() -> p.metrics().acked() == rows + 1000);
            // the client writes its log asynchronously: the growth must stay small for a while, not just now
            long[] growth = new long[1];
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                growth[0] = logBytes() - before;
                assertThat(growth[0]).as("client log growth for %d rows", rows).isLessThan(MAX_GROWTH_BYTES);
            });
            assertThat(warnings() - warningsBefore).as("'%s' lines", QUALIFIED_WARNING).isZero();
            LoggerFactory.getLogger(ClientLogIT.class).info("ClientLogIT: client log {} grew by {} bytes for {} rows "
                    + "({}, writeMode {})", logDir, growth[0], rows, server, mode);
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM `" + db + "`.`meters`")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(rows + 1000);
            }
        } finally {
            p.close();
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS `" + db + "`");
            }
        }
    }
}
