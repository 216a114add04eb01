package io.github.mqtt2tdengine.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mqtt2tdengine.Preview;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerConfigTest {
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

    @Test
    void example_fromTheIssue_buildsThePipeline() {
        RunnerConfig c = RunnerConfig.parse(EXAMPLE);
        assertThat(c.name()).isEqualTo("meters-sync");
        assertThat(c.mqtt().build().toString()).isEqualTo("HiveMqTransport{127.0.0.1:1883, MQTT 5.0, clientId="
                + "mqtt2td-plant-a, cleanSession=true, topics=[plant/+/meters::1, plant/alarms/#::0], credentials="
                + "ingest/****, tls=null}");
        assertThat(c.tdengine().build().toString()).contains("database=power").contains("password=****")
                .doesNotContain("taosdata");
        SyncPipeline p = c.pipeline().source(c.mqtt().build()).sink(new FakeSink()).build();
        Preview preview = p.preview("plant/m1/meters", "{\"id\":1,\"current\":2.5,\"ts\":1764000000123}");
        Row row = preview.rows().get(0);
        assertThat(row.subTable()).isEqualTo("d1");
        assertThat(row.timestamp()).isEqualTo(1764000000123L);
        assertThat(row.tag("topic")).isEqualTo("plant/m1/meters");
        assertThat(row.column("qos")).isEqualTo(1L);
        assertThat(p.tables().get(0).toString()).isEqualTo("meters ([mts TIMESTAMP, ts TIMESTAMP, qos TINYINT, "
                + "current FLOAT]) TAGS ([topic VARCHAR(256), id INT])");
    }

    @Test
    void readmeExample_parses() throws Exception {
        String readme = java.nio.file.Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("```json\n{\n  \"name\": \"meters-sync\"");
        String json = readme.substring(start + 8, readme.indexOf("```", start + 8));
        RunnerConfig c = RunnerConfig.parse(json);
        assertThat(c.name()).isEqualTo("meters-sync");
        assertThat(c.pipeline().source(c.mqtt().build()).sink(new FakeSink()).build().tables()).hasSize(1);
    }

    @Test
    void readmeQuickStart_isTheCompiledExample() throws Exception {
        String readme = java.nio.file.Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("```java\nSyncPipeline pipeline = SyncPipeline.builder()");
        String block = readme.substring(start + 8, readme.indexOf("```", start + 8)).strip();
        String source = java.nio.file.Files.readString(Path.of("src", "main", "java", "io", "github", "mqtt2tdengine",
                "examples", "QuickStart.java"));
        int from = source.indexOf("        SyncPipeline pipeline = SyncPipeline.builder()");
        int to = source.indexOf('\n', source.indexOf("addShutdownHook", from));
        String code = source.substring(from, to).lines().map(l -> l.startsWith("        ") ? l.substring(8) : l)
                .collect(java.util.stream.Collectors.joining("\n")).strip();
        assertThat(block).isEqualTo(code);
    }

    @Test
    void unknownKeys_areErrorsNamingThePath() {
        assertThatThrownBy(() -> RunnerConfig.parse(EXAMPLE.replace("\"keepAliveSeconds\"", "\"keepAlive\"")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown key mqtt.keepAlive (see the README's configuration table)");
        assertThatThrownBy(() -> RunnerConfig.parse(EXAMPLE.replace("\"primaryKey\": true", "\"primary\": true")))
                .hasMessage("unknown key parser.fields[2].primary (see the README's configuration table)");
    }

    @Test
    void badValues_nameTheField() {
        assertThatThrownBy(() -> RunnerConfig.parse(EXAMPLE.replace("plant/alarms/#::0", "plant/alarms/#::7")))
                .hasMessage("mqtt.topics: topic QoS config entry 'plant/alarms/#::7': QoS of topic filter "
                        + "'plant/alarms/#' must be 0, 1 or 2, but was 7");
        assertThatThrownBy(() -> RunnerConfig.parse(EXAMPLE.replace("\"FLOAT\"", "\"FLOATY\"")))
                .hasMessageStartingWith("parser.fields[1].type: unknown column type 'FLOATY'");
        assertThatThrownBy(() -> RunnerConfig.parse(EXAMPLE.replace("\"keepAliveSeconds\": 60",
                "\"keepAliveSeconds\": \"sixty\""))).hasMessage("mqtt.keepAliveSeconds must be a whole number, but "
                + "was \"sixty\"");
        assertThatThrownBy(() -> RunnerConfig.parse(EXAMPLE.replace("\"d{id}\"", "\"d{device}\"")))
                .hasMessage("parser: subTableTemplate references unknown field 'device'; known fields: [topic, qos, "
                        + "id, current, mts]");
        assertThatThrownBy(() -> RunnerConfig.parse(EXAMPLE.replace("jdbc:TAOS-WS", "jdbc:mysql")))
                .hasMessage("tdengine.url: jdbcUrl must start with jdbc:TAOS-WS://, jdbc:TAOS-RS:// or jdbc:TAOS://, "
                        + "but was 'jdbc:mysql://127.0.0.1:6041'");
        assertThatThrownBy(() -> RunnerConfig.parse("{\"mqtt\": 1}")).hasMessage("mqtt must be an object, but was 1");
        assertThatThrownBy(() -> RunnerConfig.parse("{")).hasMessageStartingWith("config is not valid JSON: ");
    }

    @Test
    void tlsMaterial_fromAtFile(@TempDir Path dir) throws Exception {
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, "not a certificate");
        String config = EXAMPLE.replace("\"password\": \"secret-pw\"", "\"password\": \"secret-pw\", \"tls\": "
                + "{\"enabled\": true, \"ca\": \"@" + ca + "\"}");
        assertThatThrownBy(() -> RunnerConfig.parse(config))
                .hasMessage("mqtt.tls: TLS CA certificate is not PEM: no -----BEGIN CERTIFICATE----- block found");
        assertThatThrownBy(() -> RunnerConfig.parse(config.replace("@" + ca, "@" + dir.resolve("missing.pem"))))
                .hasMessageStartingWith("mqtt.tls.ca: file '" + dir.resolve("missing.pem") + "' cannot be read: ");
    }

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
        assertThatThrownBy(() -> Runner.parse(new String[] {"--config", "x.json", "--sink", "null"}))
                .hasMessage("--sink must be 'discard' (map, batch and build statements, write nowhere), but was "
                        + "'null'");
        assertThatThrownBy(() -> Runner.parse(new String[] {"--sink", "discard"}))
                .hasMessage("--sink needs --config FILE");
        assertThatThrownBy(() -> Runner.parse(new String[] {"--config", "x.json", "--sink", "discard", "--check"}))
                .hasMessage("--dry-run, --check and --sink discard exclude each other");
    }
}
