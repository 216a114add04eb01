package io.github.mqtt2tdengine.payload;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mqtt2tdengine.Preview;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.FakeTransport;
import io.github.mqtt2tdengine.spi.Row;
import io.github.mqtt2tdengine.spi.SchemaColumn;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Generated payloads (seeded, so failures reproduce): mapping never throws anything but a mapping error, and never
 * yields a row value that breaks its column type.
 */
class MappingPropertyTest {
    private static final long SEED = 20261124L;
    private static final int CASES = 4000;
    private static final List<ColumnType> TYPES = List.of(ColumnType.BOOL, ColumnType.TINYINT, ColumnType.SMALLINT,
            ColumnType.INT, ColumnType.BIGINT, ColumnType.TINYINT_UNSIGNED, ColumnType.SMALLINT_UNSIGNED,
            ColumnType.INT_UNSIGNED, ColumnType.BIGINT_UNSIGNED, ColumnType.FLOAT, ColumnType.DOUBLE,
            ColumnType.varchar(12), ColumnType.nchar(5), ColumnType.varbinary(6), ColumnType.TIMESTAMP);

    private final Random random = new Random(SEED);

    private SyncPipeline pipeline() {
        PayloadSpec.Builder spec = PayloadSpec.json().tag("id", "$.id", ColumnType.varchar(40));
        for (int i = 0; i < TYPES.size(); i++) {
            spec.column("c" + i, "$.c" + i, TYPES.get(i));
        }
        return SyncPipeline.builder().name("prop").source(new FakeTransport()).sink(new FakeSink())
                .payload(spec.build()).superTable("st").subTableTemplate("d{id}").build();
    }

    @Test
    void generatedPayloads_mapToValidRowsOrMappingErrors() {
        SyncPipeline p = pipeline();
        int ok = 0;
        int errors = 0;
        for (int n = 0; n < CASES; n++) {
            StringBuilder json = new StringBuilder("{\"id\":").append(random.nextInt(10) > 0 ? "\"dev" + n + "\""
                    : value(0));
            for (int i = 0; i < TYPES.size(); i++) {
                if (random.nextInt(5) > 0) {
                    json.append(",\"c").append(i).append("\":")
                            .append(random.nextInt(100) < 85 ? plausible(TYPES.get(i)) : value(0));
                }
            }
            json.append('}');
            Preview preview = p.preview("t/" + n, json.toString());
            if (preview.isOk()) {
                ok++;
                for (Row row : preview.rows()) {
                    checkRow(row, json.toString());
                }
            } else {
                errors++;
                assertThat(preview.error().orElseThrow().getMessage()).startsWith("Pipeline 'prop': ")
                        .endsWith("in message on topic 't/" + n + "'");
            }
        }
        assertThat(ok).as("some payloads map").isGreaterThan(CASES / 20);
        assertThat(errors).as("some payloads fail").isGreaterThan(CASES / 20);
    }

    @Test
    void randomBytes_areMappingErrorsNeverCrashes() {
        SyncPipeline p = pipeline();
        for (int n = 0; n < CASES; n++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            if (random.nextBoolean() && bytes.length > 2) {
                bytes[0] = '{';
            }
            Preview preview = p.preview("t", bytes);
            assertThat(preview.isOk() || preview.error().isPresent()).isTrue();
        }
    }

    private static void checkRow(Row row, String json) {
        assertThat(row.subTable()).as(json).isNotEmpty().doesNotContain(".", "`");
        assertThat(row.subTable().getBytes(StandardCharsets.UTF_8).length).as(json).isLessThanOrEqualTo(192);
        List<SchemaColumn> cols = row.schema().columns();
        for (int i = 0; i < cols.size(); i++) {
            Object v = row.column(i);
            if (v == null) {
                continue;
            }
            ColumnType t = cols.get(i).type();
            assertThat(t.accepts(v)).as(cols.get(i) + " <- " + v + " in " + json).isTrue();
            ColumnType.Kind k = t.kind();
            if (k.isInteger() && k != ColumnType.Kind.BIGINT_UNSIGNED) {
                assertThat((Long) v).as(json).isBetween(k.minValue(), k.maxValue());
            } else if (k == ColumnType.Kind.FLOAT) {
                assertThat(Float.isFinite((Float) v)).as(json).isTrue();
            } else if (k == ColumnType.Kind.DOUBLE) {
                assertThat(Double.isFinite((Double) v)).as(json).isTrue();
            } else if (k == ColumnType.Kind.VARCHAR) {
                assertThat(((String) v).getBytes(StandardCharsets.UTF_8).length).as(json).isLessThanOrEqualTo(t.length());
            } else if (k == ColumnType.Kind.NCHAR) {
                assertThat(((String) v).codePointCount(0, ((String) v).length())).as(json)
                        .isLessThanOrEqualTo(t.length());
            } else if (k == ColumnType.Kind.VARBINARY) {
                assertThat(((byte[]) v).length).as(json).isLessThanOrEqualTo(t.length());
            }
        }
    }

    private String plausible(ColumnType type) {
        switch (type.kind()) {
            case BOOL:
                return random.nextBoolean() ? "true" : "0";
            case FLOAT:
            case DOUBLE:
                return Double.toString(random.nextGaussian() * 100);
            case VARCHAR:
            case NCHAR:
                return "\"" + "abc温".substring(0, random.nextInt(4)) + "\"";
            case VARBINARY:
                return "\"xyz\"";
            case TIMESTAMP:
                return Long.toString(1764000000123L + random.nextInt(1000));
            default:
                return Integer.toString(random.nextInt(100));
        }
    }

    private String value(int depth) {
        switch (random.nextInt(depth > 2 ? 9 : 11)) {
            case 0:
                return "null";
            case 1:
                return random.nextBoolean() ? "true" : "false";
            case 2:
                return Long.toString(random.nextInt(600) - 300);
            case 3:
                return Long.toString(random.nextLong());
            case 4:
                return Double.toString((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(80) - 20));
            case 5:
                return "\"" + text() + "\"";
            case 6:
                return "\"" + (random.nextInt(2000) - 1000) + "\"";
            case 7:
                return random.nextBoolean() ? "\"NaN\"" : "\"-Infinity\"";
            case 8:
                return "18446744073709551615";
            case 9:
                return "{\"k\":" + value(depth + 1) + "}";
            default:
                return "[" + value(depth + 1) + "," + value(depth + 1) + "]";
        }
    }

    private String text() {
        String alphabet = "ab.`'\\\\\"-;温😀 \u00e9";
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(20);
        for (int i = 0; i < n; i++) {
            int c = random.nextInt(alphabet.length());
            char ch = alphabet.charAt(c);
            if (ch == '\\') {
                sb.append("\\\\");
            } else if (ch == '"') {
                sb.append("\\\"");
            } else if (Character.isHighSurrogate(ch) && c + 1 < alphabet.length()) {
                sb.append(ch).append(alphabet.charAt(c + 1));
            } else if (!Character.isLowSurrogate(ch)) {
                sb.append(ch);
            }
        }
        return sb.toString();
    }
}
