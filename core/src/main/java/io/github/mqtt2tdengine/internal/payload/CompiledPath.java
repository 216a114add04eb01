package io.github.mqtt2tdengine.internal.payload;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A JSONPath compiled once, read many times. Not API; may change in any release.
 */
public interface CompiledPath {

    /**
     * Reads the path.
     *
     * @param root the node to read from
     * @return the value, or null when the path is absent or its value is JSON null; for indefinite paths an array
     *     of all matches
     */
    JsonNode read(JsonNode root);

    /**
     * Returns whether the path selects at most one value.
     *
     * @return true for definite paths
     */
    boolean definite();

    /**
     * Returns the path as written.
     *
     * @return the text
     */
    String text();
}
