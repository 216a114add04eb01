package io.github.mqtt2tdengine.settings.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mqtt2tdengine.settings.ConfigException;
import io.github.mqtt2tdengine.settings.Mqtt2TdengineSettings;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Binds JSON onto {@link Mqtt2TdengineSettings} with Jackson databind: unknown keys are errors, types are strict (a
 * number is no string, {@code "60"} no number), enum values match ignoring case and dashes, and every error becomes a
 * {@link ConfigException} naming the key's path ({@code routes[3].parser.fildes}) and never a secret's value.
 *
 * <p>In relaxed mode (a tree bound from properties) keys match ignoring case, dashes and underscores, and numbers and
 * booleans may be text. Thread-safe. Not API.
 */
public final class SettingsReader {
    /** Keys whose values never appear in an error message. */
    public static final Set<String> SECRET_KEYS = Set.of("password", "clientKey");
    /** The hint every unknown-key error ends with. */
    public static final String UNKNOWN_KEY_HINT = " (see docs/configuration.md, the configuration reference)";

    private static final String RELAXED = "mqtt2tdengine.relaxed";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper MAPPER = mapper();
    /** A token's text in Jackson's messages ("Unrecognized token 'hunter2'"), masked in ours. */
    private static final Pattern QUOTED = Pattern.compile("'[^']*'");

    private SettingsReader() {
    }

