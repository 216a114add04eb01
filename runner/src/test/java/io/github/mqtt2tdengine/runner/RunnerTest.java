package io.github.mqtt2tdengine.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mqtt2tdengine.settings.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.github.mqtt2tdengine.DeadLetter;
import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.tdengine.TDengineDeadLetters;
import io.github.mqtt2tdengine.tdengine.TDengineSink;
import io.github.mqtt2tdengine.tdengine.testing.TDengineRestServer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's command line, in process: arguments, and what it refuses before it connects to anything. */
class RunnerTest {

    @Test
    void arguments_badOnesAreConfigErrors() {
        assertThatThrownBy(() -> Runner.parse(new String[] {"--max-messages", "0"}))
                .hasMessage("--max-messages must be a whole number greater than 0, but was '0'");
        assertThatThrownBy(() -> Runner.parse(new String[] {"--dry-run"})).hasMessage("--dry-run needs --config FILE");
        assertThatThrownBy(() -> Runner.parse(new String[] {"--log-level", "loud"}))
                .hasMessage("--log-level must be error, warn, info, debug or trace, but was 'loud'");
        assertThatThrownBy(() -> Runner.parse(new String[] {"--frobnicate"}))
                .hasMessage("unknown argument '--frobnicate'");
        assertThat(Runner.parse(new String[] {"--config", "x.json", "--dry-run", "--duration", "5"}).durationSeconds())
                .isEqualTo(5);
        assertThat(Runner.parse(new String[] {"--config", "x.json", "--sink", "discard"}).discard()).isTrue();
        assertThat(Runner.parse(new String[] {"--config", "x.json", "--metrics-port", "0"}).metricsPort()).isZero();
        assertThat(Runner.parse(new String[] {"--config", "x.json"}).metricsPort()).isNull();
        assertThatThrownBy(() -> Runner.parse(new String[] {"--config", "x.json", "--metrics-port", "http"}))
                .hasMessage("--metrics-port must be a port, 0 (any free port) to 65535, but was 'http'");
        assertThatThrownBy(() -> Runner.parse(new String[] {"--config", "x.json", "--sink", "null"}))
                .hasMessage("--sink must be 'discard' (map, batch and build statements, write nowhere), but was "
                        + "'null'");
        assertThatThrownBy(() -> Runner.parse(new String[] {"--sink", "discard"}))
                .hasMessage("--sink needs --config FILE");
        assertThatThrownBy(() -> Runner.parse(new String[] {"--config", "x.json", "--sink", "discard", "--check"}))
                .hasMessage("--dry-run, --check and --sink discard exclude each other");
    }

    @Test
    void arguments_replayDeadLetters_sinceAndReasonOnlyWithIt() {
        Runner.Options o = Runner.parse(new String[] {"--config", "x.json", "--replay-dead-letters", "--since",
            "2026-12-08", "--reason", "type_mismatch"});
        assertThat(o.replay().since()).isEqualTo(Instant.parse("2026-12-08T00:00:00Z"));
        assertThat(o.replay().reason()).isEqualTo(DeadLetterReason.TYPE_MISMATCH);
        assertThat(Runner.parse(new String[] {"--config", "x.json", "--replay-dead-letters", "--since",
            "2026-12-08T11:00:00+01:00"}).replay().since()).isEqualTo(Instant.parse("2026-12-08T10:00:00Z"));
        assertThat(Runner.parse(new String[] {"--config", "x.json"}).replay()).isNull();
        assertThatThrownBy(() -> Runner.parse(new String[] {"--config", "x.json", "--reason", "NO_ROUTE"}))
                .hasMessage("--reason needs --replay-dead-letters");
        assertThatThrownBy(() -> Runner.parse(new String[] {"--config", "x.json", "--replay-dead-letters", "--since",
            "yesterday"})).hasMessage("--since must be an ISO-8601 instant (2026-12-08T10:00:00Z), a date-time with an "
                + "offset or a date (2026-12-08, UTC), but was 'yesterday'");
        assertThatThrownBy(() -> Runner.parse(new String[] {"--config", "x.json", "--replay-dead-letters", "--reason",
            "BAD"})).hasMessageStartingWith("--reason must be one of [INVALID_PAYLOAD, ").hasMessageEndingWith(
                    ", but was 'BAD'");
        assertThatThrownBy(() -> Runner.parse(new String[] {"--config", "x.json", "--replay-dead-letters",
            "--dry-run"})).hasMessage("--replay-dead-letters excludes --dry-run, --check and --sink discard");
        assertThat(Runner.USAGE).contains("--replay-dead-letters [--since T] [--reason R]");
    }

