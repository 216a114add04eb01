package io.github.mqtt2tdengine.internal.payload;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.errors.PayloadException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the values of simple name paths ({@code $.a}, {@code $.a.b}, {@code $['a b']}) from a JSON payload in one
 * streaming pass, without building the payload's tree: only the values a path selects become nodes, everything else
 * is tokenized (so the whole payload is still checked: syntax, UTF-8, nesting depth, trailing content) and skipped.
 * Its answers equal {@link JsonPayloadParser#parseTree} followed by each path's {@link CompiledPath#read} (a test
 * compares them on a corpus): the same node classes, JSON null as null, a repeated key's last value, nothing below a
 * value that is not an object. Thread-safe. Not API; may change in any release.
 */
final class JsonFieldReader {
    /** Reads an object or array value the reader stands on (trailing tokens belong to the enclosing payload). */
    private static final ObjectReader SUBTREE = JsonPayloadParser.MAPPER.readerFor(JsonNode.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonNodeFactory NODES = JsonPayloadParser.MAPPER.getNodeFactory();

    private final Step root = new Step(null);
    private final int paths;

    /** A name step; its children are the next steps of the paths through it. */
    private static final class Step {
        final String name;
        int[] ends = new int[0];
        int[] below = new int[0];
        Step[] children = new Step[0];
        /** The children by name, for {@link #read}: a payload's every key is looked up here. */
        Map<String, Step> byName = Map.of();

        Step(String name) {
            this.name = name;
        }

        Step child(String fieldName) {
            for (Step c : children) {
                if (c.name.equals(fieldName)) {
                    return c;
                }
            }
            return null;
        }

        /** Fills {@link #byName} here and below, once every path is added. */
        void index() {
            Map<String, Step> m = new HashMap<>(children.length * 2);
            for (Step c : children) {
                m.put(c.name, c);
                c.index();
            }
            byName = m;
        }
    }

    private JsonFieldReader(int paths) {
        this.paths = paths;
    }

    /**
     * Builds a reader for the paths, or returns null when one of them is not a chain of names from the root (an
     * index, a wildcard, a filter, the root itself) or is a prefix of another: those read the tree.
     *
     * @param paths the paths; the reader's answer has one slot per path, in this order
     * @return the reader, or null
     */
    static JsonFieldReader of(List<CompiledPath> paths) {
        JsonFieldReader reader = new JsonFieldReader(paths.size());
        for (int slot = 0; slot < paths.size(); slot++) {
            if (!(paths.get(slot) instanceof PathCompiler.SimplePath simple)) {
                return null;
            }
            String[] names = simple.names();
            if (names.length == 0) {
                return null;
            }
            Step step = reader.root;
            for (String name : names) {
                if (name == null) {
                    return null;
                }
                Step next = step.child(name);
                if (next == null) {
                    next = new Step(name);
                    step.children = append(step.children, next);
                }
                next.below = append(next.below, slot);
                step = next;
            }
            step.ends = append(step.ends, slot);
        }
        if (reader.hasPrefix(reader.root)) {
            return null;
        }
        reader.root.index();
        return reader;
    }

    private boolean hasPrefix(Step step) {
        for (Step c : step.children) {
            if ((c.ends.length > 0 && c.children.length > 0) || hasPrefix(c)) {
                return true;
            }
        }
        return false;
    }

    private static int[] append(int[] a, int v) {
        int[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }

    private static Step[] append(Step[] a, Step v) {
        Step[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }

    /**
     * Reads the paths' values.
     *
     * @param payload the JSON bytes
     * @return per path (in the order given to {@link #of}), its value, or null when absent or JSON null
     * @throws PayloadException with reason INVALID_PAYLOAD, as {@link JsonPayloadParser#parseTree} words it
     */
    JsonNode[] read(byte[] payload) {
        if (payload.length == 0) {
            throw JsonPayloadParser.empty();
        }
        JsonNode[] values = new JsonNode[paths];
        try (JsonParser p = JsonPayloadParser.MAPPER.createParser(payload)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw JsonPayloadParser.whitespace();
            }
            if (first == JsonToken.START_OBJECT) {
                readObject(p, root, values);
            } else if (first.isStructStart()) {
                p.skipChildren();
            }
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw new PayloadException(DeadLetterReason.INVALID_PAYLOAD, "payload is not valid JSON at byte "
                        + p.currentTokenLocation().getByteOffset() + ": trailing token (" + trailing
                        + ") after the JSON value", null);
            }
            return values;
        } catch (JsonProcessingException e) {
            throw JsonPayloadParser.invalid(e);
        } catch (IOException e) {
            throw JsonPayloadParser.unreadable(e);
        }
    }

    private static void readObject(JsonParser p, Step step, JsonNode[] values) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            Step c = step.byName.get(p.currentName()); // a HashMap: Jackson's names keep their hash codes
            JsonToken t = p.nextToken();
            if (c == null) {
                p.skipChildren(); // a no-op on scalars
                continue;
            }
            for (int slot : c.below) {
                values[slot] = null; // a repeated key: its last value wins, as in the tree
            }
            if (c.children.length > 0) {
                if (t == JsonToken.START_OBJECT) {
                    readObject(p, c, values);
                } else {
                    p.skipChildren(); // not an object: nothing below it
                }
            } else {
                JsonNode v = value(p, t);
                for (int slot : c.ends) {
                    values[slot] = v;
                }
            }
        }
    }

    /** The node Jackson's tree deserializer makes for the value (same classes); null for JSON null. */
    private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_STRING:
                return TextNode.valueOf(p.getText());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                        return NODES.numberNode(p.getIntValue());
                    case LONG:
                        return NODES.numberNode(p.getLongValue());
                    default:
                        return NODES.numberNode(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
                return BooleanNode.TRUE;
            case VALUE_FALSE:
                return BooleanNode.FALSE;
            case VALUE_NULL:
                return null;
            default:
                JsonNode tree = SUBTREE.readTree(p);
                return tree == null || tree.isNull() || tree.isMissingNode() ? null : tree;
        }
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        for (Step c : root.children) {
            names.add(c.name);
        }
        return "JsonFieldReader" + names;
    }
}
