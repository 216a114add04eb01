package io.github.mqtt2tdengine.settings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Null-tolerant immutable copies for the records' list components. */
final class Copies {
    private Copies() {
    }

    /** An unmodifiable copy, null for null; elements may be null (the mapper names such an element). */
    static <T> List<T> list(List<T> list) {
        return list == null ? null : Collections.unmodifiableList(new ArrayList<>(list));
    }

    /** A JDBC URL without its query string, where driver options (tokens, passwords) live. */
    static String withoutQuery(String url) {
        if (url == null) {
            return null;
        }
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?****";
    }
}
