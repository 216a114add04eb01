package io.github.mqtt2tdengine.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mqtt2tdengine.DeadLetter;
import io.github.mqtt2tdengine.deadletters.DeadLetterEnvelope;
import io.github.mqtt2tdengine.errors.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading dead letters back as their originals, in each form the destination writes. */
class ReplayTest {
    private static final Instant NOW = Instant.parse("2026-12-08T12:00:00Z");
    private static final Instant FIRST = Instant.parse("2026-12-08T10:00:00.123456789Z");
    private final Replay replay = new Replay("mqtt2td/dead-letters");
    private final byte[] bad = {'{', 0, (byte) 0xff, '"', '`'};

    private static DeadLetter letter(String topic, byte[] payload) {
        return new DeadLetter("plant-a", topic, payload, 0, FIRST, DeadLetterReason.INVALID_PAYLOAD,
                "Pipeline 'plant-a': payload is not JSON", null);
    }

    @Test
    void unwrap_mqtt5_readsTheUserProperties_payloadAsItIs() {
        Map<String, String> props = new HashMap<>();
        for (String[] p : DeadLetterPublisher.properties(letter("plant/\"a b\"/ü", bad))) {
            props.put(p[0], p[1]);
        }
        Replay.Original o = replay.unwrap("mqtt2td/dead-letters/plant/\"a b\"/ü", bad, 1, props::get, NOW);
        assertThat(o.topic()).isEqualTo("plant/\"a b\"/ü");
        assertThat(o.payload()).isSameAs(bad);
        assertThat(o.qos()).isZero();
        assertThat(o.receivedAt()).isEqualTo(FIRST);
        assertThat(props).containsKeys("mqtt2td-pipeline", "mqtt2td-topic", "mqtt2td-qos", "mqtt2td-receivedAt",
                "mqtt2td-reason", "mqtt2td-detail").containsEntry("mqtt2td-reason", "INVALID_PAYLOAD");
    }

    @Test
    void unwrap_envelope_decodesIt() {
        byte[] envelope = DeadLetterEnvelope.encode(letter("plant/a", bad));
        Replay.Original o = replay.unwrap("mqtt2td/dead-letters/plant/a", envelope, 1, UserProperties.NONE, NOW);
        assertThat(o.topic()).isEqualTo("plant/a");
        assertThat(o.payload()).isEqualTo(bad);
        assertThat(o.qos()).isZero();
        assertThat(o.receivedAt()).isEqualTo(FIRST);
    }

    @Test
    void unwrap_mqtt5DeadLetterReadOverMqtt3_topicWithoutThePrefix() {
        Replay.Original o = replay.unwrap("mqtt2td/dead-letters/plant/a/b", bad, 1, UserProperties.NONE, NOW);
        assertThat(o.topic()).isEqualTo("plant/a/b");
        assertThat(o.payload()).isSameAs(bad);
        assertThat(o.qos()).isEqualTo(1);
        assertThat(o.receivedAt()).isEqualTo(NOW);
    }

    @Test
    void unwrap_unreadable_isDeliveredAsItIs() {
        byte[] damaged = "{\"pipeline\":\"p\",\"topic\":\"a\",\"payload\":\"@@@\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(replay.unwrap("mqtt2td/dead-letters/a", damaged, 1, UserProperties.NONE, NOW)).isNull();
        assertThat(replay.unwrap("mqtt2td/dead-letters/", bad, 1, UserProperties.NONE, NOW)).isNull();
        assertThat(replay.unwrap("mqtt2td/dead-letters", bad, 1, UserProperties.NONE, NOW)).isNull();
        assertThat(replay.unwrap("plant/a", bad, 1, UserProperties.NONE, NOW)).as("not under the prefix").isNull();
        assertThat(replay.unwrap("mqtt2td/dead-letters/a", bad, 1, n -> n.equals(Replay.TOPIC) ? "a/#" : null, NOW))
                .as("a wildcard is no topic").isNull();
        Replay.Original lenient = replay.unwrap("mqtt2td/dead-letters/a", bad, 1,
                n -> n.equals(Replay.TOPIC) ? "a" : "garbage", NOW);
        assertThat(List.of(lenient.qos(), lenient.receivedAt())).containsExactly(1, NOW);
    }

    @Test
    void properties_stringsMqttCannotCarry_areReplaced_andCut() {
        assertThat(DeadLetterPublisher.text("a\u0000b\ud800c\ud83d\ude00")).isEqualTo("a?b?c\ud83d\ude00");
        String huge = "é".repeat(40_000);
        String cut = DeadLetterPublisher.text(huge);
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(65_535);
        assertThat(cut).endsWith("...");
        assertThat(DeadLetterPublisher.describe(0x87)).isEqualTo("NOT_AUTHORIZED (0x87)");
        assertThat(DeadLetterPublisher.describe(0x10)).isEqualTo("NO_MATCHING_SUBSCRIBERS (0x10)");
    }

    @Test
    void topics_prefixAndOriginal_tooLongIsCutAtACharacter() {
        assertThat(DeadLetterTopics.topic("dl", "a/b")).isEqualTo("dl/a/b");
        String t = DeadLetterTopics.topic("dl", "€".repeat(30_000));
        assertThat(t.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(65_535).isGreaterThan(65_530);
        assertThat(DeadLetterTopics.original("dl/#", "dl")).isEqualTo("#");
        assertThat(DeadLetterTopics.original("$share/g/dl/a/+", "dl")).isEqualTo("$share/g/a/+");
        assertThat(DeadLetterTopics.original("dlx/#", "dl")).isEqualTo("dlx/#");
        assertThat(DeadLetterTopics.original("live/#", null)).isEqualTo("live/#");
    }
}
