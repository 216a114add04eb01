package io.github.mqtt2tdengine.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.mqtt.testing.Mosquitto;
import io.github.mqtt2tdengine.mqtt.testing.Publisher;
import io.github.mqtt2tdengine.tdengine.testing.TDengineRestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Quick start, run as a user would (DocsCodeBlocksTest checks the README's block is {@link QuickStart}):
 * it runs in
 * its own JVM (the packaged jar) against a real mosquitto (user and password) and the TDengine REST test server
 * through the real JDBC driver, pointed there by the environment variables the block reads.
 */
class QuickStartIT {
    @TempDir
    Path dir;

    @Test
    void quickStart_againstRealBrokerAndRestServer_writesEveryRowAndDrainsOnSigterm() throws Exception {
        try (Mosquitto broker = Mosquitto.builder(Files.createDirectories(dir.resolve("broker")))
                .user("ingest", "mqtt-secret").start();
                TDengineRestServer td = new TDengineRestServer("writer", "td-secret")) {
            td.createDatabase("power", "ms");
            Path out = dir.resolve("quickstart.out");
            Path err = dir.resolve("quickstart.err");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", jar().toString(), QuickStart.class.getName()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            Map<String, String> env = pb.environment();
            env.put("MQTT_ENDPOINT", "127.0.0.1:" + broker.port());
            env.put("MQTT_PASSWORD", "mqtt-secret");
            env.put("TDENGINE_JDBC_URL", td.url("power"));
            env.put("TD_PASSWORD", "td-secret");
            Process p = pb.start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> !p.isAlive()
                        || Files.readString(err, StandardCharsets.UTF_8).contains("subscribed to"));
                assertThat(p.isAlive()).as("QuickStart died: %s", Files.readString(err)).isTrue();
                try (Publisher publisher = new Publisher(broker.port(), "ingest", "mqtt-secret")) {
                    for (int i = 0; i < 200; i++) {
                        publisher.publish("plant-a/m" + (i % 5) + "/meters", "{\"ts\":" + (Publisher.BASE_TS + i)
                                + ",\"metrics\":{\"current\":" + (i / 4.0) + ",\"voltage\":" + (220 + i % 3)
                                + "},\"site\":{\"location\":\"hall-" + (i % 5) + "\"}}", 1);
                    }
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> td.rowCount("power", "meters") == 200);
                assertThat(td.tableNames("power")).contains("meter_m0", "meter_m4");
                Map<Long, Map<String, Object>> rows = td.rows("power", "meter_m1");
                assertThat(rows).hasSize(40);
                assertThat(((Number) rows.get(Publisher.BASE_TS + 1).get("voltage")).intValue()).isEqualTo(221);
                assertThat(td.tags("power", "meter_m1")).containsEntry("location", "hall-1")
                        .containsEntry("device_id", "m1");
            } finally {
                p.destroy(); // SIGTERM: the block's shutdown hook closes the pipeline
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("QuickStart stops on SIGTERM").isTrue();
            }
            assertThat(td.rowCount("power", "meters")).isEqualTo(200);
            assertThat(Files.readString(err, StandardCharsets.UTF_8)).doesNotContain("mqtt-secret", "td-secret")
                    .doesNotContain("Exception");
        }
    }

    /** The packaged examples jar, which holds QuickStart and every dependency. */
    static Path jar() throws Exception {
        Path jar = Path.of("target", "mqtt2tdengine-demo.jar");
        assertThat(jar).as("the examples jar is packaged").exists();
        return jar;
    }
}
