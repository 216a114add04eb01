package io.github.mqtt2tdengine.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mqtt2tdengine.settings.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
