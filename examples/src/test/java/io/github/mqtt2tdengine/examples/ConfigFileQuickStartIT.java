package io.github.mqtt2tdengine.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.mqtt.testing.Mosquitto;
import io.github.mqtt2tdengine.mqtt.testing.Publisher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs docs/configuration.md's "The config file from Java" ({@link ConfigFileQuickStart}, from the packaged demo jar)
 * as its own
 * process in a working directory holding {@code meters.json}, against a real mosquitto: the rows arrive in the host's
 * own sink (a CSV file) and the host's listener sees the pipeline start and close.
 */
class ConfigFileQuickStartIT {
    private static final Path JAR = Path.of("target", "mqtt2tdengine-demo.jar");
    private static final int MESSAGES = 200;

    @TempDir
    Path dir;

    private static String config(int port) {
        return """
                {
                  "name": "meters-from-java",
                  "mqtt": { "endpoint": "127.0.0.1:%d", "clientId": "readme-config-file", "topics": "plant/+/meters::1" },
                  "parser": {
                    "withoutReceiveTime": true,
                    "fields": [
                      { "path": "$.ts", "name": "ts", "type": "TIMESTAMP", "primaryKey": true, "unit": "milliseconds" },
                      { "path": "$.seq", "name": "seq", "type": "BIGINT" },
                      { "path": "$.id", "name": "id", "type": "INT", "as": "tag" }
                    ],
                    "subTable": "d{id}",
                    "superTable": "meters"
                  },
                  "pipeline": { "batchMaxRows": 50, "batchMaxAgeMillis": 100 }
                }
                """.formatted(port);
    }

    @Test
    void readmeConfigFileFromJava_runs_rowsArriveInTheHostsSink() throws Exception {
        Path work = Files.createDirectories(dir.resolve("host"));
        try (Mosquitto broker = Mosquitto.builder(Files.createDirectories(dir.resolve("broker"))).start()) {
            Files.writeString(work.resolve("meters.json"), config(broker.port()), StandardCharsets.UTF_8);
            Path out = dir.resolve("host.out");
            Path err = dir.resolve("host.err");
            Process host = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", JAR.toAbsolutePath().toString(), ConfigFileQuickStart.class.getName()))
                    .directory(work.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(out).contains("pipeline RUNNING")
                        || !host.isAlive());
                assertThat(host.isAlive()).as(Files.readString(err)).isTrue();
                try (Publisher pub = new Publisher(broker.port())) {
                    pub.publishRange("plant/m1/meters", 0, MESSAGES, 1, 5);
                }
                Path csv = work.resolve("meters.csv");
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(csv)
                        && Files.readAllLines(csv).size() >= MESSAGES);
                host.destroy(); // SIGTERM: the host's shutdown hook closes the pipeline
                assertThat(host.waitFor(60, TimeUnit.SECONDS)).isTrue();
                List<String> expected = IntStream.range(0, MESSAGES)
                        .mapToObj(seq -> "meters,d" + seq % 5 + "," + (Publisher.BASE_TS + seq) + "," + seq + ","
                                + seq % 5)
                        .collect(Collectors.toList());
                assertThat(Files.readAllLines(csv)).containsExactlyInAnyOrderElementsOf(expected);
                assertThat(Files.readString(out)).contains("pipeline STARTING", "pipeline RUNNING", "pipeline CLOSING",
                        "pipeline CLOSED");
                assertThat(Files.readString(err)).doesNotContain("pipeline failed");
            } finally {
                host.destroyForcibly();
            }
        }
    }
}
