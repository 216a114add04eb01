package io.github.mqtt2tdengine;

import io.github.mqtt2tdengine.errors.DeadLetterReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.Compression;
import io.github.mqtt2tdengine.payload.Field;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.FakeTransport.FakeMessage;
import io.github.mqtt2tdengine.spi.FakeTransport;
import io.github.mqtt2tdengine.spi.Row;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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

    @Test
    void otherFormatsCompressionCharsetsAndExpressions_badInputsDeadLettered_goodOnesWritten() throws Exception {
        FakeTransport transport = new FakeTransport().topicFilters("#");
        FakeSink sink = new FakeSink();
        List<DeadLetter> dead = new CopyOnWriteArrayList<>();
        PayloadSpec gz = PayloadSpec.json().compression(Compression.AUTO).maxPayloadBytes(1 << 16)
                .tag("id", "$.id", ColumnType.INT).column("voltage", "$.v", ColumnType.INT)
                .column("current", "$.c", ColumnType.INT).column("raw", "$.raw", ColumnType.DOUBLE)
                .column("div", "$.div", ColumnType.DOUBLE).column("status", "$.status", ColumnType.varchar(8))
                .field(Field.builder("power").expression("voltage * current").type(ColumnType.INT).build())
                .field(Field.builder("ratio").expression("raw / div").type(ColumnType.DOUBLE).build())
                .filterExpression("status != 'test'").superTable("st_gz").build();
        PayloadSpec gbk = PayloadSpec.json().charset(Charset.forName("GBK")).tag("id", "$.id", ColumnType.INT)
                .column("name", "$.name", ColumnType.nchar(8)).superTable("st_gbk").build();
        PayloadSpec re = PayloadSpec.regex("id=(?<id>\\d+) temp=(?<temp>\\S+)").tag("id", "$.id", ColumnType.INT)
                .column("temp", "$.temp", ColumnType.DOUBLE).superTable("st_re").build();
        PayloadSpec csv = PayloadSpec.csv(',', List.of("id", "temp", "hum")).tag("id", "$.id", ColumnType.INT)
                .column("temp", "$.temp", ColumnType.DOUBLE).column("hum", "$.hum", ColumnType.INT).superTable("st_csv").build();
        PayloadSpec plain = PayloadSpec.plain("value").tagFromTopicLevel("id", 1, ColumnType.varchar(16))
                .column("value", "$.value", ColumnType.DOUBLE).superTable("st_plain").build();
        PayloadSpec lines = PayloadSpec.jsonLines().tag("id", "$.id", ColumnType.INT)
                .column("v", "$.v", ColumnType.DOUBLE).superTable("st_jl").build();
        SyncPipeline p = SyncPipeline.builder().name("fmt").source(transport).sink(sink)
                .route("gz/#", gz).route("gbk/#", gbk).route("re/#", re).route("csv/#", csv).route("plain/#", plain)
                .route("jl/#", lines).subTableTemplate("d{id}")
                .batching(100, Duration.ofMillis(10)).deadLetterHandler(dead::add).build();
        p.start();
        try {
            byte[] good = "{\"id\":1,\"v\":220,\"c\":3,\"raw\":10,\"div\":4,\"status\":\"ok\"}"
                    .getBytes(StandardCharsets.UTF_8);
            byte[] gzGood = gzip(good);
            Map<String, byte[]> bad = new LinkedHashMap<>();
            Map<String, DeadLetterReason> why = new LinkedHashMap<>();
            bad.put("gz/truncated", Arrays.copyOf(gzGood, gzGood.length - 10));
            why.put("gz/truncated", DeadLetterReason.INVALID_PAYLOAD);
            bad.put("gz/bomb", gzip(new byte[10 << 20]));
            why.put("gz/bomb", DeadLetterReason.PAYLOAD_TOO_LARGE);
            bad.put("gz/overflow", gzip("{\"id\":1,\"v\":100000,\"c\":100000,\"raw\":1,\"div\":1,\"status\":\"ok\"}"
                    .getBytes(StandardCharsets.UTF_8)));
            why.put("gz/overflow", DeadLetterReason.OUT_OF_RANGE);
            bad.put("gz/divzero", "{\"id\":1,\"v\":1,\"c\":1,\"raw\":5,\"div\":0,\"status\":\"ok\"}"
                    .getBytes(StandardCharsets.UTF_8));
            why.put("gz/divzero", DeadLetterReason.EXPRESSION_FAILED);
            bad.put("gbk/invalid", new byte[] {'{', '"', 'i', 'd', '"', ':', '1', ',', '"', 'n', 'a', 'm', 'e', '"', ':',
                '"', (byte) 0x81, (byte) 0x20, '"', '}'});
            why.put("gbk/invalid", DeadLetterReason.INVALID_PAYLOAD);
            bad.put("re/nomatch", "temperature 21".getBytes(StandardCharsets.UTF_8));
            why.put("re/nomatch", DeadLetterReason.INVALID_PAYLOAD);
            bad.put("re/notanumber", "id=3 temp=warm".getBytes(StandardCharsets.UTF_8));
            why.put("re/notanumber", DeadLetterReason.TYPE_MISMATCH);
            bad.put("csv/short", "1,20.5,40\n2,21".getBytes(StandardCharsets.UTF_8));
            why.put("csv/short", DeadLetterReason.INVALID_PAYLOAD);
            bad.put("plain/empty", "  ".getBytes(StandardCharsets.UTF_8));
            why.put("plain/empty", DeadLetterReason.INVALID_PAYLOAD);
            bad.put("plain/text", "warm".getBytes(StandardCharsets.UTF_8));
            why.put("plain/text", DeadLetterReason.TYPE_MISMATCH);
            bad.put("jl/badline", "{\"id\":1,\"v\":1}\n{\"id\":".getBytes(StandardCharsets.UTF_8));
            why.put("jl/badline", DeadLetterReason.INVALID_PAYLOAD);

            Instant now = Instant.now();
            List<FakeMessage> all = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : bad.entrySet()) {
                all.add(transport.publish(e.getKey(), e.getValue(), 1, now));
            }
            all.add(transport.publish("gz/ok", gzGood, 1, now)); // 1 row: power 660, ratio 2.5
            all.add(transport.publish("gz/plainjson", good, 1, now)); // AUTO: not compressed, as it is
            all.add(transport.publish("gz/test", "{\"id\":2,\"v\":1,\"c\":1,\"raw\":1,\"div\":1,\"status\":\"test\"}"
                    .getBytes(StandardCharsets.UTF_8), 1, now)); // filtered
            all.add(transport.publish("gbk/ok", "{\"id\":3,\"name\":\"北区\"}".getBytes(Charset.forName("GBK")), 1, now));
            all.add(transport.publish("re/ok", "dev id=4 temp=-3.5 x".getBytes(StandardCharsets.UTF_8), 1, now));
            all.add(transport.publish("csv/ok", "5,20.5,40\r\n6,\"21.5\",41\n".getBytes(StandardCharsets.UTF_8), 1, now));
            all.add(transport.publish("plain/m7", " 23.5\n".getBytes(StandardCharsets.UTF_8), 1, now));
            all.add(transport.publish("jl/ok", "{\"id\":8,\"v\":1}\n{\"id\":9,\"v\":2}".getBytes(StandardCharsets.UTF_8),
                    1, now));
            await().atMost(Duration.ofSeconds(20)).until(() -> all.stream().allMatch(FakeMessage::acked));

            assertThat(p.state()).isEqualTo(PipelineState.RUNNING);
            assertThat(dead).extracting(DeadLetter::topic).containsExactlyInAnyOrderElementsOf(bad.keySet());
            for (DeadLetter d : dead) {
                assertThat(d.reason()).as(d.topic() + " -> " + d.message()).isEqualTo(why.get(d.topic()));
            }
            assertThat(messageOf(dead, "gz/overflow")).contains("field 'power' (expression 'voltage * current')")
                    .contains("10000000000");
            assertThat(messageOf(dead, "gz/divzero")).contains("field 'ratio' (expression 'raw / div')")
                    .contains("division by zero (5.0 / 0.0)");
            assertThat(messageOf(dead, "gbk/invalid")).contains("not valid GBK").contains("at offset 16");
            assertThat(messageOf(dead, "csv/short")).contains("csv line 2 has 2 fields");
            assertThat(messageOf(dead, "re/notanumber")).contains("field 'temp'").contains("warm");
            List<Row> rows = sink.rows();
            assertThat(rows).hasSize(9); // gz 2, gbk 1, re 1, csv 2, plain 1, jl 2
            Row power = rows.stream().filter(r -> r.subTable().equals("d1")).findFirst().orElseThrow();
            assertThat(power.column("power")).isEqualTo(660L);
            assertThat(power.column("ratio")).isEqualTo(2.5);
            assertThat(rows.stream().filter(r -> r.subTable().equals("d3")).findFirst().orElseThrow().column("name"))
                    .isEqualTo("北区");
            assertThat(rows.stream().filter(r -> r.subTable().equals("d4")).findFirst().orElseThrow().column("temp"))
                    .isEqualTo(-3.5);
            assertThat(rows).extracting(Row::subTable).contains("d5", "d6", "dm7", "d8", "d9");
            assertThat(p.metrics().rowsFiltered()).isEqualTo(1);
            assertThat(p.metrics().deadLetters()).isEqualTo(bad.size());
        } finally {
            p.close();
        }
    }

    private static String messageOf(List<DeadLetter> dead, String topic) {
        return dead.stream().filter(d -> d.topic().equals(topic)).findFirst().orElseThrow().message();
    }

    private static byte[] gzip(byte[] b) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }
}
