package io.github.mqtt2tdengine.internal.payload;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.errors.PayloadException;
import io.github.mqtt2tdengine.payload.PayloadParser;
import java.io.IOException;

/**
 * The JSON payload parser on Jackson. Not API; may change in any release.
 */
public final class JsonPayloadParser implements PayloadParser {
    /** Deepest nesting accepted. */
    public static final int MAX_NESTING_DEPTH = 1000;
    /** Shared, thread-safe mapper. */
    static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                    // FastDoubleParser: correctly rounded like Double.parseDouble, several times faster
                    .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                    .enable(StreamReadFeature.USE_FAST_BIG_NUMBER_PARSER)
                    .build())
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Reads trees with its root deserializer resolved once (the mapper looks it up in a map per call). */
    private static final ObjectReader TREE_READER = MAPPER.readerFor(JsonNode.class);

    /** The one instance: the built-in JSON parser ({@code PayloadSpec.json()}). */
    public static final JsonPayloadParser INSTANCE = new JsonPayloadParser();

    private JsonPayloadParser() {
    }

    /**
     * Parses to Jackson's tree (the engine's fast path).
     *
     * @param payload the bytes
     * @return the root
     * @throws PayloadException with reason INVALID_PAYLOAD
     */
    public JsonNode parseTree(byte[] payload) {
        if (payload.length == 0) {
            throw empty();
        }
        try {
            JsonNode node = TREE_READER.readValue(payload);
            if (node == null || node.isMissingNode()) {
                throw whitespace();
            }
            return node;
        } catch (JsonProcessingException e) {
            throw invalid(e);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    static PayloadException empty() {
        return new PayloadException(DeadLetterReason.INVALID_PAYLOAD, "payload is empty, not JSON");
    }

    static PayloadException whitespace() {
        return new PayloadException(DeadLetterReason.INVALID_PAYLOAD, "payload holds only whitespace, not JSON");
    }

    static PayloadException invalid(JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        String where = loc == null ? "" : " at byte " + loc.getByteOffset();
        return new PayloadException(DeadLetterReason.INVALID_PAYLOAD,
                "payload is not valid JSON" + where + ": " + e.getOriginalMessage(), null);
    }

    static PayloadException unreadable(IOException e) {
        return new PayloadException(DeadLetterReason.INVALID_PAYLOAD, "payload could not be read: " + e, null);
    }

    @Override
    public Object parse(String topic, byte[] payload) {
        JsonNode node = parseTree(payload);
        return MAPPER.convertValue(node, Object.class);
    }

    /**
     * Turns a tree from another parser (maps, lists, values) into Jackson's tree.
     *
     * @param tree the tree
     * @return Jackson's tree
     */
    public static JsonNode toTree(Object tree) {
        return tree instanceof JsonNode ? (JsonNode) tree : MAPPER.valueToTree(tree);
    }

    @Override
    public String toString() {
        return "json";
    }
}
