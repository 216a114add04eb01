package io.github.mqtt2tdengine.deadletters;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.mqtt2tdengine.DeadLetter;
import io.github.mqtt2tdengine.errors.DeadLetterReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * A dead letter as one JSON object: the original payload (base64, byte for byte) with where it came from and why it
 * was dead-lettered. Used by the file destination (one object per line) and by the MQTT destination on MQTT 3.1.1 and
 * 3.1, which have no user properties; read back by the replay.
 *
 * <pre>{@code
 * {"pipeline":"plant-a","topic":"plant-a/m7/meters","qos":1,"receivedAt":"2026-12-08T10:00:00.123Z",
 *  "reason":"TYPE_MISMATCH","detail":"Pipeline 'plant-a': ...","payloadLength":42,"payload":"eyJ0cyI6..."}
 * }</pre>
 *
 * <p>The names of the fields are also the MQTT 5 user properties of the MQTT destination, prefixed with
 * {@value #PROPERTY_PREFIX} ({@code mqtt2td-topic}, ...). Thread-safe.
 *
 * @since 0.1.0
 */
public final class DeadLetterEnvelope {
    /** The prefix of the MQTT 5 user properties a dead letter carries. */
    public static final String PROPERTY_PREFIX = "mqtt2td-";
    /** The pipeline's name. */
    public static final String PIPELINE = "pipeline";
    /** The original topic. */
    public static final String TOPIC = "topic";
    /** The QoS the message arrived with. */
    public static final String QOS = "qos";
    /** When the pipeline received it (ISO-8601, UTC). */
    public static final String RECEIVED_AT = "receivedAt";
    /** The {@link DeadLetterReason} name. */
    public static final String REASON = "reason";
    /** The error message: one sentence naming the field and the bad value. */
    public static final String DETAIL = "detail";
    /** The original payload's length in bytes. */
    public static final String PAYLOAD_LENGTH = "payloadLength";
    /** The original payload, base64 (RFC 4648, with padding). */
    public static final String PAYLOAD = "payload";

    private static final JsonFactory JSON = new JsonFactory();

    private DeadLetterEnvelope() {
    }

    /**
     * Encodes a dead letter as one line of JSON (no line break in it).
     *
     * @param d the dead letter
     * @return UTF-8 JSON
     */
    public static byte[] encode(DeadLetter d) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(d.payload().length * 4 / 3 + 256 + d.message().length());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField(PIPELINE, d.pipelineName());
            g.writeStringField(TOPIC, d.topic());
            g.writeNumberField(QOS, d.qos());
            g.writeStringField(RECEIVED_AT, d.receivedAt().toString());
            g.writeStringField(REASON, d.reason().name());
            g.writeStringField(DETAIL, d.message());
            g.writeNumberField(PAYLOAD_LENGTH, d.payload().length);
            g.writeStringField(PAYLOAD, Base64.getEncoder().encodeToString(d.payload()));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes what {@link #encode} wrote.
     *
     * @param json the envelope
     * @return the dead letter (without a cause)
     * @throws IllegalArgumentException naming the field that is missing or bad
     */
    public static DeadLetter decode(byte[] json) {
        String pipeline = null;
        String topic = null;
        Integer qos = null;
        Instant receivedAt = null;
        DeadLetterReason reason = null;
        String detail = null;
        Integer length = null;
        byte[] payload = null;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("dead-letter envelope is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case PIPELINE -> pipeline = text(p, t, field);
                    case TOPIC -> topic = text(p, t, field);
                    case QOS -> qos = number(p, t, field);
                    case RECEIVED_AT -> receivedAt = instant(text(p, t, field));
                    case REASON -> reason = reason(text(p, t, field));
                    case DETAIL -> detail = text(p, t, field);
                    case PAYLOAD_LENGTH -> length = number(p, t, field);
                    case PAYLOAD -> payload = base64(text(p, t, field));
                    default -> p.skipChildren(); // written by a later version: ignored
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("dead-letter envelope is not valid JSON: " + e.getMessage(), e);
        }
        require(topic, TOPIC);
        require(payload, PAYLOAD);
        require(reason, REASON);
        require(receivedAt, RECEIVED_AT);
        if (length != null && length != payload.length) {
            throw new IllegalArgumentException("dead-letter envelope's payload has " + payload.length + " bytes but "
                    + PAYLOAD_LENGTH + " says " + length);
        }
        return new DeadLetter(pipeline == null ? "" : pipeline, topic, payload, qos == null ? 1 : qos, receivedAt,
                reason, detail == null ? "" : detail, null);
    }

    /**
     * Reads a {@link DeadLetterReason} by name.
     *
     * @param name the name
     * @return the reason
     * @throws IllegalArgumentException naming the value when unknown
     */
    public static DeadLetterReason reason(String name) {
        try {
            return DeadLetterReason.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dead-letter reason '" + name + "' is unknown", e);
        }
    }

    /**
     * Reads a receive time as written by {@link #encode}.
     *
     * @param text ISO-8601 instant
     * @return the instant
     * @throws IllegalArgumentException naming the value when it is not one
     */
    public static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("dead-letter " + RECEIVED_AT + " '" + text + "' is not an ISO-8601 instant",
                    e);
        }
    }

    private static String text(JsonParser p, JsonToken t, String field) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException("dead-letter envelope's '" + field + "' is not a string");
        }
        return p.getText();
    }

    private static int number(JsonParser p, JsonToken t, String field) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT) {
            throw new IllegalArgumentException("dead-letter envelope's '" + field + "' is not an integer");
        }
        return p.getIntValue();
    }

    private static byte[] base64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dead-letter envelope's '" + PAYLOAD + "' is not base64", e);
        }
    }

    private static void require(Object value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("dead-letter envelope has no '" + field + "'");
        }
    }
}
