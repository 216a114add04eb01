package io.github.mqtt2tdengine.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The packaged demo jar ({@code java -jar mqtt2tdengine-demo.jar}), run as its own process. */
class DemoIT {
    private static final Path JAR = Path.of("target", "mqtt2tdengine-demo.jar");
    private static final Pattern SUMMARY = Pattern.compile(
            "received=(\\d+) rows=(\\d+) written=(\\d+) deadLettered=(\\d+) acked=(\\d+)");

    @TempDir
    Path dir;

    private record Run(int exit, String stdout, String stderr) {
    }

    private Run demo(String tdengineUrl) throws Exception {
        return demo(tdengineUrl, null);
    }

    private Run demo(String tdengineUrl, String broker) throws Exception {
        Path out = dir.resolve("demo.out");
        Path err = dir.resolve("demo.err");
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toString())).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("TDENGINE_JDBC_URL");
        pb.environment().remove("MQTT2TD_DEMO_BROKER");
        if (broker != null) {
            pb.environment().put("MQTT2TD_DEMO_BROKER", broker);
        }
        if (tdengineUrl != null) {
            pb.environment().put("TDENGINE_JDBC_URL", tdengineUrl);
        }
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("demo did not stop in 180 s; stdout: " + Files.readString(out));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static long[] summary(Run run) {
        assertThat(run.exit()).as(run.stderr()).isZero();
        Matcher m = SUMMARY.matcher(run.stdout());
        assertThat(m.find()).as(run.stdout()).isTrue();
        long received = Long.parseLong(m.group(1));
        assertThat(received).isPositive();
        assertThat(Long.parseLong(m.group(5))).isEqualTo(received);
        assertThat(Long.parseLong(m.group(4))).isEqualTo(received / 500);
        assertThat(Long.parseLong(m.group(3))).isEqualTo(received - received / 500);
        return new long[] {received, Long.parseLong(m.group(3))};
    }

    @Test
    void demo_withoutTdengine_isADryRunEndingWithTheSummary() throws Exception {
        Run run = demo(null);
        assertThat(summary(run)[0]).isEqualTo(Demo.DEFAULT_MESSAGES);
        assertThat(run.stdout()).contains("CREATE STABLE IF NOT EXISTS `mqtt2td_demo`.`meters`");
    }

    @Test
    void demo_onHiveMqCe_sendsAsManyAsOnMosquitto_andLosesNone() throws Exception {
        // the broker of a machine without mosquitto: its per-client queue is raised so a lagging QoS 1 subscriber is
        // queued, not discarded, and its fixed window of 50 unacknowledged messages must not throttle the pipeline
        Run run = demo(null, "hivemq");
        assertThat(run.stdout()).contains("demo: broker HiveMQ CE embedded");
        assertThat(summary(run)[0]).isEqualTo(Demo.DEFAULT_MESSAGES);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"TDENGINE_JDBC_URL, the native connection", "TDENGINE_WS_URL, WebSocket"})
    void demo_withARealTdengine_writesEveryGoodMessage(String variable, String connection) throws Exception {
        String url = System.getenv(variable);
        Assumptions.assumeTrue(url != null && !url.isBlank(), variable + " is not set: no real TDengine "
                + "(scripts/test starts an installed one, and taosadapter beside it when installed)");
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS `mqtt2td_demo`");
        }
        Run run = demo(url);
        long written = summary(run)[1];
        assertThat(run.stdout()).contains("demo: writing to TDengine database mqtt2td_demo over " + connection);
        // every good message has its own (device, timestamp): the database holds exactly what was written
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM `mqtt2td_demo`.`meters`")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(written);
        }
    }
}
