package io.github.mqtt2tdengine.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mqtt2tdengine.examples.bench.SinkBenchmark;
import io.github.mqtt2tdengine.tdengine.testing.TDengineRestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The sink benchmark runs end to end through the real JDBC driver; against the REST test server its figures mean
 * nothing, this only proves it works (and that every row arrives).
 */
class SinkBenchmarkIT {

    @Test
    void sinkBenchmark_writesEveryRowThroughTheDriver_andPrintsItsTable() {
        try (TDengineRestServer server = new TDengineRestServer()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int code = SinkBenchmark.run(new String[] {"--jdbc-url", server.url(""), "--rows", "20000",
                "--batch", "1000", "--warmup", "2000"}, new PrintStream(bytes, true, StandardCharsets.UTF_8));
            String out = bytes.toString(StandardCharsets.UTF_8);
            System.out.print(out);
            assertThat(code).as(out).isZero();
            assertThat(server.rowCount("mqtt2td_bench", "meters")).isEqualTo(20_000);
            assertThat(out).containsPattern("\\| library, sql \\(multi-table INSERT\\) \\| 20000 \\| [0-9.]+ \\| [0-9,]+ \\| "
                    + "[0-9.]+ \\| \\d+ \\| [0-9.]+ \\| [0-9,]+ \\| 0 \\| ");
        }
    }

    @Test
    void sinkBenchmark_stmtModeOverRest_isRefusedWithTheReason_unknownModeToo() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = SinkBenchmark.run(new String[] {"--jdbc-url", "jdbc:TAOS-RS://127.0.0.1:1", "--mode", "fast"},
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("--mode must be sql, stmt or auto (or several, comma-separated), but was 'fast'");
    }
}
