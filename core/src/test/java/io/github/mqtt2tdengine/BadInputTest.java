package io.github.mqtt2tdengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.FakeTransport;
import io.github.mqtt2tdengine.spi.FakeTransport.FakeMessage;
import io.github.mqtt2tdengine.spi.Row;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Every kind of bad input from the reliability issue: dead-lettered with its reason, counted, never stopping others. */
class BadInputTest {

    @Test
    void badInputs_areDeadLetteredWithReason_whileGoodMessagesFlow() {
        FakeTransport transport = new FakeTransport();
        FakeSink sink = new FakeSink();
        List<DeadLetter> dead = new CopyOnWriteArrayList<>();
        PayloadSpec spec = PayloadSpec.json()
                .timestamp("ts", "$.ts", TimestampUnit.MILLISECONDS).withoutReceiveTime()
                .tag("id", "$.id", ColumnType.varchar(200))
                .column("i8", "$.i8", ColumnType.TINYINT).column("u8", "$.u8", ColumnType.TINYINT_UNSIGNED)
                .column("i16", "$.i16", ColumnType.SMALLINT).column("i32", "$.i32", ColumnType.INT)
                .column("i64", "$.i64", ColumnType.BIGINT).column("u64", "$.u64", ColumnType.BIGINT_UNSIGNED)
                .column("f", "$.f", ColumnType.FLOAT).column("d", "$.d", ColumnType.DOUBLE)
                .column("b", "$.b", ColumnType.BOOL).column("s", "$.s", ColumnType.varchar(16))
                .column("n", "$.n", ColumnType.nchar(4)).column("t", "$.t", ColumnType.TIMESTAMP)
                .maxPayloadBytes(1 << 20)
                .build();
        SyncPipeline p = SyncPipeline.builder().name("bad").source(transport).sink(sink).payload(spec)
                .superTable("st").subTableTemplate("d{id}").batching(100, Duration.ofMillis(10))
                .deadLetterHandler(dead::add).build();
        p.start();
        try {
            Map<String, DeadLetterReason> cases = new LinkedHashMap<>();
            byte[] random = new byte[512];
            new Random(7).nextBytes(random);
            String ok = "\"id\":\"a\",\"ts\":1764000000000";
            cases.put("truncated JSON", DeadLetterReason.INVALID_PAYLOAD);
            cases.put("deeply nested", DeadLetterReason.INVALID_PAYLOAD);
            cases.put("10 MiB", DeadLetterReason.PAYLOAD_TOO_LARGE);
            cases.put("{" + ok + ",\"i8\":\"x\"}", DeadLetterReason.TYPE_MISMATCH);
            cases.put("{" + ok + ",\"i32\":{}}", DeadLetterReason.TYPE_MISMATCH);
            cases.put("{" + ok + ",\"b\":7}", DeadLetterReason.TYPE_MISMATCH);
            cases.put("{" + ok + ",\"i8\":128}", DeadLetterReason.OUT_OF_RANGE);
            cases.put("{" + ok + ",\"u8\":-1}", DeadLetterReason.OUT_OF_RANGE);
            cases.put("{" + ok + ",\"i16\":40000}", DeadLetterReason.OUT_OF_RANGE);
            cases.put("{" + ok + ",\"i32\":3000000000}", DeadLetterReason.OUT_OF_RANGE);
            cases.put("{" + ok + ",\"i64\":9223372036854775808}", DeadLetterReason.OUT_OF_RANGE);
            cases.put("{" + ok + ",\"u64\":18446744073709551616}", DeadLetterReason.OUT_OF_RANGE);
            cases.put("{" + ok + ",\"f\":1e40}", DeadLetterReason.OUT_OF_RANGE);
            cases.put("{" + ok + ",\"d\":\"NaN\"}", DeadLetterReason.NON_FINITE_NUMBER);
            cases.put("{" + ok + ",\"f\":\"-Infinity\"}", DeadLetterReason.NON_FINITE_NUMBER);
            cases.put("{\"id\":\"a\"}", DeadLetterReason.MISSING_FIELD);
            cases.put("{\"id\":\"a\",\"ts\":\"tomorrow\"}", DeadLetterReason.INVALID_TIMESTAMP);
            cases.put("{\"id\":\"a\",\"ts\":1e30}", DeadLetterReason.INVALID_TIMESTAMP);
            cases.put("{" + ok + ",\"t\":\"2026-01-01T00:00:00\"}", DeadLetterReason.INVALID_TIMESTAMP);
            cases.put("{\"id\":\"\",\"ts\":1764000000000}", DeadLetterReason.INVALID_TABLE_NAME);
            cases.put("{\"id\":\"" + "x".repeat(195) + "\",\"ts\":1764000000000}", DeadLetterReason.INVALID_TABLE_NAME);
            cases.put("{" + ok + ",\"s\":\"" + "y".repeat(17) + "\"}", DeadLetterReason.VALUE_TOO_LONG);
            cases.put("{" + ok + ",\"n\":\"温度计一二\"}", DeadLetterReason.VALUE_TOO_LONG);
            List<FakeMessage> all = new ArrayList<>();
            Instant now = Instant.now();
            all.add(transport.publish("bad/random", random, 1, now));
            all.add(transport.publish("bad/utf8", new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xff, '"', '}'},
                    1, now));
            int n = 0;
            for (String c : cases.keySet()) {
                byte[] payload = switch (c) {
                    case "truncated JSON" -> "{\"id\":\"a\",\"ts\":17640".getBytes(StandardCharsets.UTF_8);
                    case "deeply nested" -> ("{\"a\":" + "[".repeat(10_000)).getBytes(StandardCharsets.UTF_8);
                    case "10 MiB" -> new byte[10 << 20];
                    default -> c.getBytes(StandardCharsets.UTF_8);
                };
                all.add(transport.publish("bad/" + n++, payload, 1, now));
                all.add(transport.publish("good", "{\"id\":\"g\",\"ts\":" + (1764000000000L + n) + "}"));
            }
            String hostile = "'); DROP TABLE st; -- \\\\ ` \\\"";
            all.add(transport.publish("good", "{\"id\":\"h.1\",\"ts\":1764000000999,\"s\":\"" + hostile
                    .substring(0, 16) + "\"}"));
            await().atMost(Duration.ofSeconds(20)).until(() -> all.stream().allMatch(FakeMessage::acked));

            assertThat(p.state()).isEqualTo(PipelineState.RUNNING);
            assertThat(dead).hasSize(cases.size() + 2);
            for (DeadLetter d : dead) {
                if (d.topic().equals("bad/random") || d.topic().equals("bad/utf8")) {
                    assertThat(d.reason()).as(d.message()).isEqualTo(DeadLetterReason.INVALID_PAYLOAD);
                    continue;
                }
                int i = Integer.parseInt(d.topic().substring(4));
                String c = new ArrayList<>(cases.keySet()).get(i);
                assertThat(d.reason()).as(c + " -> " + d.message()).isEqualTo(cases.get(c));
                assertThat(d.message()).startsWith("Pipeline 'bad': ").endsWith("in message on topic '" + d.topic() + "'");
            }
            List<Row> rows = sink.rows();
            assertThat(rows).hasSize(cases.size() + 1);
            assertThat(rows).extracting(Row::subTable).contains("dh_1");
            PipelineMetrics m = p.metrics();
            assertThat(m.deadLetters()).isEqualTo(cases.size() + 2);
            assertThat(m.acked()).isEqualTo(all.size());
        } finally {
            p.close();
        }
    }
}
