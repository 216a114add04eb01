package io.github.mqtt2tdengine.tdengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.spi.FakeTransport;
import io.github.mqtt2tdengine.spi.FakeTransport.FakeMessage;
import io.github.mqtt2tdengine.tdengine.testing.TDengineRestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Several writer threads, each with its own driver connection, against the REST test server. */
class TDengineSinkWritersTest {

    @Test
    void fourWriters_everyRowWritten_eachTableInOrder() {
        try (TDengineRestServer server = new TDengineRestServer()) {
            server.createDatabase("power", "ms");
            FakeTransport transport = new FakeTransport();
            SyncPipeline p = SyncPipeline.builder().name("w").source(transport)
                    .sink(TDengineSink.builder().jdbcUrl(server.url("power")).credentials("root", "taosdata").build())
                    .payload(PayloadSpec.json().tag("id", "$.id", ColumnType.INT).column("n", "$.n", ColumnType.INT)
                            .policies().timestampCollision(io.github.mqtt2tdengine.payload.TimestampCollisionPolicy.SHIFT).applyPolicies()
                            .build())
                    .superTable("st").subTableTemplate("d{id}").writers(4).batching(50, Duration.ofMillis(10))
                    .build();
            p.start();
            List<FakeMessage> sent = new ArrayList<>();
            java.time.Instant t = java.time.Instant.parse("2026-01-01T00:00:00Z");
            for (int n = 0; n < 100; n++) {
                for (int id = 0; id < 20; id++) {
                    sent.add(transport.publish("t", "{\"id\":" + id + ",\"n\":" + n + "}", t.plusMillis(n)));
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> sent.stream().allMatch(FakeMessage::acked));
            p.close();
            assertThat(server.rowCount("power", "st")).isEqualTo(2000);
            for (int id = 0; id < 20; id++) {
                Map<Long, Map<String, Object>> rows = server.rows("power", "d" + id);
                assertThat(rows.values()).extracting(r -> (Long) r.get("n")).isSorted().hasSize(100);
            }
        }
    }
}
