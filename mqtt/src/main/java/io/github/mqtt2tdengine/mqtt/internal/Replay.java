package io.github.mqtt2tdengine.mqtt.internal;

import io.github.mqtt2tdengine.DeadLetter;
import io.github.mqtt2tdengine.deadletters.DeadLetterEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Turns a dead letter read back from {@code <prefix>/<original topic>} into the message the pipeline first received,
 * so that routes, topic-level fields and templates see the original topic. Not API; may change in any release.
 *
 * <p>Three forms are read, in this order:
 * <ol>
 *   <li>MQTT 5 user properties ({@code mqtt2td-topic}, {@code mqtt2td-qos}, {@code mqtt2td-receivedAt}): the payload
 *       is the original.</li>
 *   <li>A {@link DeadLetterEnvelope} as the payload (the destination spoke MQTT 3.1.1 or 3.1).</li>
 *   <li>Neither (an MQTT 5 dead letter read by an MQTT 3 client, which does not receive user properties): the
 *       original topic is the topic without the prefix, the payload is the original, QoS and receive time are the
 *       replay's.</li>
 * </ol>
 * A message that is none of these (a damaged envelope, a message on the prefix itself) is delivered as it is, so the
 * pipeline dead-letters it like any other bad message: nothing is dropped.
 */
final class Replay {
    /** The property naming the original topic. */
    static final String TOPIC = DeadLetterEnvelope.PROPERTY_PREFIX + DeadLetterEnvelope.TOPIC;
    /** The property with the original QoS. */
    static final String QOS = DeadLetterEnvelope.PROPERTY_PREFIX + DeadLetterEnvelope.QOS;
    /** The property with the original receive time. */
    static final String RECEIVED_AT = DeadLetterEnvelope.PROPERTY_PREFIX + DeadLetterEnvelope.RECEIVED_AT;
    /** How every envelope begins (the encoder writes the pipeline first). */
    private static final byte[] ENVELOPE_START = ("{\"" + DeadLetterEnvelope.PIPELINE + "\":")
            .getBytes(StandardCharsets.US_ASCII);

    private final String under;

    /**
     * Creates the replay of one prefix.
     *
     * @param prefix the checked prefix
     */
    Replay(String prefix) {
        this.under = prefix + "/";
    }

    /**
     * The original message.
     *
     * @param topic the original topic
     * @param payload the original payload
     * @param qos the original QoS
     * @param receivedAt when the first pipeline received it
     */
    record Original(String topic, byte[] payload, int qos, Instant receivedAt) {
    }

    /**
     * Reads the original message out of a message received on {@code topic}.
     *
     * @param topic the topic it was received on
     * @param payload its payload
     * @param qos the QoS it was received with
     * @param properties its MQTT 5 user properties
     * @param now the receive time, used when the dead letter does not carry its own
     * @return the original, or null to deliver the message as it is (not under the prefix, or not readable)
     */
    Original unwrap(String topic, byte[] payload, int qos, UserProperties properties, Instant now) {
        if (!topic.startsWith(under)) {
            return null;
        }
        String original = properties.get(TOPIC);
        if (original != null) {
            if (!validTopic(original)) {
                return null;
            }
            return new Original(original, payload, qos(properties.get(QOS), qos), instant(properties.get(RECEIVED_AT),
                    now));
        }
        if (startsWith(payload, ENVELOPE_START)) {
            try {
                DeadLetter d = DeadLetterEnvelope.decode(payload);
                return validTopic(d.topic()) ? new Original(d.topic(), d.payload(), d.qos(), d.receivedAt()) : null;
            } catch (RuntimeException damaged) {
                return null;
            }
        }
        String stripped = topic.substring(under.length());
        return stripped.isEmpty() ? null : new Original(stripped, payload, qos, now);
    }

    private static boolean validTopic(String t) {
        return !t.isEmpty() && t.indexOf('+') < 0 && t.indexOf('#') < 0 && t.indexOf('\u0000') < 0;
    }

    private static boolean startsWith(byte[] payload, byte[] head) {
        if (payload.length < head.length) {
            return false;
        }
        for (int i = 0; i < head.length; i++) {
            if (payload[i] != head[i]) {
                return false;
            }
        }
        return true;
    }

    private static int qos(String text, int fallback) {
        return "0".equals(text) ? 0 : "1".equals(text) ? 1 : "2".equals(text) ? 2 : fallback;
    }

    private static Instant instant(String text, Instant fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }
}
