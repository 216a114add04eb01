package io.github.mqtt2tdengine.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RunnerTest {

    @Test
    void demo_acksEveryMessage_andPrintsSummaryWithDeadLetters() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = Runner.runDemo(5_000, 20, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(code).isZero();
        // one malformed message in every 500: 10 dead letters, 4990 rows written, all 5000 acked
        assertThat(out).contains("received=5000 rows=4990 written=4990 deadLettered=10 acked=5000");
        assertThat(out).contains("dead letters by reason {INVALID_PAYLOAD=10}");
        assertThat(out).contains("demo: a bad one is dead-lettered: Pipeline 'demo': field 'current' (JSONPath "
                + "'$.current'): value \"n/a\" cannot be converted to FLOAT: it is not a number, in message on topic "
                + "'plant/m7/meters'");
    }
}
