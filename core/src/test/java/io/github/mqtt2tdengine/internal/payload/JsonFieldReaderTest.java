package io.github.mqtt2tdengine.internal.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.errors.PayloadException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The streaming field reader must answer exactly as the tree and the compiled paths do. */
class JsonFieldReaderTest {
    private static final List<String> PATHS = List.of("$.a", "$.b.c", "$.b.d", "$['s p']", "$.e.f.g", "$.n", "$.a");
    private static final List<String> CORPUS = List.of(
            "{\"a\":1,\"b\":{\"c\":\"x\",\"d\":2.5},\"s p\":true,\"e\":{\"f\":{\"g\":[1,{\"h\":2}]}},\"n\":null}",
            "{\"a\":{\"k\":[1,2]},\"b\":5,\"e\":{\"f\":\"scalar\"}}",
            "{\"a\":1,\"a\":2,\"b\":{\"c\":1,\"d\":2},\"b\":{\"c\":3}}",
            "{\"b\":{\"c\":1},\"b\":7}",
            "{\"a\":12345678901,\"b\":{\"c\":123456789012345678901234567890,\"d\":-0.0},\"n\":1e308}",
            "{\"a\":\"\",\"b\":{\"c\":false,\"d\":null},\"x\":{\"a\":1,\"b\":{\"c\":2}},\"s p\":[{\"a\":1}]}",
            "{\"a\":\"\\u00e9\\n\\\"q\",\"z\":[[[[{}]]]],\"b\":[{\"c\":1}]}",
            "[{\"a\":1}]",
            "\"text\"",
            "42",
            "null",
            "{}",
            "  {\"a\" : 1 }  \n");
    private static final List<String> INVALID = List.of(
            "{\"a\":1",
            "{\"a\":1} x",
            "{\"a\":1}{}",
            "{\"a\":NaN}",
            "{\"x\":\"\u0000\"}",
            "{\"a\":1,}",
            "[" .repeat(1_500) + "]".repeat(1_500),
            "{\"x\":" + "[".repeat(1_500) + "]".repeat(1_500) + ",\"a\":1}");

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<CompiledPath> compiled(List<String> paths) {
        List<CompiledPath> out = new ArrayList<>();
        for (String p : paths) {
            out.add(PathCompiler.compile("test", p));
        }
        return out;
    }

    private static void assertSameAsTree(JsonFieldReader reader, List<CompiledPath> paths, byte[] doc) {
        JsonNode[] read = reader.read(doc);
        JsonNode root = JsonPayloadParser.INSTANCE.parseTree(doc);
        String text = new String(doc, StandardCharsets.UTF_8);
        for (int i = 0; i < paths.size(); i++) {
            JsonNode expected = paths.get(i).read(root);
            assertThat(read[i]).as(paths.get(i).text() + " on " + text).isEqualTo(expected);
            if (expected != null) {
                assertThat(read[i].getClass()).as(paths.get(i).text() + " on " + text).isEqualTo(expected.getClass());
            }
        }
    }

    @Test
    void answersLikeTheTree_onTheCorpus() {
        List<CompiledPath> paths = compiled(PATHS);
        JsonFieldReader reader = JsonFieldReader.of(paths);
        assertThat(reader).isNotNull();
        for (String doc : CORPUS) {
            assertSameAsTree(reader, paths, bytes(doc));
        }
        JsonNode[] first = reader.read(bytes(CORPUS.get(0)));
        assertThat(first[1].asText()).isEqualTo("x");
        assertThat(first[4].toString()).isEqualTo("[1,{\"h\":2}]");
        assertThat(first[5]).isNull();
        JsonNode[] repeated = reader.read(bytes(CORPUS.get(2)));
        assertThat(repeated[0].asInt()).isEqualTo(2);
        assertThat(repeated[1].asInt()).isEqualTo(3);
        assertThat(repeated[2]).as("the last 'b' has no 'd'").isNull();
    }

