package io.github.mqtt2tdengine.payload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.errors.PayloadException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The payload formats beside JSON, as {@link PayloadParser}s whose trees the fields' JSONPaths read like JSON's, with
 * the same types, conversions and errors (numbers and booleans arrive as text and are converted by the column type):
 * regular expressions with named groups, delimited text (CSV), a single plain value, and JSON Lines. Use them through
 * {@link PayloadSpec#regex(String)}, {@link PayloadSpec#csv(char, List)}, {@link PayloadSpec#plain(String)} and
 * {@link PayloadSpec#jsonLines()}, which also set the row split where a format yields several rows.
 *
 * @since 0.1.0
 */
public final class PayloadFormats {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** A named group's name in a pattern: {@code (?<name>...)}. */
    private static final Pattern GROUP = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

    private PayloadFormats() {
    }

    /**
     * A regular expression with named groups: the first match in the payload (UTF-8 text) gives one object, each
     * group's name a key ({@code $.temp} for {@code (?<temp>...)}); a group that took no part is absent. A payload
     * without a match is an {@code INVALID_PAYLOAD}.
     *
     * @param pattern the expression (Java syntax), with at least one named group
     * @return the parser
     * @throws IllegalArgumentException when the pattern is invalid or has no named group
     */
    public static PayloadParser regex(String pattern) {
        Objects.requireNonNull(pattern, "pattern must not be null");
        Pattern p;
        try {
            p = Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("pattern '" + pattern + "' is not a regular expression: "
                    + e.getDescription() + " at index " + e.getIndex(), e);
        }
        Set<String> groups = new LinkedHashSet<>();
        Matcher g = GROUP.matcher(pattern);
        while (g.find()) {
            groups.add(g.group(1));
        }
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("pattern '" + pattern + "' has no named group: name the values, "
                    + "e.g. temp=(?<temp>[-0-9.]+)");
        }
        List<String> names = List.copyOf(groups);
        return new PayloadParser() {
            @Override
            public Object parse(String topic, byte[] payload) {
                String text = new String(payload, StandardCharsets.UTF_8);
                Matcher m = p.matcher(text);
                if (!m.find()) {
                    throw new PayloadException(DeadLetterReason.INVALID_PAYLOAD, "payload " + preview(text)
                            + " does not match the pattern '" + pattern + "'");
                }
                ObjectNode o = NODES.objectNode();
                for (String name : names) {
                    String v = m.group(name);
                    if (v != null) {
                        o.put(name, v);
                    }
                }
                return o;
            }

            @Override
            public String toString() {
                return "regex '" + pattern + "'";
            }
        };
    }

    /**
     * Delimited text (RFC 4180: fields separated by the delimiter, quoted with {@code "} where they hold it, a quote, or
     * a line break; {@code ""} is a quote in a quoted field), read by Jackson's CSV parser
     * (jackson-dataformat-csv): each line that is not empty (or only spaces) is a record, and the tree is an array
     * of records. With column names, a record is an object ({@code $.temp}); without, an array ({@code $[1]}). A record
     * with another number of fields than the names, or an unclosed quote, is an {@code INVALID_PAYLOAD} naming the line.
     *
     * @param delimiter the field delimiter, e.g. {@code ','} or {@code ';'}
     * @param columns the name of each field in order, or an empty list to address fields by position
     * @return the parser
     */
    public static PayloadParser csv(char delimiter, List<String> columns) {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("delimiter must not be a quote or a line break");
        }
        List<String> names = List.copyOf(Objects.requireNonNull(columns, "columns must not be null"));
        if (new LinkedHashSet<>(names).size() != names.size()) {
            throw new IllegalArgumentException("csv column names must be unique, but were " + names);
        }
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(delimiter).withQuoteChar('"')
                .withoutEscapeChar();
        return new PayloadParser() {
            @Override
            public Object parse(String topic, byte[] payload) {
                return Csv.parse(new String(payload, StandardCharsets.UTF_8), schema, delimiter, names);
            }

            @Override
            public String toString() {
                return "csv '" + delimiter + "' " + names;
            }
        };
    }

    /**
     * A single plain value: the payload (UTF-8 text, surrounding white space removed) as the one key of an object
     * ({@code $.value} for the name {@code value}). An empty payload is an {@code INVALID_PAYLOAD}.
     *
     * @param name the key
     * @return the parser
     */
    public static PayloadParser plain(String name) {
        Objects.requireNonNull(name, "name must not be null");
        return new PayloadParser() {
            @Override
            public Object parse(String topic, byte[] payload) {
                String text = new String(payload, StandardCharsets.UTF_8).strip();
                if (text.isEmpty()) {
                    throw new PayloadException(DeadLetterReason.INVALID_PAYLOAD, "payload is empty");
                }
                return NODES.objectNode().put(name, text);
            }

            @Override
            public String toString() {
                return "plain '" + name + "'";
            }
        };
    }

    /**
     * JSON Lines (one JSON value per line) or a JSON array: the tree is an array of the values, one row each with the
     * split {@code $[*]}. Each line is checked as JSON is; a bad one is an {@code INVALID_PAYLOAD} naming the line.
     *
     * @return the parser
     */
    public static PayloadParser jsonLines() {
        return new PayloadParser() {
            @Override
            public Object parse(String topic, byte[] payload) {
                return JsonLines.parse(payload);
            }

            @Override
            public String toString() {
                return "jsonLines";
            }
        };
    }

    static String preview(String text) {
        String t = text.strip();
        return "'" + (t.length() > 64 ? t.substring(0, 64) + "...'" : t + "'");
    }

    /**
     * Delimited text read by Jackson's CSV parser (jackson-dataformat-csv, RFC 4180 with the given delimiter, no
     * escape character), record by record; errors name the line a record starts on.
     */
    private static final class Csv {
        /** Records as arrays; lines that are empty or hold only spaces are skipped. */
        private static final CsvFactory FACTORY = CsvFactory.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY)
                .enable(CsvParser.Feature.SKIP_EMPTY_LINES).build();

        static ArrayNode parse(String text, CsvSchema schema, char delimiter, List<String> names) {
            ArrayNode records = NODES.arrayNode();
            int line = 1; // where the current record starts
            try (CsvParser p = FACTORY.createParser(text)) {
                p.setSchema(schema);
                if (p.nextToken() != JsonToken.START_ARRAY) { // the whole text, wrapped as an array of records
                    return records;
                }
                List<String> fields = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t == JsonToken.START_ARRAY; t = p.nextToken()) {
                    line = p.currentLocation().getLineNr();
                    fields.clear();
                    for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                        if (fields.isEmpty()) {
                            line = p.currentTokenLocation().getLineNr();
                        }
                        fields.add(p.getText());
                    }
                    add(records, fields, line, delimiter, names);
                }
            } catch (JsonProcessingException e) {
                String m = e.getOriginalMessage();
                String why = m.startsWith("Missing closing quote") ? "a quoted field is not closed"
                        : m.contains("Expected column separator") ? "text after a closing quote (a quote inside a "
                        + "quoted field is written \"\")" : m;
                int at = m.startsWith("Missing closing quote") ? line : e.getLocation().getLineNr();
                throw new PayloadException(DeadLetterReason.INVALID_PAYLOAD, "csv line " + at + ": " + why, e);
            } catch (IOException e) { // a String has no I/O; kept apart so that it is not mistaken for bad input
                throw new UncheckedIOException(e);
            }
            return records;
        }

        private static void add(ArrayNode records, List<String> fields, int line, char delimiter, List<String> names) {
            if (names.isEmpty()) {
                ArrayNode a = records.addArray();
                fields.forEach(a::add);
                return;
            }
            if (fields.size() != names.size()) {
                throw new PayloadException(DeadLetterReason.INVALID_PAYLOAD, "csv line " + line + " has "
                        + fields.size() + " field" + (fields.size() == 1 ? "" : "s") + ", but the columns are "
                        + names.size() + " " + names + ": " + preview(String.join(String.valueOf(delimiter), fields)));
            }
            ObjectNode o = records.addObject();
            for (int i = 0; i < names.size(); i++) {
                o.put(names.get(i), fields.get(i));
            }
        }
    }

    /**
     * JSON Lines, as strict as the built-in JSON parser: nesting depth 1000 and no NaN (Jackson's defaults, which that
     * parser sets explicitly), trailing content rejected. A mapper of its own: this package may not use the internal
     * one.
     */
    private static final class JsonLines {
        private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
                com.fasterxml.jackson.databind.json.JsonMapper.builder()
                        .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

        static JsonNode parse(byte[] payload) {
            String text = new String(payload, StandardCharsets.UTF_8).strip();
            if (text.startsWith("[")) {
                JsonNode array = read(text, 1);
                if (!array.isArray()) {
                    throw new PayloadException(DeadLetterReason.INVALID_PAYLOAD, "payload is not a JSON array");
                }
                return array;
            }
            ArrayNode out = NODES.arrayNode();
            String[] lines = text.split("\r?\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (!lines[i].isBlank()) {
                    out.add(read(lines[i], i + 1));
                }
            }
            return out;
        }

        private static JsonNode read(String json, int line) {
            try {
                JsonNode n = MAPPER.readTree(json);
                if (n == null || n.isMissingNode()) {
                    throw new PayloadException(DeadLetterReason.INVALID_PAYLOAD, "line " + line + " is empty");
                }
                return n;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new PayloadException(DeadLetterReason.INVALID_PAYLOAD, "line " + line + " is not valid JSON: "
                        + e.getOriginalMessage(), e);
            }
        }
    }
}
