package io.github.mqtt2tdengine.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.mqtt.testing.Mosquitto;
import io.github.mqtt2tdengine.mqtt.testing.Publisher;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blocks of docs/dead-letters-mqtt.md ({@link MqttDeadLettersExample}) against a real mosquitto. */
class MqttDeadLettersExampleIT {
    @TempDir
    Path dir;

    @Test
    void deadLettersKeptOnTheBroker_replayedWithTheFixedMapping() throws Exception {
        try (Mosquitto broker = Mosquitto.builder(Files.createDirectories(dir.resolve("broker"))).start()) {
            String endpoint = "127.0.0.1:" + broker.port();
            FakeSink sink = new FakeSink();
            SyncPipeline p = MqttDeadLettersExample.pipeline(endpoint, sink);
            p.start();
            try (Publisher pub = new Publisher(broker.port())) {
                for (int i = 0; i < 20; i++) {
                    long energy = i % 4 == 0 ? 3_000_000_000L + i : 1_000L + i;
                    pub.publish("plant-a/m" + (i % 4) + "/meters", "{\"ts\":" + (Publisher.BASE_TS + i)
                            + ",\"energy_wh\":" + energy + "}", 1);
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> p.metrics().acked() == 20);
            assertThat(sink.rows()).hasSize(15);
            assertThat(p.metrics().deadLettersByReason()).isEqualTo(Map.of(DeadLetterReason.OUT_OF_RANGE, 5L));
            p.close();

            FakeSink replayed = new FakeSink();
            SyncPipeline r = MqttDeadLettersExample.replay(endpoint, replayed, dir.resolve("still-bad"));
            r.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> replayed.rows().size() == 5);
            assertThat(replayed.rows().stream().map(Row::subTable).collect(Collectors.toSet()))
                    .containsExactly("meter_m0");
            assertThat(replayed.rows().stream().map(row -> (Long) row.column("energy_wh"))
                    .collect(Collectors.toSet())).containsExactlyInAnyOrder(3_000_000_000L, 3_000_000_004L,
                            3_000_000_008L, 3_000_000_012L, 3_000_000_016L);
            r.close();
            assertThat(r.metrics().deadLetters()).isZero();
            assertThat(dir.resolve("still-bad")).doesNotExist();
        }
    }
}