    @Test
    void rejectsWhatTheTreeRejects_withTheSameReason() {
        JsonFieldReader reader = JsonFieldReader.of(compiled(List.of("$.a")));
        List<byte[]> bad = new ArrayList<>();
        for (String s : INVALID) {
            bad.add(bytes(s));
        }
        bad.add(new byte[0]);
        bad.add(new byte[] {'{', '"', 'x', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', ',', '"', 'a', '"', ':', '1',
            '}'});
        for (byte[] doc : bad) {
            String text = new String(doc, StandardCharsets.UTF_8);
            PayloadException fromTree = catchThrowableOfType(PayloadException.class,
                    () -> JsonPayloadParser.INSTANCE.parseTree(doc));
            PayloadException fromReader = catchThrowableOfType(PayloadException.class, () -> reader.read(doc));
            assertThat(fromTree).as("tree on " + text).isNotNull();
            assertThat(fromReader).as("reader on " + text).isNotNull();
            assertThat(fromReader.reason()).isEqualTo(DeadLetterReason.INVALID_PAYLOAD);
            assertThat(fromReader.getMessage()).as(text).startsWith(fromTree.getMessage().startsWith("payload is not "
                    + "valid JSON at byte") ? "payload is not valid JSON at byte" : fromTree.getMessage());
        }
        assertThat(catchThrowableOfType(PayloadException.class, () -> reader.read(bytes(" \n "))))
                .hasMessage("payload holds only whitespace, not JSON");
        assertThat(catchThrowableOfType(PayloadException.class, () -> reader.read(bytes("{\"a\":1} x"))))
                .hasMessageStartingWith("payload is not valid JSON at byte 8: ");
        assertThat(catchThrowableOfType(PayloadException.class, () -> reader.read(bytes("{\"a\":1} {}"))))
                .hasMessage("payload is not valid JSON at byte 8: trailing token (START_OBJECT) after the JSON value");
    }

    @Test
    void pathsTheTreeMustRead_getNoReader() {
        assertThat(JsonFieldReader.of(compiled(List.of("$.a", "$.a.b")))).as("a prefix of another").isNull();
        assertThat(JsonFieldReader.of(compiled(List.of("$.a[0]")))).as("an index").isNull();
        assertThat(JsonFieldReader.of(compiled(List.of("$.a[*].v")))).as("a wildcard").isNull();
        assertThat(JsonFieldReader.of(compiled(List.of("$")))).as("the root").isNull();
        assertThat(JsonFieldReader.of(compiled(List.of("$.a", "$.a")))).as("the same path twice").isNotNull();
    }

    /** Random documents over a small alphabet of keys, so that paths hit, miss, repeat and meet non-objects. */
    @Test
    void answersLikeTheTree_onRandomDocuments() {
        List<CompiledPath> paths = compiled(List.of("$.a", "$.b", "$.a2.b", "$.c.a.b", "$.c.b", "$['b c']"));
        JsonFieldReader reader = JsonFieldReader.of(paths);
        Random random = new Random(15);
        for (int i = 0; i < 5_000; i++) {
            StringBuilder doc = new StringBuilder();
            object(random, doc, 0);
            assertSameAsTree(reader, paths, bytes(doc.toString()));
        }
    }

    private static final String[] KEYS = {"a", "b", "c", "a2", "b c", "z"};

    private static void object(Random random, StringBuilder sb, int depth) {
        sb.append('{');
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('"').append(KEYS[random.nextInt(KEYS.length)]).append("\":");
            value(random, sb, depth + 1);
        }
        sb.append('}');
    }

    private static void value(Random random, StringBuilder sb, int depth) {
        switch (random.nextInt(depth > 3 ? 8 : 10)) {
            case 0 -> sb.append(random.nextInt(1000) - 500);
            case 1 -> sb.append(random.nextLong());
            case 2 -> sb.append(random.nextDouble() * 1e6);
            case 3 -> sb.append("\"s").append(random.nextInt(100)).append("\\u00e9\"");
            case 4 -> sb.append(random.nextBoolean());
            case 5 -> sb.append("null");
            case 6 -> sb.append("99999999999999999999999");
            case 7 -> sb.append("1.5e300");
            case 8 -> object(random, sb, depth);
            default -> {
                sb.append('[');
                int n = random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    value(random, sb, depth + 1);
                }
                sb.append(']');
            }
        }
    }
}
