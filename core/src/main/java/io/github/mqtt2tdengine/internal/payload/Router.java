package io.github.mqtt2tdengine.internal.payload;

import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.errors.PayloadException;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.spi.TableSchema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Picks the first mapping whose topic filter matches a message's topic, and maps it. Thread-safe.
 * Not API; may change in any release.
 */
public final class Router {
    private final String pipelineName;
    private final Mapping[] mappings;
    private final List<TableSchema> tables;

    /**
     * Creates a router over mappings in priority order.
     *
     * @param pipelineName for error messages
     * @param mappings the mappings, first match wins
     * @throws IllegalStateException if two mappings write one super table with different schemas
     */
    public Router(String pipelineName, List<Mapping> mappings) {
        this.pipelineName = pipelineName;
        this.mappings = mappings.toArray(new Mapping[0]);
        Map<String, TableSchema> bySuperTable = new LinkedHashMap<>();
        for (Mapping m : mappings) {
            TableSchema previous = bySuperTable.putIfAbsent(m.schema().superTable(), m.schema());
            if (previous != null && !previous.equals(m.schema())) {
                throw new IllegalStateException("mappings for super table '" + previous.superTable()
                        + "' disagree on its schema: " + previous + " vs " + m.schema());
            }
        }
        this.tables = List.copyOf(bySuperTable.values());
    }

    /**
     * Returns the distinct super tables written.
     *
     * @return the schemas
     */
    public List<TableSchema> tables() {
        return tables;
    }

    /**
     * Returns the mappings in priority order.
     *
     * @return the mappings
     */
    public List<Mapping> mappings() {
        return List.of(mappings);
    }

    /**
     * Maps one message with the first matching mapping.
     *
     * @param topic the topic
     * @param payload the payload
     * @param qos the QoS
     * @param receivedAt the receive time
     * @param precision the database precision
     * @return the rows
     * @throws PayloadException if no mapping matches or the mapping fails
     */
    public MappedMessage map(String topic, byte[] payload, int qos, Instant receivedAt, TimePrecision precision) {
        for (Mapping m : mappings) {
            if (m.matches(topic)) {
                return m.map(topic, payload, qos, receivedAt, precision);
            }
        }
        List<String> filters = new ArrayList<>(mappings.length);
        for (Mapping m : mappings) {
            filters.add(m.topicFilter());
        }
        throw new PayloadException(DeadLetterReason.NO_ROUTE, "Pipeline '" + pipelineName
                + "': no mapping matches topic '" + topic + "'; topic filters: " + filters);
    }
}
