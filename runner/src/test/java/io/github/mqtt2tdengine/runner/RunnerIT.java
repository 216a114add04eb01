package io.github.mqtt2tdengine.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.github.mqtt2tdengine.mqtt.testing.Mosquitto;
import io.github.mqtt2tdengine.mqtt.testing.Publisher;
import io.github.mqtt2tdengine.mqtt.testing.TestCerts;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mqtt2tdengine.deadletters.DeadLetterEnvelope;
import io.github.mqtt2tdengine.tdengine.testing.TDengineRestServer;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The packaged runner jar, run as its own process against a real mosquitto and the REST test server. */
class RunnerIT {
    private static final Logger LOG = LoggerFactory.getLogger(RunnerIT.class);
    private static final Path JAR = Path.of("target", "mqtt2tdengine-runner.jar");
    private static final Pattern SUMMARY = Pattern.compile(
            "received=(\\d+) rows=(\\d+) written=(\\d+) deadLettered=(\\d+) acked=(\\d+)");

    @TempDir
    static Path dir;
    static Mosquitto broker;

    @BeforeAll
    static void broker() throws Exception {
        broker = Mosquitto.builder(Files.createDirectories(dir.resolve("broker"))).start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    record Run(Process process, Path out, Path err) {
        String stdout() throws Exception {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        String stderr() throws Exception {
            return Files.readString(err, StandardCharsets.UTF_8);
        }
    }

    private static Run start(String name, String... args) throws Exception {
        return startWith(List.of(), name, args);
    }

    private static Run startWith(List<String> jvm, String name, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new Run(p, out, err);
    }

    private static int exit(Run run, long seconds) throws Exception {
        if (!run.process().waitFor(seconds, TimeUnit.SECONDS)) {
            run.process().destroyForcibly();
            throw new AssertionError("runner did not stop in " + seconds + " s; stdout: " + run.stdout()
                    + "\nstderr: " + run.stderr());
        }
        return run.process().exitValue();
    }

    private static String config(String url, String clientId, boolean clean) {
        return """
                {
                  "name": "it",
                  "mqtt": { "endpoint": "127.0.0.1:%d", "clientId": "%s", "cleanSession": %s,
                            "topics": "plant/+/meters::1" },
                  "tdengine": { "url": "%s", "database": "power", "user": "root", "password": "taosdata" },
                  "parser": {
                    "ts": "received",
                    "fields": [
                      { "path": "$.ts", "name": "ts", "type": "TIMESTAMP", "primaryKey": true, "unit": "milliseconds" },
                      { "path": "$.id", "name": "id", "type": "INT", "as": "tag" },
                      { "path": "$.seq", "name": "seq", "type": "BIGINT" }
                    ],
                    "subTable": "d{id}",
                    "superTable": "meters"
                  },
                  "pipeline": { "batchMaxRows": 100, "batchMaxAgeMillis": 200 },
                  "logLevel": "warn"
                }
                """.formatted(broker.port(), clientId, clean, url);
    }

    /** The same config without its tdengine section. */
    private static String withoutTdengine(String clientId) {
        String config = config("unused", clientId, true);
        String withoutLine = config.replaceAll("(?m)^  \"tdengine\": .*\n", "");
        assertThat(withoutLine).doesNotContain("tdengine").hasLineCount((int) config.lines().count() - 1);
        return withoutLine;
    }

    private static Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void config_dryRun_printsStatements_andStopsAfterMaxMessages() throws Exception {
        Path cfg = write("dry.json", config("jdbc:TAOS-WS://127.0.0.1:1/power", "it-dry", true));
        Run run = start("dry", "--config", cfg.toString(), "--dry-run", "--max-messages", "50");
        try (Publisher pub = new Publisher(broker.port())) {
            int seq = 0;
            while (run.process().isAlive() && seq < 100_000) {
                pub.publish("plant/m1/meters", Publisher.payload(seq++, 5), 1);
                TimeUnit.MILLISECONDS.sleep(5);
            }
        }
        assertThat(exit(run, 60)).as(run.stderr()).isZero();
        String out = run.stdout();
        assertThat(out).contains("CREATE STABLE IF NOT EXISTS `power`.`meters` (`ts` TIMESTAMP, `received` TIMESTAMP,"
                + " `seq` BIGINT) TAGS (`id` INT)");
        assertThat(out).contains("INSERT INTO `power`.`d");
        Matcher m = SUMMARY.matcher(out);
        assertThat(m.find()).isTrue();
        assertThat(Long.parseLong(m.group(1))).isGreaterThanOrEqualTo(50);
        assertThat(m.group(5)).isEqualTo(m.group(1));
    }

    @Test
    void config_restServer_sigtermDrains_everyMessageWrittenAndAcked() throws Exception {
        try (TDengineRestServer server = new TDengineRestServer()) {
            server.createDatabase("power", "ms");
            // a persistent session with a backlog waiting: the runner takes it over
            Mqtt5BlockingClient session = MqttClient.builder().useMqttVersion5().identifier("it-sigterm")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
            session.connectWith().cleanStart(false).sessionExpiryInterval(600).send();
            session.subscribeWith().topicFilter("plant/+/meters").qos(MqttQos.AT_LEAST_ONCE).send();
            session.disconnect();
            try (Publisher pub = new Publisher(broker.port())) {
                pub.publishRange("plant/m2/meters", 0, 300, 1, 7);
            }
            Path cfg = write("rest.json", config(server.url("power"), "it-sigterm", false));
            Run run = start("rest", "--config", cfg.toString());
            await().atMost(Duration.ofSeconds(60)).until(() -> server.rowCount("power", "meters") == 300);
            run.process().destroy(); // SIGTERM
            assertThat(exit(run, 60)).as(run.stderr()).isZero();
            Matcher m = SUMMARY.matcher(run.stdout());
            assertThat(m.find()).as(run.stdout()).isTrue();
            assertThat(m.group()).isEqualTo("received=300 rows=300 written=300 deadLettered=0 acked=300");
        }
    }

    @Test
    void deadLetters_keptInTdengineByDefaultAndInFilesFromTheConfig_thenReplayedAfterTheFix() throws Exception {
        try (TDengineRestServer server = new TDengineRestServer()) {
            server.createDatabase("power", "ms");
            Path files = dir.resolve("dl-files");
            String strict = config(server.url("power"), "it-dl", true)
                    .replace("\"type\": \"BIGINT\" }", "\"type\": \"BIGINT\", \"required\": true }")
                    .replace("\"logLevel\": \"warn\"", "\"deadLetters\": { \"file\": { \"directory\": \""
                            + files.toString().replace("\\", "\\\\") + "\" } },\n  \"logLevel\": \"info\"");
            assertThat(strict).contains("\"required\": true").contains("\"deadLetters\"");
            Run run = start("dl", "--config", write("dl.json", strict).toString());
            await().atMost(Duration.ofSeconds(30)).until(() -> run.stdout().contains("started: pipeline 'it'"));
            List<byte[]> bad = new ArrayList<>();
            try (Publisher pub = new Publisher(broker.port())) {
                for (int i = 0; i < 60; i++) {
                    long ts = 1_765_100_000_000L + i;
                    byte[] p = i % 6 == 5 ? (i % 12 == 5 ? ("not json " + i) : ("{\"ts\":" + ts + ",\"id\":1}"))
                            .getBytes(StandardCharsets.UTF_8)
                            : ("{\"ts\":" + ts + ",\"id\":" + (i % 3) + ",\"seq\":" + i + "}").getBytes(
                                    StandardCharsets.UTF_8);
                    if (i % 6 == 5) {
                        bad.add(p);
                    }
                    pub.publish("plant/m" + (i % 3) + "/meters", p, 1);
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> server.rowCount("power", "meters") == 50
                    && server.rowCount("power", "mqtt2td_dead_letters") == 10);
            run.process().destroy(); // SIGTERM
            assertThat(exit(run, 60)).as(run.stderr()).isZero();
            Matcher m = SUMMARY.matcher(run.stdout());
            assertThat(m.find()).as(run.stdout()).isTrue();
            assertThat(m.group()).isEqualTo("received=60 rows=50 written=50 deadLettered=10 acked=60");
            assertThat(run.stderr()).contains("dead letters are kept by [tdengine=TDengineDeadLetters{")
                    .contains("file=FileDeadLetters{file=" + files.resolve("dead-letters.jsonl"));
            List<byte[]> inFile = new ArrayList<>();
            for (String line : Files.readAllLines(files.resolve("dead-letters.jsonl"))) {
                inFile.add(DeadLetterEnvelope.decode(line.getBytes(StandardCharsets.UTF_8)).payload());
            }
            assertThat(inFile).containsExactlyElementsOf(bad);

            // the mapping fixed (seq no longer required): the missing-field ones are written, the others come back
            Path fixed = write("dl-fixed.json", strict.replace("\"type\": \"BIGINT\", \"required\": true }",
                    "\"type\": \"BIGINT\" }"));
            Run replay = start("dl-replay", "--config", fixed.toString(), "--replay-dead-letters");
            assertThat(exit(replay, 60)).as(replay.stderr()).isZero();
            assertThat(replay.stdout()).contains("replayed=10 writtenAgain=5 deadLetteredAgain=5 skippedTruncated=0 "
                    + "skippedIncomplete=0 notDeleted=0");
            assertThat(server.rowCount("power", "meters")).isEqualTo(55);
            assertThat(server.rowCount("power", "mqtt2td_dead_letters")).isEqualTo(5); // not JSON: still bad
            assertThat(Files.readAllLines(files.resolve("dead-letters.jsonl"))).hasSize(15); // kept again there too
        }
    }

    @Test
    void sinkDiscard_mapsAndBuildsStatementsWithoutADatabase_andReportsCpuPerMessage() throws Exception {
        // the config's TDengine URL points nowhere: with --sink discard nothing connects to it
        Path cfg = write("discard.json", config("jdbc:TAOS-RS://127.0.0.1:1/power", "it-discard", true));
        Run run = start("discard", "--config", cfg.toString(), "--sink", "discard", "--max-messages", "2000");
        await().atMost(Duration.ofSeconds(30)).until(() -> run.stdout().contains("started: pipeline 'it' (sink: "
                + "discard)"));
        try (Publisher pub = new Publisher(broker.port())) {
            pub.publishRange("plant/m3/meters", 0, 2_000, 1, 7);
        }
        assertThat(exit(run, 60)).as(run.stderr()).isZero();
        Matcher m = SUMMARY.matcher(run.stdout());
        assertThat(m.find()).as(run.stdout()).isTrue();
        assertThat(m.group()).isEqualTo("received=2000 rows=2000 written=2000 deadLettered=0 acked=2000");
        Matcher figures = Pattern.compile("firstToLastMs=(\\d+) cpuUsPerMsg=([0-9.]+) msgsPerSec=([0-9.]+)")
                .matcher(run.stdout());
        assertThat(figures.find()).as(run.stdout()).isTrue();
        assertThat(Double.parseDouble(figures.group(2))).as("CPU per message").isPositive();
    }

    @Test
    void processKilledMidStream_andStartedAgain_losesNothing() throws Exception {
        int total = 5_000;
        try (TDengineRestServer server = new TDengineRestServer()) {
            server.createDatabase("power", "ms");
            server.delay(50);
            Mqtt5BlockingClient session = MqttClient.builder().useMqttVersion5().identifier("it-kill")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
            session.connectWith().cleanStart(false).sessionExpiryInterval(600).send();
            session.subscribeWith().topicFilter("plant/+/meters").qos(MqttQos.AT_LEAST_ONCE).send();
            session.disconnect();
            Path cfg = write("kill.json", config(server.url("power"), "it-kill", false));
            Run first = start("kill-1", "--config", cfg.toString());
            Thread publisher = new Thread(() -> {
                try (Publisher pub = new Publisher(broker.port())) {
                    pub.publishRange("plant/m3/meters", 0, total, 1, 11);
                }
            }, "publisher");
            publisher.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> server.rowCount("power", "meters") >= 1_000);
            first.process().destroyForcibly(); // SIGKILL: no drain, no acks for what was in flight
            first.process().waitFor(30, TimeUnit.SECONDS);
            long atKill = server.rowCount("power", "meters");
            Run second = start("kill-2", "--config", cfg.toString());
            publisher.join(60_000);
            await().atMost(Duration.ofSeconds(90)).until(() -> server.rowCount("power", "meters") == total);
            second.process().destroy();
            assertThat(exit(second, 60)).as(second.stderr()).isZero();
            long duplicates = server.rowsInserted() - total;
            LOG.info("RELIABILITY runner SIGKILL and restart: published={} written before kill={} "
                    + "committed distinct={} lost=0 rewritten duplicates={}", total, atKill,
                    server.rowCount("power", "meters"), duplicates);
            assertThat(atKill).isLessThan(total);
        }
    }

    @Test
    void secrets_neverAppearInOutput_evenAtTrace() throws Exception {
        TestCerts certs = TestCerts.generate(Files.createDirectories(dir.resolve("certs")));
        String mqttPassword = "mqtt-S3cret-pw";
        String tdPassword = "td-S3cret-pw";
        try (Mosquitto secured = Mosquitto.builder(Files.createDirectories(dir.resolve("secured")))
                .user("ingest", mqttPassword).tls(certs).start();
                TDengineRestServer server = new TDengineRestServer("root", tdPassword)) {
            server.createDatabase("power", "ms");
            ObjectNode cfg = (ObjectNode) new ObjectMapper().readTree(config(server.url("power"), "it-secret", true));
            ObjectNode mqtt = (ObjectNode) cfg.get("mqtt");
            mqtt.put("endpoint", "127.0.0.1:" + secured.mtlsPort()).put("username", "ingest")
                    .put("password", mqttPassword);
            mqtt.putObject("tls").put("enabled", true).put("ca", certs.pem("ca.crt"))
                    .put("clientCert", certs.pem("client-ec.crt")).put("clientKey", certs.pem("client-ec.sec1.pem"));
            ((ObjectNode) cfg.get("tdengine")).put("password", tdPassword);
            Path file = write("secret.json", cfg.toString());
            Run run = startWith(List.of("-Dmqtt2td.broker.log.level=TRACE"), "secret", "--config", file.toString(),
                    "--log-level", "trace", "--max-messages", "20");
            TlsPublisher.publishUntilExit(run.process(), secured.mtlsPort(), certs, mqttPassword);
            assertThat(exit(run, 60)).as(run.stderr()).isZero();
            String all = run.stdout() + run.stderr();
            assertThat(SUMMARY.matcher(all).find()).isTrue();
            assertThat(all).contains("TRACE");
            String keyLine = certs.pem("client-ec.sec1.pem").lines().skip(1).findFirst().orElseThrow();
            String basicAuth = java.util.Base64.getEncoder().encodeToString(("root:" + tdPassword)
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(all).doesNotContain(mqttPassword).doesNotContain(tdPassword).doesNotContain(keyLine)
                    .doesNotContain(basicAuth).doesNotContain("PRIVATE KEY");
            LOG.info("RELIABILITY secrets at TRACE: {} bytes of log searched, no password, key or basic-auth "
                    + "header found", all.length());
        }
    }

    @Test
    void secrets_overWebSocketWithAToken_neverAppearInOutput_evenAtTrace() throws Exception {
        // the WebSocket driver (3.7.9) logs its connection parameters, password and token included, at DEBUG
        String ws = System.getenv("TDENGINE_WS_URL");
        Assumptions.assumeTrue(ws != null && !ws.isBlank(), "TDENGINE_WS_URL is not set: no real taosAdapter here "
                + "(scripts/test starts an installed one)");
        String token = "tok-S3cret-42";
        String url = ws.substring(0, ws.indexOf('?') < 0 ? ws.length() : ws.indexOf('?')) + "?token=" + token;
        ObjectNode cfg = (ObjectNode) new ObjectMapper().readTree(config(url, "it-ws-secret", true));
        // a database every server has: the check connects, reads its precision and finds no super table there
        ((ObjectNode) cfg.get("tdengine")).put("database", "information_schema");
        Path file = write("ws-secret.json", cfg.toString());
        Run run = start("ws-secret", "--config", file.toString(), "--check", "--log-level", "trace");
        assertThat(exit(run, 60)).as(run.stderr()).isZero();
        String all = run.stdout() + run.stderr();
        assertThat(all).contains("TRACE").contains("tdengine: database `information_schema`: exists");
        assertThat(all).doesNotContain(token).doesNotContainPattern("(?<![.\\w])taosdata(?![.\\w])");
    }

    @Test
    void noArguments_printUsage_andExit2() throws Exception {
        Run run = start("no-args");
        assertThat(exit(run, 60)).isEqualTo(2);
        assertThat(run.stderr()).startsWith("error: --config FILE is required" + System.lineSeparator()
                + "usage: java -jar mqtt2tdengine-runner.jar --config FILE");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void withoutTdengineSection_andWithoutFlag_exits2_andCheckChecksMqttOnly() throws Exception {
        Path cfg = write("no-td.json", withoutTdengine("it-no-td"));
        Run run = start("no-td", "--config", cfg.toString());
        assertThat(exit(run, 60)).isEqualTo(2);
        assertThat(run.stderr()).contains("error: config has no tdengine section: add one, or run with --sink discard "
                + "/ --dry-run");
        Run check = start("no-td-check", "--config", cfg.toString(), "--check");
        assertThat(exit(check, 60)).as(check.stderr()).isZero();
        assertThat(check.stdout()).contains("config: valid; pipeline 'it' writes [meters (")
                .contains("mqtt: connected and subscribed: MqttTransport{127.0.0.1:" + broker.port())
                .contains("tdengine: not checked: the config has no tdengine section");
    }

    @Test
    void withoutTdengineSection_sinkDiscard_runs() throws Exception {
        Path cfg = write("no-td-discard.json", withoutTdengine("it-no-td-discard"));
        Run run = start("no-td-discard", "--config", cfg.toString(), "--sink", "discard", "--max-messages", "500");
        await().atMost(Duration.ofSeconds(30)).until(() -> run.stdout().contains("started: pipeline 'it' (sink: "
                + "discard)"));
        try (Publisher pub = new Publisher(broker.port())) {
            pub.publishRange("plant/m4/meters", 0, 500, 1, 7);
        }
        assertThat(exit(run, 60)).as(run.stderr()).isZero();
        Matcher m = SUMMARY.matcher(run.stdout());
        assertThat(m.find()).as(run.stdout()).isTrue();
        assertThat(m.group()).isEqualTo("received=500 rows=500 written=500 deadLettered=0 acked=500");
    }

    @Test
    void withoutTdengineSection_dryRun_namesThePlaceholderDatabase() throws Exception {
        Path cfg = write("no-td-dry.json", withoutTdengine("it-no-td-dry"));
        Run run = start("no-td-dry", "--config", cfg.toString(), "--dry-run", "--max-messages", "20");
        try (Publisher pub = new Publisher(broker.port())) {
            int seq = 0;
            while (run.process().isAlive() && seq < 100_000) {
                pub.publish("plant/m5/meters", Publisher.payload(seq++, 5), 1);
                TimeUnit.MILLISECONDS.sleep(5);
            }
        }
        assertThat(exit(run, 60)).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("CREATE STABLE IF NOT EXISTS `mqtt2td`.`meters` (`ts` TIMESTAMP, `received` "
                + "TIMESTAMP, `seq` BIGINT) TAGS (`id` INT)").contains("INSERT INTO `mqtt2td`.`d");
        assertThat(SUMMARY.matcher(run.stdout()).find()).as(run.stdout()).isTrue();
    }

    @Test
    void runnerJar_isSmall_withoutDemoBrokerOrJmh_andTheLibraryJarConfiguresNoLogging() throws Exception {
        long bytes = Files.size(JAR);
        LOG.info("runner jar: {} bytes ({} MB)", bytes, String.format(Locale.ROOT, "%.1f", bytes / 1e6));
        assertThat(bytes).as("runner jar size").isLessThan(25_000_000L);
        try (ZipFile jar = new ZipFile(JAR.toFile())) {
            assertThat(jar.getEntry("io/github/mqtt2tdengine/runner/Runner.class")).isNotNull();
            assertThat(jar.getEntry("ch/qos/logback/classic/Logger.class")).as("the runner's binding").isNotNull();
            assertThat(jar.getEntry(Runner.LOGBACK_CONFIG)).isNotNull();
            assertThat(jar.stream().map(ZipEntry::getName).filter(n -> n.startsWith("com/hivemq/embedded/")
                    || n.startsWith("org/openjdk/jmh/") || n.startsWith("io/github/mqtt2tdengine/examples/")))
                    .as("demo broker, JMH, examples").isEmpty();
        }
        Path library;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            library = files.filter(p -> p.getFileName().toString().matches("mqtt2tdengine-runner-[^-]+(-SNAPSHOT)?\\.jar"))
                    .findFirst().orElseThrow();
        }
        try (ZipFile jar = new ZipFile(library.toFile())) {
            assertThat(jar.stream().map(ZipEntry::getName).filter(n -> n.startsWith("ch/qos/") || n.equals("logback.xml")
                    || n.equals("logback-test.xml"))).as("binding or logging config in the library jar " + library)
                    .isEmpty();
        }
    }

    @Test
    void badConfig_exitsWith2_namingTheField() throws Exception {
        Path cfg = write("bad.json", config("jdbc:TAOS-WS://127.0.0.1:1/power", "x", true)
                .replace("\"cleanSession\"", "\"cleanSesion\""));
        Run run = start("bad", "--config", cfg.toString());
        assertThat(exit(run, 60)).isEqualTo(2);
        assertThat(run.stderr()).contains("error: unknown key mqtt.cleanSesion (see docs/configuration.md, the configuration reference)");
        Run args = start("args", "--max-messages", "x");
        assertThat(exit(args, 60)).isEqualTo(2);
        assertThat(args.stderr()).contains("error: --max-messages must be a whole number greater than 0, but was 'x'");
        assertThat(new File(JAR.toString())).exists();
    }

    @Test
    void metricsPort_servesPrometheusTextAndHealth_overRealHttp_503WhileTheBrokerIsDown() throws Exception {
        Mosquitto own = Mosquitto.builder(Files.createDirectories(dir.resolve("broker-metrics"))).start();
        String cfgText = withoutTdengine("it-metrics").replace("127.0.0.1:" + broker.port(), "127.0.0.1:" + own.port())
                .replace("\"logLevel\": \"warn\"", "\"logLevel\": \"warn\", \"metrics\": { \"port\": 1 }");
        Path cfg = write("metrics.json", cfgText);
        // the command line's port (0: any free one) overrides the config's
        Run run = start("metrics", "--config", cfg.toString(), "--sink", "discard", "--metrics-port", "0",
                "--max-messages", "40");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (own) {
            await().atMost(Duration.ofSeconds(60)).until(() -> run.stdout().contains("started:"));
            Matcher m = Pattern.compile("metrics: http://127\\.0\\.0\\.1:(\\d+)/metrics").matcher(run.stdout());
            assertThat(m.find()).as(run.stdout()).isTrue();
            URI base = URI.create("http://127.0.0.1:" + m.group(1));

            HttpResponse<String> health = get(http, base.resolve("/health"));
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            assertThat(health.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(new ObjectMapper().readTree(health.body()).get("status").asText()).isEqualTo("UP");

            try (Publisher pub = new Publisher(own.port())) {
                for (int seq = 0; seq < 20; seq++) {
                    pub.publish("plant/m1/meters", Publisher.payload(seq, 5), 1);
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> get(http, base.resolve("/metrics")).body()
                    .contains("mqtt2td_messages_acked_total{pipeline=\"it\"} 20.0"));
            HttpResponse<String> metrics = get(http, base.resolve("/metrics"));
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(metrics.body())
                    .contains("mqtt2td_messages_received_total{pipeline=\"it\"} 20.0")
                    .contains("mqtt2td_rows_written_total{pipeline=\"it\"} 20.0")
                    .contains("mqtt2td_commit_latency_seconds_count{pipeline=\"it\"} 20")
                    .contains("mqtt2td_data_lag_seconds_count{pipeline=\"it\"} 20")
                    .contains("mqtt2td_transport_connected{pipeline=\"it\"} 1.0")
                    .contains("jvm_memory_used_bytes");

            own.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> get(http, base.resolve("/health")).statusCode() == 503);
            HttpResponse<String> down = get(http, base.resolve("/health"));
            assertThat(down.body()).contains("\"status\":\"DOWN\"").contains("reconnecting to the broker");
            assertThat(get(http, base.resolve("/metrics")).body())
                    .contains("mqtt2td_transport_reconnects_total{pipeline=\"it\"} 1.0")
                    .contains("mqtt2td_healthy{pipeline=\"it\"} 0.0");
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(base.resolve("/metrics"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);

            own.restart();
            await().atMost(Duration.ofSeconds(60)).until(() -> get(http, base.resolve("/health")).statusCode() == 200);
            try (Publisher pub = new Publisher(own.port())) {
                for (int seq = 20; seq < 40; seq++) {
                    pub.publish("plant/m1/meters", Publisher.payload(seq, 5), 1);
                }
            }
            assertThat(exit(run, 60)).as(run.stderr()).isZero();
        } finally {
            run.process().destroyForcibly();
        }
    }

    private static HttpResponse<String> get(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
