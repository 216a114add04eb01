package io.github.mqtt2tdengine.payload;

import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;

/** Checks field paths when a spec is built; the mapping compiles them again into its fast form. */
final class JsonPaths {
    private JsonPaths() {
    }

    /**
     * Checks that a path is a JSONPath.
     *
     * @param what what the path is, for the message
     * @param path the path
     * @throws IllegalArgumentException naming the path if it does not compile
     */
    static void check(String what, String path) {
        try {
            JsonPath.compile(path);
        } catch (InvalidPathException | IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " '" + path + "' is not a valid JSONPath: " + e.getMessage(), e);
        }
    }
}
