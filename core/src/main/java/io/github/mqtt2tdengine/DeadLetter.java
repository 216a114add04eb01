package io.github.mqtt2tdengine;

import io.github.mqtt2tdengine.errors.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A message the pipeline could not map or the sink rejected, with the reason, as handed to a
 * {@link DeadLetterHandler}.
 *
 * @since 0.1.0
 */
public final class DeadLetter {
    /** How many payload bytes {@link #payloadPreview()} shows. */
    public static final int PREVIEW_BYTES = 256;

    private final String pipelineName;
    private final String topic;
    private final byte[] payload;
    private final int qos;
    private final Instant receivedAt;
    private final DeadLetterReason reason;
    private final String message;
    private final Throwable cause;

    /**
     * Creates a dead letter.
     *
     * @param pipelineName the pipeline's name
     * @param topic the MQTT topic
     * @param payload the payload, kept by reference (read-only by convention)
     * @param qos the MQTT QoS the message arrived with
     * @param receivedAt when the transport received it
     * @param reason the category
     * @param message one sentence naming the field and the bad value
     * @param cause the exception behind it, may be null
     */
    public DeadLetter(String pipelineName, String topic, byte[] payload, int qos, Instant receivedAt,
            DeadLetterReason reason, String message, Throwable cause) {
        this.pipelineName = Objects.requireNonNull(pipelineName, "pipelineName must not be null");
        this.topic = Objects.requireNonNull(topic, "topic must not be null");
        this.payload = Objects.requireNonNull(payload, "payload must not be null");
        this.qos = qos;
        this.receivedAt = Objects.requireNonNull(receivedAt, "receivedAt must not be null");
        this.reason = Objects.requireNonNull(reason, "reason must not be null");
        this.message = Objects.requireNonNull(message, "message must not be null");
        this.cause = cause;
    }

    /**
     * Returns the pipeline's name.
     *
     * @return the name
     */
    public String pipelineName() {
        return pipelineName;
    }

    /**
     * Returns the MQTT topic the message arrived on.
     *
     * @return the topic
     */
    public String topic() {
        return topic;
    }

    /**
     * Returns the raw payload; read-only by convention (not copied, payloads can be large).
     *
     * @return the payload bytes
     */
    public byte[] payload() {
        return payload;
    }

    /**
     * Returns the first {@value #PREVIEW_BYTES} payload bytes as text, control characters replaced by {@code '?'}.
     *
     * @return a printable preview, with {@code ...} when cut
     */
    public String payloadPreview() {
        int n = Math.min(payload.length, PREVIEW_BYTES);
        String text = new String(payload, 0, n, StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(text.length() + 3);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        if (payload.length > n) {
            sb.append("...");
        }
        return sb.toString();
    }

    /**
     * Returns the QoS the message arrived with.
     *
     * @return 0, 1 or 2
     */
    public int qos() {
        return qos;
    }

    /**
     * Returns when the transport received the message.
     *
     * @return the receive time
     */
    public Instant receivedAt() {
        return receivedAt;
    }

    /**
     * Returns the category this dead letter is counted under.
     *
     * @return the reason
     */
    public DeadLetterReason reason() {
        return reason;
    }

    /**
     * Returns the error message: one sentence naming the field, the path and the bad value.
     *
     * @return the message
     */
    public String message() {
        return message;
    }

    /**
     * Returns the exception behind this dead letter, if any.
     *
     * @return the cause
     */
    public Optional<Throwable> cause() {
        return Optional.ofNullable(cause);
    }

    @Override
    public String toString() {
        return "DeadLetter{pipeline=" + pipelineName + ", topic=" + topic + ", reason=" + reason + ", message="
                + message + ", payloadBytes=" + payload.length + '}';
    }
}
