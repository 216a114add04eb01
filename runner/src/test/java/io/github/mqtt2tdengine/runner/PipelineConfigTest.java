package io.github.mqtt2tdengine.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mqtt2tdengine.spi.FakeSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deprecated facade of 0.1 ({@code io.github.mqtt2tdengine.runner.PipelineConfig}): host code written for it
 * keeps compiling and behaves as before, errors still as this package's {@code ConfigException}. The config file
 * itself is tested in the settings module.
 */
@SuppressWarnings("removal")
class PipelineConfigTest {
    /** The config example of the issue, also used by {@link RunnerTest}. */
    static final String EXAMPLE = """
            {
              "name": "meters-sync",
              "mqtt": {
                "endpoint": "127.0.0.1:1883",
                "protocolVersion": "5.0",
                "clientId": "mqtt2td-plant-a",
                "keepAliveSeconds": 60,
                "cleanSession": true,
                "topics": "plant/+/meters::1,plant/alarms/#::0",
                "username": "ingest",
                "password": "secret-pw"
              },
              "tdengine": { "url": "jdbc:TAOS-WS://127.0.0.1:6041", "database": "power", "user": "root",
                            "password": "taosdata" },
              "parser": {
                "ts": "ts",
                "topic": { "as": "tag", "name": "topic" },
                "qos": { "as": "column", "name": "qos" },
                "fields": [
                  { "path": "$.id", "name": "id", "type": "INT", "as": "tag" },
                  { "path": "$.current", "name": "current", "type": "FLOAT" },
                  { "path": "$.ts", "name": "mts", "type": "TIMESTAMP", "primaryKey": true }
                ],
                "subTable": "d{id}",
                "superTable": "meters"
              },
              "logLevel": "info"
            }
            """;

    static String withoutTdengine() {
        int from = EXAMPLE.indexOf("  \"tdengine\"");
        int to = EXAMPLE.indexOf("  \"parser\"");
        return EXAMPLE.substring(0, from) + EXAMPLE.substring(to);
    }

    @Test
    void facade_loadParseFromTree_delegateToTheSettingsModule(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("meters.json");
        Files.writeString(file, EXAMPLE);
        PipelineConfig loaded = PipelineConfig.load(file);
        io.github.mqtt2tdengine.settings.PipelineConfig same = io.github.mqtt2tdengine.settings.PipelineConfig
                .parse(EXAMPLE);
        assertThat(loaded.name()).isEqualTo("meters-sync");
        assertThat(loaded.logLevel()).isEqualTo("info");
        assertThat(loaded.metricsPort()).isEmpty();
        assertThat(loaded.metricsHost()).isEqualTo(PipelineConfig.DEFAULT_METRICS_HOST).isEqualTo("127.0.0.1");
        assertThat(loaded.mqtt().build().toString()).isEqualTo(same.mqtt().build().toString());
        assertThat(loaded.tdengine().orElseThrow().build().toString())
                .isEqualTo(same.tdengine().orElseThrow().build().toString());
        assertThat(loaded.toPipelineBuilder().build().tables().toString())
                .isEqualTo(same.toPipelineBuilder().build().tables().toString());
        assertThat(PipelineConfig.parse(EXAMPLE).pipeline((f, spec) -> spec).sink(new FakeSink())
                .source(loaded.mqtt().build()).build().name()).isEqualTo("meters-sync");
        assertThat(PipelineConfig.parse(withoutTdengine()).pipeline().sink(new FakeSink())
                .source(loaded.mqtt().build()).build().tables()).hasSize(1);
        assertThat(loaded.unwrap().settings().mqtt().clientId()).isEqualTo("mqtt2td-plant-a");
        PipelineConfig tree = PipelineConfig.fromTree(Map.of("mqtt", Map.of("endpoint", "127.0.0.1:1883",
                "topics", "a/#"), "parser", Map.of("fields", List.of(Map.of("path", "$.id", "name", "id",
                "type", "INT", "as", "tag")), "sub-table", "d{id}", "super-table", "m")));
        assertThat(tree.pipeline().sink(new FakeSink()).source(tree.mqtt().build()).build().tables()).hasSize(1);
        assertThat(loaded.toString()).doesNotContain("secret-pw").doesNotContain("taosdata");
    }

    @Test
    void facade_errors_areStillThisPackagesConfigException_withTheSameMessage() {
        assertThatThrownBy(() -> PipelineConfig.parse(EXAMPLE.replace("\"keepAliveSeconds\"", "\"keepAlive\"")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown key mqtt.keepAlive (see docs/configuration.md, the configuration reference)")
                .hasCauseInstanceOf(io.github.mqtt2tdengine.settings.ConfigException.class);
        assertThatThrownBy(() -> PipelineConfig.fromTree(Map.of())).isInstanceOf(ConfigException.class)
                .hasMessage("config is empty");
        assertThatThrownBy(() -> PipelineConfig.load(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("file must not be null");
    }
}
