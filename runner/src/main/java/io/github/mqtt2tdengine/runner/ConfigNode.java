package io.github.mqtt2tdengine.runner;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One object of the config file: typed getters that name the key's path in every error, and a check that no key was
 * left unread (unknown keys are errors, not silently ignored). Not API.
 */
final class ConfigNode {
    /** Keys whose values never appear in an error message. */
    private static final Set<String> SECRET_KEYS = Set.of("password", "clientKey");

    private final String path;
    private final JsonNode node;
    private final Set<String> read = new HashSet<>();
    /** Relaxed: keys match ignoring case, dashes and underscores, and numbers and booleans may be text (properties). */
    private final boolean relaxed;
    /** In relaxed mode, each key's canonical form to the key as written. */
    private final Map<String, String> canonical = new HashMap<>();

    ConfigNode(String path, JsonNode node) {
        this(path, node, false);
    }

    ConfigNode(String path, JsonNode node, boolean relaxed) {
        this.path = path;
        this.node = node;
        this.relaxed = relaxed;
        if (!node.isObject()) {
            throw new ConfigException(where() + " must be an object, but was " + describe(node));
        }
        if (relaxed) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                String k = it.next();
                String previous = canonical.put(canonical(k), k);
                if (previous != null) {
                    throw new ConfigException(key(k) + " and " + key(previous) + " name the same key");
                }
            }
        }
    }

    /** A key without case, dashes and underscores: {@code client-id}, {@code clientId}, {@code CLIENT_ID} alike. */
    static String canonical(String key) {
        return key.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    /** The key as written in the node, for a key as the code names it. */
    private String actual(String name) {
        return relaxed ? canonical.getOrDefault(canonical(name), name) : name;
    }

    /** Whether this node came from properties (relaxed keys, text values). */
    boolean relaxed() {
        return relaxed;
    }

    String where() {
        return path.isEmpty() ? "config" : path;
    }

    String key(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    boolean has(String name) {
        name = actual(name);
        read.add(name);
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    private JsonNode get(String name) {
        name = actual(name);
        read.add(name);
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v;
    }

    String string(String name, String fallback) {
        JsonNode v = get(name);
        if (v == null) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw new ConfigException(key(name) + " must be a string, but was " + (SECRET_KEYS.contains(name)
                    ? "a " + v.getNodeType().name().toLowerCase(Locale.ROOT) : describe(v)));
        }
        return v.textValue();
    }

    String requiredString(String name) {
        String s = string(name, null);
        if (s == null) {
            throw new ConfigException(key(name) + " is required");
        }
        return s;
    }

    /** A string, or the contents of a file when it starts with '@' (PEM material). */
    String contentOrFile(String name) {
        String s = string(name, null);
        if (s == null || !s.startsWith("@")) {
            return s;
        }
        Path file = Path.of(s.substring(1));
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(key(name) + ": file '" + file + "' cannot be read: " + e, e);
        }
    }

    Integer integer(String name, Integer fallback) {
        JsonNode v = get(name);
        if (v == null) {
            return fallback;
        }
        if (relaxed && v.isTextual()) {
            try {
                return Integer.valueOf(v.textValue().trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(key(name) + " must be a whole number, but was " + describe(v), e);
            }
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ConfigException(key(name) + " must be a whole number, but was " + describe(v));
        }
        return v.intValue();
    }

    Boolean bool(String name, Boolean fallback) {
        JsonNode v = get(name);
        if (v == null) {
            return fallback;
        }
        if (relaxed && v.isTextual() && (v.textValue().equalsIgnoreCase("true")
                || v.textValue().equalsIgnoreCase("false"))) {
            return Boolean.valueOf(v.textValue());
        }
        if (!v.isBoolean()) {
            throw new ConfigException(key(name) + " must be true or false, but was " + describe(v));
        }
        return v.booleanValue();
    }

    ConfigNode object(String name) {
        JsonNode v = get(name);
        return v == null ? null : new ConfigNode(key(name), v, relaxed);
    }

    List<ConfigNode> objects(String name) {
        JsonNode v = get(name);
        List<ConfigNode> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!v.isArray()) {
            throw new ConfigException(key(name) + " must be a list, but was " + describe(v));
        }
        for (int i = 0; i < v.size(); i++) {
            out.add(new ConfigNode(key(name) + "[" + i + "]", v.get(i), relaxed));
        }
        return out;
    }

    /** A list of strings, or null when absent. */
    List<String> strings(String name) {
        JsonNode v = get(name);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            throw new ConfigException(key(name) + " must be a list of strings, but was " + describe(v));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw new ConfigException(key(name) + "[" + i + "] must be a string, but was " + describe(v.get(i)));
            }
            out.add(v.get(i).textValue());
        }
        return out;
    }

    <E extends Enum<E>> E enumValue(String name, Class<E> type, E fallback) {
        String s = string(name, null);
        if (s == null) {
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s.replace('-', '_'))) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        throw new ConfigException(key(name) + " must be one of " + names + ", but was '" + s + "'");
    }

    /** Fails when the object has keys nobody read. */
    void noUnknownKeys() {
        Set<String> unknown = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!read.contains(k)) {
                unknown.add(key(k));
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown key" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + " (see the README's configuration table)");
        }
    }

    private static String describe(JsonNode v) {
        String s = v.toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