    @Test
    void run_replayDeadLetters_throughTheCurrentMappingIntoTheSink_printsTheSummary_exits0(@TempDir Path dir)
            throws Exception {
        try (TDengineRestServer server = new TDengineRestServer()) {
            server.createDatabase("power", "ms");
            Path file = dir.resolve("meters.json");
            Files.writeString(file, PipelineConfigTest.EXAMPLE.replace("jdbc:TAOS-WS://127.0.0.1:6041",
                    server.url("power")));
            long t = System.currentTimeMillis() / 1000 * 1000 - 60_000;
            Instant received = Instant.ofEpochMilli(t + 500);
            TDengineSink sink = TDengineSink.builder().jdbcUrl(server.url("power")).credentials("root", "taosdata")
                    .build();
            try (TDengineDeadLetters kept = TDengineDeadLetters.builder().sink(sink).build()) {
                kept.handleAll(List.of(
                        dead("meters-sync", "{\"id\":1,\"current\":1.5,\"ts\":" + t + "}", received),
                        dead("meters-sync", "{\"id\":2,\"current\":2.5,\"ts\":" + t + "}", received),
                        dead("meters-sync", "{\"id\":\"x\",\"current\":3.5,\"ts\":" + t + "}", received),
                        dead("other-pipeline", "{\"id\":4,\"current\":4.5,\"ts\":" + t + "}", received)));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Runner.run(Runner.parse(new String[] {"--config", file.toString(), "--replay-dead-letters",
                "--reason", "NO_ROUTE"}), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("replaying: dead letters of pipeline "
                    + "'meters-sync', reason NO_ROUTE, from table mqtt2td_dead_letters of database power")
                    .endsWith("replayed=3 writtenAgain=2 deadLetteredAgain=1 skippedTruncated=0 "
                    + "skippedIncomplete=0 notDeleted=0" + System.lineSeparator());
            assertThat(server.rowCount("power", "meters")).isEqualTo(2);
            // the receive time is the original one, in the mapping's receive-time column
            assertThat(server.rows("power", "d1").get(t)).containsEntry("ts", received.toEpochMilli());
            // left: the other pipeline's, and the one still bad, again, with its new reason
            assertThat(server.rowCount("power", TDengineDeadLetters.DEFAULT_SUPER_TABLE)).isEqualTo(2);
            assertThat(server.tableNames("power").stream().filter(n -> n.startsWith("dl_"))
                    .filter(n -> !server.rows("power", n).isEmpty()).map(n -> server.tags("power", n).get("reason"))
                    .toList()).containsExactlyInAnyOrder("NO_ROUTE", "TYPE_MISMATCH");
        }
    }

    @Test
    void run_replayDeadLettersWithoutTdengineSection_exits2(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("no-tdengine.json");
        Files.writeString(file, PipelineConfigTest.withoutTdengine());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Runner.run(Runner.parse(new String[] {"--config", file.toString(), "--replay-dead-letters"}),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("error: --replay-dead-letters needs the config's "
                + "tdengine section: the dead letters are read from that database and the replayed messages written "
                + "to it" + System.lineSeparator());
    }

    private static DeadLetter dead(String pipeline, String json, Instant received) {
        return new DeadLetter(pipeline, "plant/x/meters", json.getBytes(StandardCharsets.UTF_8), 1, received,
                DeadLetterReason.NO_ROUTE, "Pipeline '" + pipeline + "': no route", null);
    }

    @Test
    void parse_withoutConfig_isAConfigError() {
        assertThatThrownBy(() -> Runner.parse(new String[0])).isInstanceOf(ConfigException.class)
                .hasMessage("--config FILE is required");
        assertThatThrownBy(() -> Runner.parse(new String[] {"--max-messages", "5"}))
                .isInstanceOf(ConfigException.class).hasMessage("--config FILE is required");
    }

    @Test
    void usage_namesTheRequiredConfigAndThePlaceholderDatabase() {
        assertThat(Runner.USAGE).startsWith("usage: java -jar mqtt2tdengine-runner.jar --config FILE [--dry-run | "
                + "--check | --sink discard]").contains("database 'mqtt2td'");
    }

    @Test
    void run_withoutTdengineSection_andWithoutFlag_exits2WithTheMessage(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("no-tdengine.json");
        Files.writeString(file, PipelineConfigTest.withoutTdengine());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Runner.run(Runner.parse(new String[] {"--config", file.toString()}),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("error: config has no tdengine section: add one, "
                + "or run with --sink discard / --dry-run" + System.lineSeparator());
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void run_badConfig_exits2NamingTheKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, PipelineConfigTest.EXAMPLE.replace("\"cleanSession\"", "\"cleanSesion\""));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Runner.run(Runner.parse(new String[] {"--config", file.toString(), "--sink", "discard"}),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("error: unknown key mqtt.cleanSesion (see "
                + "docs/configuration.md, the configuration reference)" + System.lineSeparator());
    }
}
