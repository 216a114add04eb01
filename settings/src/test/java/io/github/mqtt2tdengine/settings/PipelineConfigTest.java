package io.github.mqtt2tdengine.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.DeadLetterHandler;
import io.github.mqtt2tdengine.PipelineListener;
import io.github.mqtt2tdengine.PipelineState;
import io.github.mqtt2tdengine.Preview;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.deadletters.FileDeadLetters;
import io.github.mqtt2tdengine.mqtt.MqttDeadLetters;
import io.github.mqtt2tdengine.mqtt.MqttTransport;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.FakeTransport;
import io.github.mqtt2tdengine.spi.Row;
import io.github.mqtt2tdengine.tdengine.TDengineDeadLetters;
import io.github.mqtt2tdengine.tdengine.TDengineSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineConfigTest {
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
        PipelineConfig c = PipelineConfig.parse(EXAMPLE);
        assertThat(c.name()).isEqualTo("meters-sync");
        assertThat(c.mqtt().build().toString()).isEqualTo("MqttTransport{127.0.0.1:1883, MQTT 5.0, clientId="
                + "mqtt2td-plant-a, cleanSession=true, topics=[plant/+/meters::1, plant/alarms/#::0], credentials="
                + "ingest/****, tls=null}");
        assertThat(c.tdengine().orElseThrow().build().toString()).contains("database=power").contains("password=****")
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

    /** The config example of docs/configuration.md ("The config file"). */
    static String readmeExample() throws Exception {
        String readme = Files.readString(Path.of("..", "docs", "configuration.md"));
        int start = readme.indexOf("```json\n{\n  \"name\": \"meters-sync\"");
        assertThat(start).as("the config example of docs/configuration.md").isNotNegative();
        return readme.substring(start + 8, readme.indexOf("```", start + 8));
    }

    @Test
    void readmeExample_parses() throws Exception {
        PipelineConfig c = PipelineConfig.parse(readmeExample());
        assertThat(c.name()).isEqualTo("meters-sync");
        assertThat(c.logLevel()).isEqualTo("info");
        assertThat(c.tdengine()).isPresent();
        assertThat(c.pipeline().source(c.mqtt().build()).sink(new FakeSink()).build().tables()).hasSize(1);
        assertThat(c.toPipelineBuilder().build().tables()).hasSize(1);
    }

    @Test
    void readmeExample_hostAddsItsOwnSinkAndListener_rowsArriveInItsSink(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("meters.json");
        Files.writeString(file, readmeExample());
        FakeTransport transport = new FakeTransport(); // stands in for the file's broker: a host may override anything
        FakeSink sink = new FakeSink();
        List<PipelineState> states = new CopyOnWriteArrayList<>();
        SyncPipeline pipeline = PipelineConfig.load(file).toPipelineBuilder()
                .source(transport)
                .sink(sink)
                .listener(new PipelineListener() {
                    @Override
                    public void onStateChanged(PipelineState previous, PipelineState current) {
                        states.add(current);
                    }
                })
                .build();
        pipeline.start();
        transport.publish("plant/m7/meters", "{\"id\":7,\"current\":1.5,\"ts\":1764000000123}");
        transport.publish("plant/m8/meters", "{\"id\":8,\"current\":2.5,\"ts\":1764000000456}");
        await().atMost(Duration.ofSeconds(10)).until(() -> transport.ackedCount() == 2);
        pipeline.close();
        assertThat(sink.rows()).extracting(Row::subTable).containsExactly("d7", "d8");
        Row row = sink.rows().get(0);
        assertThat(row.superTable()).isEqualTo("meters");
        assertThat(row.timestamp()).isEqualTo(1764000000123L);
        assertThat(row.tag("device")).isEqualTo("m7");
        assertThat(row.tag("topic")).isEqualTo("plant/m7/meters");
        assertThat(row.column("current")).isEqualTo(1.5f);
        assertThat(states).containsExactly(PipelineState.STARTING, PipelineState.RUNNING, PipelineState.CLOSING,
                PipelineState.CLOSED);
    }

    @Test
    void deadLetters_byDefault_aTdengineTableBesideTheDataAndTheLog_aHostSinkOrDryRunOnlyLogs() {
        PipelineConfig c = PipelineConfig.parse(EXAMPLE);
        TDengineSink sink = c.tdengine().orElseThrow().build();
        MqttTransport source = c.mqtt().build();
        assertThat(c.deadLetterHandlers(sink, source)).extracting(DeadLetterHandler::destination)
                .containsExactly("tdengine", "logging");
        assertThat(c.deadLetterHandlers(sink, source).get(0)).isInstanceOf(TDengineDeadLetters.class).asString()
                .contains("database=power, superTable=mqtt2td_dead_letters, maxPayloadBytes=4194304")
                .doesNotContain("taosdata");
        assertThat(c.deadLetterHandlers(new FakeSink(), source)).containsExactly(DeadLetterHandler.logging());
        TDengineSink dryRun = c.tdengine().orElseThrow().dryRun(sql -> { }).build();
        assertThat(c.deadLetterHandlers(dryRun, source)).containsExactly(DeadLetterHandler.logging());
    }

    @Test
    void deadLetters_everyDestinationFromKeys(@TempDir Path dir) {
        String dl = """
                "deadLetters": {
                  "log": false,
                  "tdengine": { "superTable": "bad_msgs", "maxPayloadBytes": 65536 },
                  "mqtt": { "prefix": "dl/plant-a", "clientId": "dl-pub", "keeperClientId": "dl-keep",
                            "publishTimeoutMillis": 2500 },
                  "file": { "directory": "%s", "prefix": "bad", "maxFileBytes": 1048576, "maxFiles": 4 }
                },
                """.formatted(dir.toString().replace("\\", "\\\\"));
        PipelineConfig c = PipelineConfig.parse(EXAMPLE.replace("\"logLevel\": \"info\"", dl + "\"logLevel\": \"info\""));
        TDengineSink sink = c.tdengine().orElseThrow().build();
        List<DeadLetterHandler> handlers = c.deadLetterHandlers(sink, c.mqtt().build());
        assertThat(handlers).extracting(DeadLetterHandler::destination).containsExactly("tdengine", "mqtt", "file");
        assertThat(((TDengineDeadLetters) handlers.get(0)).superTable()).isEqualTo("bad_msgs");
        MqttDeadLetters mqtt = (MqttDeadLetters) handlers.get(1);
        assertThat(mqtt.topic("plant/m1/meters")).isEqualTo("dl/plant-a/plant/m1/meters");
        assertThat(mqtt.keeperClientId("meters-sync")).contains("dl-keep");
        assertThat(mqtt.toString()).contains("dl-pub").contains("publishTimeout=PT2.5S").doesNotContain("secret-pw");
        assertThat(((FileDeadLetters) handlers.get(2)).currentFile()).isEqualTo(dir.resolve("bad.jsonl"));
        SyncPipeline p = c.toPipelineBuilder().build();
        assertThat(p.metrics().deadLetterDestinations().keySet()).containsExactly("tdengine", "mqtt", "file");

        PipelineConfig off = PipelineConfig.parse(EXAMPLE.replace("\"logLevel\": \"info\"",
                "\"deadLetters\": { \"tdengine\": { \"enabled\": false }, \"mqtt\": { \"keeper\": false, "
                        + "\"enabled\": false } }, \"logLevel\": \"info\""));
        assertThat(off.deadLetterHandlers(sink, off.mqtt().build())).containsExactly(DeadLetterHandler.logging());
    }

    @Test
    void deadLetters_mistakesFailAtLoad_namingTheKeyAndHowToFix() {
        assertThatThrownBy(() -> PipelineConfig.parse(EXAMPLE.replace("\"logLevel\": \"info\"",
                "\"deadLetters\": { \"file\": { \"maxFiles\": 3 } }, \"logLevel\": \"info\"")))
                .isInstanceOf(ConfigException.class).hasMessage("deadLetters.file.directory is required");
        assertThatThrownBy(() -> PipelineConfig.parse(EXAMPLE.replace("\"logLevel\": \"info\"",
                "\"deadLetters\": { \"file\": { \"directory\": \"/tmp\", \"maxFiles\": 0 } }, \"logLevel\": \"info\"")))
                .hasMessage("deadLetters.file.maxFiles: maxFiles must be at least 1, but was 0");
        assertThatThrownBy(() -> PipelineConfig.parse(EXAMPLE.replace("\"logLevel\": \"info\"",
                "\"deadLetters\": { \"tdengine\": { \"superTable\": \"a.b\" } }, \"logLevel\": \"info\"")))
                .hasMessageStartingWith("deadLetters.tdengine.superTable: superTable: ");
        assertThatThrownBy(() -> PipelineConfig.parse(EXAMPLE.replace("\"logLevel\": \"info\"",
                "\"deadLetters\": { \"mqtt\": { \"prefix\": \"dl/#\" } }, \"logLevel\": \"info\"")))
                .hasMessageStartingWith("deadLetters.mqtt.prefix: ");
        assertThatThrownBy(() -> PipelineConfig.parse(EXAMPLE.replace("\"logLevel\": \"info\"",
                "\"deadLetters\": { \"mqtt\": { \"keeper\": false, \"keeperClientId\": \"k\" } }, "
                        + "\"logLevel\": \"info\"")))
                .hasMessage("deadLetters.mqtt.keeperClientId is set but deadLetters.mqtt.keeper is false: remove one "
                        + "of them");
        PipelineConfig forced = PipelineConfig.parse(EXAMPLE.replace("\"logLevel\": \"info\"",
                "\"deadLetters\": { \"tdengine\": { \"enabled\": true } }, \"logLevel\": \"info\""));
        assertThatThrownBy(() -> forced.deadLetterHandlers(new FakeSink(), forced.mqtt().build()))
                .isInstanceOf(ConfigException.class).hasMessage("deadLetters.tdengine.enabled is true, but the sink is "
                        + "not TDengine: there is no database to keep dead letters in; leave it unset, or set it false");
    }

    @Test
    void withoutTdengineSection_tdengineIsEmpty_andBuildWithoutSinkFails() {
        PipelineConfig c = PipelineConfig.parse(withoutTdengine());
        assertThat(c.tdengine()).isEmpty();
        assertThatThrownBy(() -> c.toPipelineBuilder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessage("sink must be set");
        SyncPipeline p = c.toPipelineBuilder().sink(new FakeSink()).build();
        assertThat(p.name()).isEqualTo("meters-sync");
        assertThat(p.tables()).hasSize(1);
    }

    @Test
    void builders_areNewOnEveryCall_soAHostMayChangeThem() {
        PipelineConfig c = PipelineConfig.parse(EXAMPLE);
        assertThat(c.mqtt()).isNotSameAs(c.mqtt());
        c.mqtt().clientId("changed-by-a-host");
        assertThat(c.mqtt().build().toString()).contains("clientId=mqtt2td-plant-a");
        c.tdengine().orElseThrow().database("other");
        assertThat(c.tdengine().orElseThrow().build().toString()).contains("database=power");
        c.pipeline().name("changed");
        c.toPipelineBuilder().name("changed");
        assertThat(c.pipeline().sink(new FakeSink()).source(new FakeTransport()).build().name())
                .isEqualTo("meters-sync");
        assertThat(c.toPipelineBuilder().build().name()).isEqualTo("meters-sync");
    }

    @Test
    void parse_nullText_throwsNullPointerException() {
        assertThatThrownBy(() -> PipelineConfig.parse(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("json must not be null");
        assertThatThrownBy(() -> PipelineConfig.load(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("file must not be null");
    }

    @Test
    void load_missingFile_namesTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("missing.json");
        assertThatThrownBy(() -> PipelineConfig.load(missing)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config file '" + missing + "' cannot be read: ");
    }

    @Test
    void secretOfTheWrongType_isNotShownInTheError() {
        assertThatThrownBy(() -> PipelineConfig.parse(EXAMPLE.replace("\"secret-pw\"", "123456789")))
                .isInstanceOf(ConfigException.class).hasMessage("mqtt.password must be a string, but was a number");
    }

    static String withoutTdengine() {
        int from = EXAMPLE.indexOf("  \"tdengine\"");
        int to = EXAMPLE.indexOf("  \"parser\"");
        return EXAMPLE.substring(0, from) + EXAMPLE.substring(to);
    }

    @Test
    void tdengineWriteModeAndKnownSubTables_reachTheSink_stmtOverRestFailsAtLoadNamingTheKey() {
        assertThat(PipelineConfig.parse(EXAMPLE).tdengine().orElseThrow().build().toString())
                .contains("writeMode=SQL");
        String stmt = EXAMPLE.replace("\"password\": \"taosdata\" }", "\"password\": \"taosdata\", \"writeMode\": "
                + "\"stmt\", \"knownSubTables\": 0 }");
        assertThat(PipelineConfig.parse(stmt).tdengine().orElseThrow().build().toString())
                .contains("writeMode=STMT");
        assertThatThrownBy(() -> PipelineConfig.parse(stmt.replace("\"stmt\"", "\"fast\""))).isInstanceOf(
                ConfigException.class).hasMessageStartingWith("tdengine.writeMode").hasMessageContaining("fast");
        assertThatThrownBy(() -> PipelineConfig.parse(stmt.replace("jdbc:TAOS-WS", "jdbc:TAOS-RS")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("tdengine: writeMode STMT needs parameter "
                        + "binding, which the REST connection (jdbc:TAOS-RS://) does not have");
        assertThatThrownBy(() -> PipelineConfig.parse(stmt.replace("\"knownSubTables\": 0", "\"knownSubTables\": -1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("knownSubTables must be 0 or more");
    }

    @Test
    void batchGrowth_zero_failsAtLoadNamingTheKey() throws Exception {
        assertThatThrownBy(() -> PipelineConfig.parse(readmeExample().replace("\"batchGrowth\": 10",
                "\"batchGrowth\": 0"))).isInstanceOf(ConfigException.class).hasMessageStartingWith("pipeline")
                .hasMessageContaining("batchGrowth must be 1 or more, but was 0");
    }

    @Test
    void maxRetriesMinusOne_retriesForever_receiveMaximumZero_followsThePipeline_belowThatFailsNamingTheKey()
            throws Exception {
        String text = readmeExample();
        assertThat(text).contains("\"maxRetries\": -1").contains("\"receiveMaximum\": 65535");
        assertThat(PipelineConfig.parse(text.replace("\"receiveMaximum\": 65535", "\"receiveMaximum\": 0"))
                .mqtt().build()).isNotNull();
        assertThatThrownBy(() -> PipelineConfig.parse(text.replace("\"maxRetries\": -1", "\"maxRetries\": -2")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("pipeline")
                .hasMessageContaining("max retries must be 0 or more, but was -2");
        assertThatThrownBy(() -> PipelineConfig.parse(text.replace("\"receiveMaximum\": 65535",
                "\"receiveMaximum\": -1"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("receiveMaximum must be between 1 and 65535, but was -1");
    }

    @Test
    void unknownKeys_areErrorsNamingThePath() {
        assertThatThrownBy(() -> PipelineConfig.parse(EXAMPLE.replace("\"keepAliveSeconds\"", "\"keepAlive\"")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown key mqtt.keepAlive (see docs/configuration.md, the configuration reference)");
        assertThatThrownBy(() -> PipelineConfig.parse(EXAMPLE.replace("\"primaryKey\": true", "\"primary\": true")))
                .hasMessage("unknown key parser.fields[2].primary (see docs/configuration.md, the configuration reference)");
    }

    @Test
    void badValues_nameTheField() {
        assertThatThrownBy(() -> PipelineConfig.parse(EXAMPLE.replace("plant/alarms/#::0", "plant/alarms/#::7")))
                .hasMessage("mqtt.topics: topic QoS config entry 'plant/alarms/#::7': QoS of topic filter "
                        + "'plant/alarms/#' must be 0, 1 or 2, but was 7");
        assertThatThrownBy(() -> PipelineConfig.parse(EXAMPLE.replace("\"FLOAT\"", "\"FLOATY\"")))
                .hasMessageStartingWith("parser.fields[1].type: unknown column type 'FLOATY'");
        assertThatThrownBy(() -> PipelineConfig.parse(EXAMPLE.replace("\"keepAliveSeconds\": 60",
                "\"keepAliveSeconds\": \"sixty\""))).hasMessage("mqtt.keepAliveSeconds must be a whole number, but "
                + "was \"sixty\"");
        assertThatThrownBy(() -> PipelineConfig.parse(EXAMPLE.replace("\"d{id}\"", "\"d{device}\"")))
                .hasMessage("parser: subTableTemplate references unknown field 'device'; known fields: [topic, qos, "
                        + "id, current, mts]");
        assertThatThrownBy(() -> PipelineConfig.parse(EXAMPLE.replace("jdbc:TAOS-WS", "jdbc:mysql")))
                .hasMessage("tdengine.url: jdbcUrl must start with jdbc:TAOS-WS://, jdbc:TAOS-RS:// or jdbc:TAOS://, "
                        + "but was 'jdbc:mysql://127.0.0.1:6041'");
        assertThatThrownBy(() -> PipelineConfig.parse("{\"mqtt\": 1}")).hasMessage("mqtt must be an object, but was 1");
        assertThatThrownBy(() -> PipelineConfig.parse("{")).hasMessageStartingWith("config is not valid JSON: ");
        // a password written without quotes is not shown, in the message or in a cause
        assertThatThrownBy(() -> PipelineConfig.parse("{ \"mqtt\": { \"password\": hunter2 } }"))
                .hasMessageStartingWith("config is not valid JSON: Unrecognized token '…'").hasNoCause()
                .satisfies(e -> assertThat(e.toString()).doesNotContain("hunter2"));
    }

    @Test
    void tlsMaterial_fromAtFile(@TempDir Path dir) throws Exception {
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, "not a certificate");
        String config = EXAMPLE.replace("\"password\": \"secret-pw\"", "\"password\": \"secret-pw\", \"tls\": "
                + "{\"enabled\": true, \"ca\": \"@" + ca + "\"}");
        assertThatThrownBy(() -> PipelineConfig.parse(config))
                .hasMessage("mqtt.tls: TLS CA certificate is not PEM: no -----BEGIN CERTIFICATE----- block found");
        assertThatThrownBy(() -> PipelineConfig.parse(config.replace("@" + ca, "@" + dir.resolve("missing.pem"))))
                .hasMessageStartingWith("mqtt.tls.ca: file '" + dir.resolve("missing.pem") + "' cannot be read: ");
    }

    @Test
    void fromTree_asPropertiesBindIt_relaxedKeysAndTextValues_buildsWhatTheFileBuilds() {
        Map<String, Object> mqtt = new LinkedHashMap<>();
        mqtt.put("endpoint", "127.0.0.1:1883");
        mqtt.put("protocol-version", "5.0");
        mqtt.put("clientid", "mqtt2td-plant-a"); // an environment variable's form: MQTT2TDENGINE_MQTT_CLIENTID
        mqtt.put("KEEP_ALIVE_SECONDS", "60");
        mqtt.put("clean-session", "true");
        mqtt.put("topics", "plant/+/meters::1,plant/alarms/#::0");
        mqtt.put("username", "ingest");
        mqtt.put("password", "secret-pw");
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("name", "meters-sync");
        tree.put("mqtt", mqtt);
        tree.put("tdengine", Map.of("url", "jdbc:TAOS-WS://127.0.0.1:6041", "database", "power", "user", "root",
                "password", "taosdata"));
        tree.put("parser", Map.of("ts", "ts", "topic", Map.of("as", "tag", "name", "topic"),
                "qos", Map.of("as", "column", "name", "qos"),
                "fields", List.of(Map.of("path", "$.id", "name", "id", "type", "INT", "as", "tag"),
                        Map.of("path", "$.current", "name", "current", "type", "FLOAT"),
                        Map.of("path", "$.ts", "name", "mts", "type", "TIMESTAMP", "primary-key", "true")),
                "sub-table", "d{id}", "supertable", "meters"));
        tree.put("metrics", Map.of("port", "9464"));
        PipelineConfig fromTree = PipelineConfig.fromTree(tree);
        PipelineConfig fromFile = PipelineConfig.parse(EXAMPLE);
        assertThat(fromTree.mqtt().build().toString()).isEqualTo(fromFile.mqtt().build().toString());
        assertThat(fromTree.tdengine().orElseThrow().build().toString())
                .isEqualTo(fromFile.tdengine().orElseThrow().build().toString());
        SyncPipeline a = fromTree.pipeline().source(fromTree.mqtt().build()).sink(new FakeSink()).build();
        SyncPipeline b = fromFile.pipeline().source(fromFile.mqtt().build()).sink(new FakeSink()).build();
        assertThat(a.tables().toString()).isEqualTo(b.tables().toString());
        assertThat(fromTree.metricsPort()).hasValue(9464);
        assertThat(fromTree.metricsHost()).isEqualTo("127.0.0.1");
        assertThat(fromFile.metricsPort()).isEmpty();
    }

    @Test
    void fromTree_errorsNameTheKey_andNeverTheSecret() {
        Map<String, Object> mqtt = new LinkedHashMap<>(Map.of("endpoint", "127.0.0.1:1883", "topics", "a/#",
                "keep-alive-seconds", "sixty"));
        Map<String, Object> parser = Map.of("fields", List.of(Map.of("path", "$.id", "name", "id", "type", "INT",
                "as", "tag")), "subTable", "d{id}", "superTable", "m");
        assertThatThrownBy(() -> PipelineConfig.fromTree(Map.of("mqtt", mqtt, "parser", parser)))
                .isInstanceOf(ConfigException.class).hasMessage("mqtt.keepAliveSeconds must be a whole number, but "
                        + "was \"sixty\"");
        mqtt.put("keep-alive-seconds", "60");
        mqtt.put("keepAliveSeconds", "60");
        assertThatThrownBy(() -> PipelineConfig.fromTree(Map.of("mqtt", mqtt, "parser", parser)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("name the same key");
        mqtt.remove("keepAliveSeconds");
        mqtt.put("pasword", "top-secret");
        assertThatThrownBy(() -> PipelineConfig.fromTree(Map.of("mqtt", mqtt, "parser", parser)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key mqtt.pasword")
                .hasMessageNotContaining("top-secret");
        assertThatThrownBy(() -> PipelineConfig.fromTree(Map.of())).isInstanceOf(ConfigException.class)
                .hasMessage("config is empty");
    }

    @Test
    void metricsSection_portAndHost_areChecked() {
        String withMetrics = EXAMPLE.replace("\"logLevel\": \"info\"",
                "\"logLevel\": \"info\", \"metrics\": { \"port\": 0, \"host\": \"0.0.0.0\" }");
        PipelineConfig c = PipelineConfig.parse(withMetrics);
        assertThat(c.metricsPort()).hasValue(0);
        assertThat(c.metricsHost()).isEqualTo("0.0.0.0");
        assertThatThrownBy(() -> PipelineConfig.parse(withMetrics.replace("\"port\": 0", "\"port\": 70000")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("metrics.port must be 0 (any free port) to 65535, but was 70000");
        assertThatThrownBy(() -> PipelineConfig.parse(withMetrics.replace("\"host\"", "\"hots\"")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("unknown key metrics.hots");
    }

    @Test
    void pipelineWithSpecFunction_changesEachMapping_andKeepsTheRest() {
        List<String> seen = new java.util.ArrayList<>();
        SyncPipeline p = PipelineConfig.parse(EXAMPLE).pipeline((filter, spec) -> {
            seen.add(filter);
            return spec.toBuilder().filter(row -> ((Number) row.column("current")).doubleValue() >= 0).build();
        }).source(PipelineConfig.parse(EXAMPLE).mqtt().build()).sink(new FakeSink()).build();
        assertThat(seen).containsExactly("#");
        assertThat(p.preview("plant/m1/meters", "{\"id\":1,\"current\":-1.0,\"ts\":1}").rows()).isEmpty();
        assertThat(p.preview("plant/m1/meters", "{\"id\":1,\"current\":2.5,\"ts\":1}").rows()).hasSize(1);
        assertThat(p.name()).isEqualTo("meters-sync");
        assertThatThrownBy(() -> PipelineConfig.parse(EXAMPLE).pipeline((filter, spec) -> null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("topic filter '#'");
    }

    @Test
    void oldFilterKey_isStillAccepted_forOneRelease_withAWarningNamingTheNewKey() {
        String config = """
                { "mqtt": { "endpoint": "127.0.0.1:1883", "topics": "#" },
                  "parser": { "fields": [ { "path": "$.v", "name": "v", "type": "DOUBLE" },
                                          { "path": "$.id", "name": "id", "type": "INT", "as": "tag" } ],
                              "filter": "%s", "subTable": "d{id}", "superTable": "m" } }
                """;
        String warning;
        PipelineConfig expr;
        PipelineConfig path;
        try (io.github.mqtt2tdengine.spi.CapturedLog log = io.github.mqtt2tdengine.spi.CapturedLog.start(true)) {
            expr = PipelineConfig.parse(config.formatted("v > 1"));
            path = PipelineConfig.parse(config.formatted("$[?(@.ok)]"));
            warning = log.text();
        }
        assertThat(warning).contains("Config key parser.filter is deprecated and will be removed in the next release; "
                + "use parser.filterExpression instead").contains("use parser.payloadFilter instead");
        SyncPipeline e = expr.pipeline().source(expr.mqtt().build()).sink(new FakeSink()).build();
        assertThat(e.preview("t", "{\"id\":1,\"v\":0.5}").filtered()).isEqualTo(1);
        assertThat(e.preview("t", "{\"id\":1,\"v\":2}").rows()).hasSize(1);
        SyncPipeline j = path.pipeline().source(path.mqtt().build()).sink(new FakeSink()).build();
        assertThat(j.preview("t", "{\"id\":1,\"v\":2}").filtered()).isEqualTo(1);
        assertThat(j.preview("t", "{\"id\":1,\"v\":2,\"ok\":true}").rows()).hasSize(1);
    }

    private static String formats() {
        return """
                {
                  "mqtt": { "endpoint": "127.0.0.1:1883", "topics": "#::1" },
                  "routes": [
                    { "topicFilter": "re/#", "parser": { "format": "regex", "pattern": "id=(?<id>\\\\d+) t=(?<t>\\\\S+)",
                      "fields": [ { "path": "$.id", "name": "id", "type": "INT", "as": "tag" },
                                  { "path": "$.t", "name": "t", "type": "DOUBLE" },
                                  { "expr": "t * 10", "name": "t10", "type": "INT" } ],
                      "filterExpression": "t > -50", "subTable": "r{id}", "superTable": "re" } },
                    { "topicFilter": "csv/#", "parser": { "format": "csv", "columns": ["id", "t"], "delimiter": ";",
                      "compression": "gzip",
                      "fields": [ { "path": "$.id", "name": "id", "type": "INT", "as": "tag" },
                                  { "path": "$.t", "name": "t", "type": "DOUBLE" } ],
                      "subTable": "c{id}", "superTable": "csv" } },
                    { "topicFilter": "gbk/#", "parser": { "charset": "GBK",
                      "fields": [ { "path": "$.id", "name": "id", "type": "INT", "as": "tag" },
                                  { "path": "$.name", "name": "name", "type": "NCHAR(8)" } ],
                      "subTable": "g{id}", "superTable": "gbk" } },
                    { "topicFilter": "jl/#", "parser": { "format": "jsonl",
                      "fields": [ { "path": "$.id", "name": "id", "type": "INT", "as": "tag" } ],
                      "payloadFilter": "$[?(@.source != 'test')]", "subTable": "j{id}", "superTable": "jl" } }
                  ],
                  "parser": { "format": "plain", "valueName": "v",
                    "fields": [ { "topicLevel": 0, "name": "dev", "type": "VARCHAR(16)", "as": "tag" },
                                { "path": "$.v", "name": "v", "type": "DOUBLE" } ],
                    "subTable": "p{dev}", "superTable": "plain" }
                }
                """;
    }

    @Test
    void formatsCompressionCharsetFilterAndExpr_fromTheFile_mapAsTheBuilderDoes() throws Exception {
        PipelineConfig c = PipelineConfig.parse(formats());
        SyncPipeline p = c.pipeline().source(c.mqtt().build()).sink(new FakeSink()).build();
        Row re = p.preview("re/1", "x id=4 t=2.5".getBytes(StandardCharsets.UTF_8)).rows().get(0);
        assertThat(re.subTable()).isEqualTo("r4");
        assertThat(re.column("t10")).isEqualTo(25L);
        assertThat(p.preview("re/1", "id=4 t=-60".getBytes(StandardCharsets.UTF_8)).rows()).isEmpty(); // filtered
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(gz)) {
            z.write("1;20.5\n2;21".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(p.preview("csv/x", gz.toByteArray()).rows()).extracting(Row::subTable).containsExactly("c1", "c2");
        assertThat(p.preview("gbk/x", "{\"id\":3,\"name\":\"北区\"}".getBytes(java.nio.charset.Charset
                .forName("GBK"))).rows().get(0).column("name")).isEqualTo("北区");
        Preview lines = p.preview("jl/x", "{\"id\":1}\n{\"id\":2,\"source\":\"test\"}\n{\"id\":3}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(lines.rows()).extracting(Row::subTable).containsExactly("j1", "j3"); // filtered on an unmapped key
        assertThat(lines.filtered()).isEqualTo(1);
        Row plain = p.preview("m7", " 23.5 ".getBytes(StandardCharsets.UTF_8)).rows().get(0);
        assertThat(plain.subTable()).isEqualTo("pm7");
        assertThat(plain.column("v")).isEqualTo(23.5);
    }

    @Test
    void formatMistakes_areConfigErrorsNamingTheKey() {
        String f = formats();
        assertThatThrownBy(() -> PipelineConfig.parse(f.replace("\"format\": \"jsonl\"", "\"format\": \"xml\"")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("routes[3].parser.format must be one of [json, jsonl, regex, csv, plain], but was 'xml'");
        assertThatThrownBy(() -> PipelineConfig.parse(f.replace("\"GBK\"", "\"KLINGON\"")))
                .hasMessageStartingWith("routes[2].parser.charset 'KLINGON' is not a character set");
        assertThatThrownBy(() -> PipelineConfig.parse(f.replace("\"gzip\"", "\"zip\"")))
                .hasMessageStartingWith("routes[1].parser.compression must be one of [none, gzip, deflate, auto]");
        assertThatThrownBy(() -> PipelineConfig.parse(f.replace("\"t * 10\"", "\"t * \"")))
                .hasMessageContaining("routes[0].parser.fields[2].expr: field 't10': expression 't * ': a value is "
                        + "missing at position 5");
        assertThatThrownBy(() -> PipelineConfig.parse(f.replace("\"t > -50\"", "\"temp > -50\"")))
                .hasMessageContaining("filter 't > -50'".replace("t >", "temp >")).hasMessageContaining("reads 'temp'");
        assertThatThrownBy(() -> PipelineConfig.parse(f.replace("$[?(@.source != 'test')]", "$.source")))
                .hasMessageStartingWith("routes[3].parser.payloadFilter: payloadFilter '$.source' is a JSONPath without a filter "
                        + "predicate; write one such as $[?(@.status != 'test')]");
        assertThatThrownBy(() -> PipelineConfig.parse(f.replace("\"delimiter\": \";\"", "\"delimiter\": \";;\"")))
                .hasMessage("routes[1].parser.delimiter must be one character, but was ';;'");
        assertThatThrownBy(() -> PipelineConfig.parse(f.replace("\"t * 10\"", "\"nope * 10\"")))
                .hasMessageContaining("expression 'nope * 10' reads 'nope', which is no field");
    }
}
