package io.github.mqtt2tdengine.internal.payload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles JSONPaths: simple ones ({@code $.a.b}, {@code $['a b']}, {@code $.a[0].b}) to direct Jackson navigation,
 * the rest to Jayway JsonPath over Jackson's tree. Both give the same answers (a test checks them on one corpus).
 * Not API; may change in any release.
 */
public final class PathCompiler {
    private static final ObjectMapper MAPPER = JsonPayloadParser.MAPPER;
    private static final Configuration JAYWAY = Configuration.builder()
            .jsonProvider(new JacksonJsonNodeJsonProvider(MAPPER))
            .mappingProvider(new JacksonMappingProvider(MAPPER))
            .build();

    private PathCompiler() {
    }

    /**
     * Checks that a path compiles.
     *
     * @param what what the path is, for the message
     * @param path the path
     * @throws IllegalArgumentException naming the path if it does not compile
     */
    public static void check(String what, String path) {
        compile(what, path);
    }

    /**
     * Compiles a path.
     *
     * @param what what the path is, for the message
     * @param path the path
     * @return the compiled path
     * @throws IllegalArgumentException naming the path if it does not compile
     */
    public static CompiledPath compile(String what, String path) {
        List<Object> steps = parseSimple(path);
        if (steps != null) {
            return new SimplePath(path, steps.toArray());
        }
        return compileJayway(what, path);
    }

    /**
     * Compiles a path with Jayway only (the reference the simple paths are tested against).
     *
     * @param what what the path is, for the message
     * @param path the path
     * @return the compiled path
     */
    static CompiledPath compileJayway(String what, String path) {
        try {
            return new JaywayPath(path, JsonPath.compile(path));
        } catch (InvalidPathException | IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " '" + path + "' is not a valid JSONPath: " + e.getMessage(), e);
        }
    }

    /**
     * Parses {@code $}, {@code .name}, {@code ['name']} and {@code [index]} steps; null when the path is not simple.
     */
    static List<Object> parseSimple(String path) {
        if (path.isEmpty() || path.charAt(0) != '$') {
            return null;
        }
        List<Object> steps = new ArrayList<>();
        int i = 1;
        int n = path.length();
        while (i < n) {
            char c = path.charAt(i);
            if (c == '.') {
                int start = ++i;
                while (i < n && isNameChar(path.charAt(i))) {
                    i++;
                }
                if (i == start || Character.isDigit(path.charAt(start))) {
                    return null;
                }
                steps.add(path.substring(start, i));
            } else if (c == '[') {
                int close = path.indexOf(']', i);
                if (close < 0) {
                    return null;
                }
                String inner = path.substring(i + 1, close);
                if (inner.length() >= 2 && (inner.charAt(0) == '\'' || inner.charAt(0) == '"')
                        && inner.charAt(inner.length() - 1) == inner.charAt(0)) {
                    String name = inner.substring(1, inner.length() - 1);
                    if (name.isEmpty() || name.indexOf('\'') >= 0 || name.indexOf('"') >= 0
                            || name.indexOf('\\') >= 0 || name.indexOf(',') >= 0) {
                        return null;
                    }
                    steps.add(name);
                } else if (!inner.isEmpty() && inner.length() <= 9 && inner.chars().allMatch(Character::isDigit)) {
                    steps.add(Integer.parseInt(inner));
                } else {
                    return null;
                }
                i = close + 1;
            } else {
                return null;
            }
        }
        return steps;
    }

    private static boolean isNameChar(char c) {
        return c == '_' || c == '-' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** Direct navigation for simple paths. */
    static final class SimplePath implements CompiledPath {
        private final String text;
        private final Object[] steps;

        SimplePath(String text, Object[] steps) {
            this.text = text;
            this.steps = steps;
        }

        @Override
        public JsonNode read(JsonNode root) {
            JsonNode node = root;
            for (Object step : steps) {
                if (node == null) {
                    return null;
                }
                if (step instanceof String) {
                    node = node.isObject() ? node.get((String) step) : null;
                } else {
                    node = node.isArray() ? node.get((Integer) step) : null;
                }
            }
            return node == null || node.isNull() || node.isMissingNode() ? null : node;
        }

        @Override
        public boolean definite() {
            return true;
        }

        @Override
        public String text() {
            return text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Jayway JsonPath over Jackson's tree, for everything else. */
    static final class JaywayPath implements CompiledPath {
        private final String text;
        private final JsonPath path;

        JaywayPath(String text, JsonPath path) {
            this.text = text;
            this.path = path;
        }

        @Override
        public JsonNode read(JsonNode root) {
            Object result;
            try {
                result = path.read(root, JAYWAY);
            } catch (PathNotFoundException e) {
                return null;
            }
            if (result == null) {
                return null;
            }
            JsonNode node = result instanceof JsonNode ? (JsonNode) result : MAPPER.valueToTree(result);
            return node.isNull() || node.isMissingNode() ? null : node;
        }

        @Override
        public boolean definite() {
            return path.isDefinite();
        }

        @Override
        public String text() {
            return text;
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
