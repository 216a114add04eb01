package io.github.mqtt2tdengine;

import io.github.mqtt2tdengine.errors.DeadLetterReason;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SecretTest {

    @Test
    void toString_hidesValue() {
        Secret s = Secret.of("taosdata");
        assertThat(s).hasToString("****");
        assertThat(String.valueOf(s)).doesNotContain("taosdata");
        assertThat(s.reveal()).isEqualTo("taosdata");
        assertThat(s).isEqualTo(Secret.of("taosdata")).isNotEqualTo(Secret.of("other"));
    }

    @Test
    void deadLetter_previewIsPrintableAndCut() {
        byte[] payload = ("{\"a\":\"\u0001\"}" + "x".repeat(300)).getBytes(StandardCharsets.UTF_8);
        DeadLetter d = new DeadLetter("p", "t", payload, 1, Instant.EPOCH, DeadLetterReason.INVALID_PAYLOAD, "bad",
                null);
        assertThat(d.payloadPreview()).startsWith("{\"a\":\"?\"}").endsWith("...").hasSize(256 + 3);
        assertThat(d.toString()).isEqualTo("DeadLetter{pipeline=p, topic=t, reason=INVALID_PAYLOAD, message=bad, "
                + "payloadBytes=" + payload.length + "}");
    }
}
