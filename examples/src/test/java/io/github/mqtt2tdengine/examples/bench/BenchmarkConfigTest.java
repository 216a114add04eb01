package io.github.mqtt2tdengine.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mqtt2tdengine.Preview;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.settings.PipelineConfig;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.FakeTransport;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The library run (the runner's JSON config) maps exactly what B1 and the JMH benchmark map (the Java spec). */
class BenchmarkConfigTest {

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void runnerConfig_mapsTheBenchmarkPayloadLikeTheJavaSpec(boolean five) {
        SyncPipeline fromJson = PipelineConfig.parse(Benchmark.runnerConfig(1883, 1, "5.0", five))
                .toPipelineBuilder().sink(new FakeSink()).build();
        SyncPipeline fromSpec = SyncPipeline.builder().name("bench").source(new FakeTransport()).sink(new FakeSink())
                .payload(five ? BenchPayload.specFive() : BenchPayload.spec()).build();
        assertThat(fromJson.tables()).isEqualTo(fromSpec.tables());
        assertThat(fromJson.tables().get(0).columns().size() + fromJson.tables().get(0).tags().size())
                .isEqualTo(five ? 5 : 10);
        Random random = new Random(7);
        for (int n = 0; n < 50; n++) {
            String payload = new String(BenchPayload.payload(five, n, 1_000, random), StandardCharsets.UTF_8);
            Preview a = fromJson.preview(BenchPayload.topic(n), payload);
            Preview b = fromSpec.preview(BenchPayload.topic(n), payload);
            assertThat(a.rows()).as(payload).hasSize(1).isEqualTo(b.rows());
        }
    }

    @Test
    void fivePayload_isAbout165Bytes() {
        assertThat(BenchPayload.payloadFive(0, 1_000, new Random(7)).length).isBetween(150, 180);
    }

    @Test
    void runnerConfig_withJdbcUrl_writesToTheE2eDatabase_createdIfMissing() {
        PipelineConfig c = PipelineConfig.parse(Benchmark.runnerConfig(1883, 1, "5.0", false,
                "jdbc:TAOS://127.0.0.1:6030/?user=root&password=taosdata", "stmt"));
        assertThat(c.tdengine().orElseThrow().build().database()).isEqualTo(Benchmark.E2E_DATABASE);
        assertThat(c.tdengine().orElseThrow().build().toString()).contains("writeMode=STMT");
        assertThat(PipelineConfig.parse(Benchmark.runnerConfig(1883, 1, "3.1.1", true)).tdengine().orElseThrow().build().database())
                .isEqualTo("bench");
    }

    @Test
    void table_withLibTd_showsItsCpuRatioToTheDiscardingRunner() {
        String table = Benchmark.table(java.util.List.of(
                new Benchmark.Run("B0", "ten", 0, 1000, 1000, 5.0, 900, 100, 6.0, 3.0),
                new Benchmark.Run("B1", "ten", 0, 1000, 1000, 8.0, 800, 100, 12.0, 6.0),
                new Benchmark.Run("LIB", "ten", 0, 1000, 1000, 10.0, 700, 100, 18.0, 9.0),
                new Benchmark.Run("LIB-TD", "ten", 0, 1000, 990, 15.0, 600, 100, 24.0, 12.0),
                new Benchmark.Run("B1", "five", 1, 1000, 1000, 4.0, 800, 100, 5.0, 2.5),
                new Benchmark.Run("LIB", "five", 1, 1000, 1000, 5.0, 760, 100, 7.0, 3.5)));
        assertThat(table).contains("| CPU ÷ LIB | CPU ÷ B1, whole run | Java threads' CPU ÷ B1 |")
                .contains("| ten | LIB | 0 | 700 | 10.00 | 2.00 | 1.25 | 0.88 | 1.00 | 1.50 | 1.50 | 0 | 100 |")
                .contains("| ten | LIB-TD | 0 | 600 | 15.00 | 3.00 | 1.88 | 0.75 | 1.50 | 2.00 | 2.00 | 10 | 100 |")
                .contains("| five | LIB | 1 | 760 | 5.00 |  | 1.25 | 0.95 | 1.00 | 1.40 | 1.40 | 0 | 100 |");
    }
}
