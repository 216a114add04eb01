package io.github.mqtt2tdengine.internal.payload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
                // interned: Jackson interns field names, so the lookup's equals succeeds on identity
                steps.add(path.substring(start, i).intern());
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
                    steps.add(name.intern());
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
        /** Per step: the field name, or null for an array index. */
        private final String[] names;
        private final int[] indexes;

        SimplePath(String text, Object[] steps) {
            this.text = text;
            this.names = new String[steps.length];
            this.indexes = new int[steps.length];
            for (int i = 0; i < steps.length; i++) {
                if (steps[i] instanceof String) {
                    names[i] = (String) steps[i];
                } else {
                    indexes[i] = (Integer) steps[i];
                }
            }
        }

        /** Per step: the field name, or null for an array index. */
        String[] names() {
            return names.clone();
        }

        @Override
        public JsonNode read(JsonNode root) {
            // class checks rather than JsonNode's virtual isObject()/isArray(): this runs for every field of every
            // message
            JsonNode node = root;
            for (int i = 0; i < names.length && node != null; i++) {
                String name = names[i];
                if (name != null) {
                    node = node instanceof ObjectNode ? ((ObjectNode) node).get(name) : null;
                } else {
                    node = node instanceof ArrayNode ? ((ArrayNode) node).get(indexes[i]) : null;
                }
            }
            return node == null || node instanceof NullNode || node instanceof MissingNode ? null : node;
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
