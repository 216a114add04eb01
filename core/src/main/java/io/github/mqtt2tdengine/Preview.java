package io.github.mqtt2tdengine;

import io.github.mqtt2tdengine.errors.PayloadException;
import io.github.mqtt2tdengine.spi.Row;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one message would become: its rows, or the mapping error that would dead-letter it. Returned by
 * {@link SyncPipeline#preview(String, byte[])}; nothing is connected or written.
 *
 * @since 0.1.0
 */
public final class Preview {
    private final String topic;
    private final List<Row> rows;
    private final int filtered;
    private final PayloadException error;

    private Preview(String topic, List<Row> rows, int filtered, PayloadException error) {
        this.topic = Objects.requireNonNull(topic, "topic must not be null");
        this.rows = List.copyOf(rows);
        this.filtered = filtered;
        this.error = error;
    }

    /**
     * Creates a preview of a message that maps.
     *
     * @param topic the topic
     * @param rows the rows
     * @param filtered rows dropped by the mapping's filter
     * @return the preview
     */
    public static Preview ofRows(String topic, List<Row> rows, int filtered) {
        return new Preview(topic, rows, filtered, null);
    }

    /**
     * Creates a preview of a message that would be dead-lettered.
     *
     * @param topic the topic
     * @param error the mapping error
     * @return the preview
     */
    public static Preview ofError(String topic, PayloadException error) {
        return new Preview(topic, List.of(), 0, Objects.requireNonNull(error, "error must not be null"));
    }

    /**
     * Returns the topic.
     *
     * @return the topic
     */
    public String topic() {
        return topic;
    }

    /**
     * Returns the rows the message would produce; empty when it fails.
     *
     * @return an immutable list
     */
    public List<Row> rows() {
        return rows;
    }

    /**
     * Returns how many rows the mapping's filter would drop.
     *
     * @return the count
     */
    public int filtered() {
        return filtered;
    }

    /**
     * Returns the mapping error, if the message would be dead-lettered.
     *
     * @return the error
     */
    public Optional<PayloadException> error() {
        return Optional.ofNullable(error);
    }

    /**
     * Returns whether the message maps without error.
     *
     * @return true when there is no error
     */
    public boolean isOk() {
        return error == null;
    }

    @Override
    public String toString() {
        return error == null ? "Preview{" + topic + " -> " + rows + '}'
                : "Preview{" + topic + " -> " + error.reason() + ": " + error.getMessage() + '}';
    }
}