    private static ObjectMapper mapper() {
        SimpleModule strict = new SimpleModule("mqtt2tdengine-strict");
        strict.addDeserializer(String.class, new StrictString());
        strict.addDeserializer(Integer.class, new StrictInteger());
        strict.addDeserializer(Boolean.class, new StrictBoolean());
        strict.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type,
                    BeanDescription beanDesc, JsonDeserializer<?> deserializer) {
                return new LenientEnum(type.getRawClass());
            }
        });
        return new ObjectMapper().registerModule(strict)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    /**
     * Reads JSON text.
     *
     * @param json the text
     * @return the settings
     * @throws ConfigException when the text is not valid JSON or does not fit the settings
     */
    public static Mqtt2TdengineSettings parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            // neither the cause (its message quotes the text around the error) nor a bad token's text: it may be a
            // password written without quotes
            String what = QUOTED.matcher(String.valueOf(e.getOriginalMessage())).replaceAll("'…'");
            throw new ConfigException("config is not valid JSON: " + what + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        }
        if (root == null || root.isMissingNode()) {
            throw new ConfigException("config is empty");
        }
        return bind(root, false);
    }

    /**
     * Reads a tree of maps, lists and scalars, relaxed (keys ignoring case, dashes and underscores; text numbers).
     *
     * @param tree the tree
     * @return the settings
     * @throws ConfigException when the tree does not fit the settings
     */
    public static Mqtt2TdengineSettings fromTree(Map<String, ?> tree) {
        if (tree.isEmpty()) {
            throw new ConfigException("config is empty");
        }
        JsonNode root;
        try {
            root = JSON.valueToTree(tree);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("config tree cannot be read: " + e.getMessage(), e);
        }
        return bind(canonicalKeys(root, Mqtt2TdengineSettings.class, ""), true);
    }

    /**
     * Reads only {@code logLevel} of JSON text, building nothing.
     *
     * @param json the text
     * @return the level in lower case, or null when absent or unreadable
     */
    public static String peekLogLevel(String json) {
        try {
            JsonNode level = JSON.readTree(json).get("logLevel");
            return level != null && level.isTextual() ? level.textValue().toLowerCase(Locale.ROOT) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Mqtt2TdengineSettings bind(JsonNode root, boolean relaxed) {
        if (!root.isObject()) {
            throw new ConfigException("config must be an object, but was " + describe(root, null));
        }
        ObjectReader reader = MAPPER.readerFor(Mqtt2TdengineSettings.class).withAttribute(RELAXED, relaxed);
        try {
            return reader.readValue(root);
        } catch (JsonMappingException e) {
            throw translate(e, root);
        } catch (IOException e) {
            throw new ConfigException("config cannot be read: " + e.getMessage(), e);
        }
    }

    /** A Jackson error as one sentence naming the path, the expectation and the value (never a secret's). */
    private static ConfigException translate(JsonMappingException e, JsonNode root) {
        StringBuilder path = new StringBuilder();
        JsonNode node = root;
        String last = null;
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
                node = node == null ? null : node.get(r.getFieldName());
                last = r.getFieldName();
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
                node = node == null ? null : node.get(r.getIndex());
            }
        }
        String key = path.length() == 0 ? "config" : path.toString();
        if (e instanceof UnrecognizedPropertyException) {
            return new ConfigException("unknown key " + key + UNKNOWN_KEY_HINT, e);
        }
        String expected = e.getOriginalMessage();
        if (expected == null || !expected.startsWith("must ")) {
            Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
            if (target != null && target.isRecord()) {
                expected = "must be an object";
            } else if (target != null && Collection.class.isAssignableFrom(target)) {
                expected = "must be a list";
            } else {
                return new ConfigException(key + " cannot be read: " + e.getOriginalMessage(), e);
            }
        }
        if (expected.contains(", but was ")) {
            return new ConfigException(key + " " + expected, e);
        }
        return new ConfigException(key + " " + expected + ", but was " + describe(node, last), e);
    }

    /** The value as JSON, at most 40 characters; a secret's only as its JSON type. */
    static String describe(JsonNode v, String key) {
        if (v == null) {
            return "missing";
        }
        if (key != null && SECRET_KEYS.contains(key)) {
            return "a " + v.getNodeType().name().toLowerCase(Locale.ROOT);
        }
        String s = v.toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /**
     * A key without case, dashes and underscores: {@code client-id}, {@code clientId}, {@code CLIENT_ID} alike.
     *
     * @param key the key
     * @return its canonical form
     */
    public static String canonical(String key) {
        return key.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    /** The tree with each key matching a record component (ignoring case, dashes, underscores) renamed to it. */
    private static JsonNode canonicalKeys(JsonNode node, Class<?> type, String where) {
        if (!node.isObject() || !type.isRecord()) {
            return node;
        }
        Map<String, RecordComponent> byCanonical = new HashMap<>();
        for (RecordComponent c : type.getRecordComponents()) {
            byCanonical.put(canonical(c.getName()), c);
        }
        ObjectNode out = JSON.createObjectNode();
        Map<String, String> seen = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            RecordComponent c = byCanonical.get(canonical(e.getKey()));
            String name = c == null ? e.getKey() : c.getName();
            String previous = seen.put(name, e.getKey());
            if (previous != null) {
                throw new ConfigException(where + e.getKey() + " and " + where + previous + " name the same key");
            }
            JsonNode value = e.getValue();
            if (c != null && c.getType().isRecord()) {
                value = canonicalKeys(value, c.getType(), where + name + ".");
            } else if (c != null && value.isArray() && elementType(c) != null) {
                ArrayNode list = JSON.createArrayNode();
                for (int i = 0; i < value.size(); i++) {
                    list.add(canonicalKeys(value.get(i), elementType(c), where + name + "[" + i + "]."));
                }
                value = list;
            }
            out.set(name, value);
        }
        return out;
    }

    private static Class<?> elementType(RecordComponent c) {
        Type t = c.getGenericType();
        if (t instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof Class<?> e
                && e.isRecord()) {
            return e;
        }
        return null;
    }

    /**
     * Every key of the settings, as paths ({@code mqtt.tls.ca}, {@code parser.fields[].path}), in record order.
     *
     * @return the keys
     */
    public static List<String> keys() {
        List<String> out = new ArrayList<>();
        keys(Mqtt2TdengineSettings.class, "", out);
        return out;
    }

    private static void keys(Class<?> type, String prefix, List<String> out) {
        for (RecordComponent c : type.getRecordComponents()) {
            String key = prefix + c.getName();
            out.add(key);
            if (c.getType().isRecord()) {
                keys(c.getType(), key + ".", out);
            } else if (elementType(c) != null) {
                keys(elementType(c), key + "[].", out);
            }
        }
    }

    private static boolean relaxed(DeserializationContext ctxt) {
        return Boolean.TRUE.equals(ctxt.getAttribute(RELAXED));
    }

    /** Text only: a number or an object is no string. */
    private static final class StrictString extends StdScalarDeserializer<String> {
        private static final long serialVersionUID = 1L;

        StrictString() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                return p.getText();
            }
            if (relaxed(ctxt) && p.currentToken().isScalarValue()) {
                return p.getText();
            }
            throw MismatchedInputException.from(p, String.class, "must be a string");
        }
    }

    /** Whole numbers in int range only; text only in relaxed mode. */
    private static final class StrictInteger extends StdScalarDeserializer<Integer> {
        private static final long serialVersionUID = 1L;

        StrictInteger() {
            super(Integer.class);
        }

        @Override
        public Integer deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
                return p.getIntValue();
            }
            if (relaxed(ctxt) && p.currentToken() == JsonToken.VALUE_STRING) {
                try {
                    return Integer.valueOf(p.getText().trim());
                } catch (NumberFormatException e) {
                    // reported below
                }
            }
            throw MismatchedInputException.from(p, Integer.class, "must be a whole number");
        }
    }

    /** true or false only; text only in relaxed mode. */
    private static final class StrictBoolean extends StdScalarDeserializer<Boolean> {
        private static final long serialVersionUID = 1L;

        StrictBoolean() {
            super(Boolean.class);
        }

        @Override
        public Boolean deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                return t == JsonToken.VALUE_TRUE;
            }
            if (relaxed(ctxt) && t == JsonToken.VALUE_STRING
                    && (p.getText().equalsIgnoreCase("true") || p.getText().equalsIgnoreCase("false"))) {
                return Boolean.valueOf(p.getText());
            }
            throw MismatchedInputException.from(p, Boolean.class, "must be true or false");
        }
    }

    /** An enum constant by name, ignoring case, with dashes for underscores ({@code dead-letter}). */
    private static final class LenientEnum extends StdScalarDeserializer<Object> {
        private static final long serialVersionUID = 1L;
        private final Class<?> type;

        LenientEnum(Class<?> type) {
            super(type);
            this.type = type;
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                Object value = constant(type, p.getText());
                if (value != null) {
                    return value;
                }
                throw MismatchedInputException.from(p, type, "must be one of " + names(type) + ", but was '"
                        + p.getText() + "'");
            }
            throw MismatchedInputException.from(p, type, "must be one of " + names(type));
        }
    }

    /**
     * The enum constant a text names, ignoring case, dashes for underscores.
     *
     * @param type the enum type
     * @param text the text
     * @return the constant, or null
     */
    public static Object constant(Class<?> type, String text) {
        for (Object e : type.getEnumConstants()) {
            if (((Enum<?>) e).name().equalsIgnoreCase(text.trim().replace('-', '_'))) {
                return e;
            }
        }
        return null;
    }

    /**
     * The names of an enum's constants, in lower case: {@code [check, add_missing]}.
     *
     * @param type the enum type
     * @return the names
     */
    public static List<String> names(Class<?> type) {
        List<String> names = new ArrayList<>();
        for (Object e : type.getEnumConstants()) {
            names.add(((Enum<?>) e).name().toLowerCase(Locale.ROOT));
        }
        return names;
    }
}
