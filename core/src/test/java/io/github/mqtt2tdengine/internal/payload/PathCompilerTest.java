package io.github.mqtt2tdengine.internal.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Simple paths navigate Jackson directly; they must answer exactly as Jayway does. */
class PathCompilerTest {
    private static final List<String> CORPUS = List.of(
            "{\"a\":{\"b\":1.5,\"c\":[10,{\"d\":\"x\"}],\"n\":null},\"e\":[[1,2],[3]],\"s p\":true,\"k-1\":2}",
            "{\"a\":[1,2,3],\"e\":{\"0\":1}}",
            "{\"a\":{\"b\":{\"b\":\"deep\"}},\"c\":\"str\"}",
            "[{\"a\":1},{\"a\":2}]",
            "\"just a string\"",
            "42",
            "{}");
    private static final List<String> PATHS = List.of("$", "$.a", "$.a.b", "$.a.c[0]", "$.a.c[1].d", "$.a.c[5]",
            "$.a.n", "$.a.missing", "$.e[0][1]", "$.e[1][0]", "$['s p']", "$[\"a\"]['b']", "$.k-1", "$.a[1]",
            "$[0].a", "$[1]", "$.e.0", "$.c.x", "$.a.b.b");

    private static JsonNode json(String text) {
        return JsonPayloadParser.INSTANCE.parseTree(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void simplePaths_areCompiledWithoutJayway_andAnswerLikeJayway() {
        int compared = 0;
        for (String path : PATHS) {
            if (path.equals("$.e.0")) {
                assertThat(PathCompiler.parseSimple(path)).as(path).isNull();
                continue;
            }
            CompiledPath simple = PathCompiler.compile("test", path);
            CompiledPath jayway = PathCompiler.compileJayway("test", path);
            assertThat(simple).as(path).isInstanceOf(PathCompiler.SimplePath.class);
            for (String doc : CORPUS) {
                JsonNode root = json(doc);
                assertThat(simple.read(root)).as(path + " on " + doc).isEqualTo(jayway.read(root));
                compared++;
            }
        }
        assertThat(compared).isEqualTo((PATHS.size() - 1) * CORPUS.size());
    }

    @Test
    void complexPaths_useJayway() {
        CompiledPath p = PathCompiler.compile("test", "$.readings[*].v");
        assertThat(p).isInstanceOf(PathCompiler.JaywayPath.class);
        assertThat(p.definite()).isFalse();
        assertThat(p.read(json("{\"readings\":[{\"v\":1},{\"v\":2}]}")).toString()).isEqualTo("[1,2]");
        CompiledPath filter = PathCompiler.compile("test", "$.items[?(@.k == 'x')].v");
        assertThat(filter.read(json("{\"items\":[{\"k\":\"y\",\"v\":1},{\"k\":\"x\",\"v\":2}]}")).toString())
                .isEqualTo("[2]");
        assertThat(PathCompiler.compile("test", "$..v").read(json("{\"a\":{\"v\":3}}")).toString()).isEqualTo("[3]");
    }

    @Test
    void invalidPath_namesIt() {
        assertThatThrownBy(() -> PathCompiler.compile("JSONPath of field 'x'", "$.a[?(@.b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("JSONPath of field 'x' '$.a[?(@.b' is not a valid JSONPath: ");
    }
}
