package io.github.mqtt2tdengine.internal.payload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.errors.PayloadException;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.MappedRow;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.payload.TimestampCollisionPolicy;
import io.github.mqtt2tdengine.spi.Row;
import io.github.mqtt2tdengine.spi.TableSchema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One route's mapping: maps each message to rows with the route's {@link MappingPlan} (compiled once), names their
 * sub-tables with its {@link SubTableNamer}, counts missed paths in its {@link MissedPaths}, and runs the spec's
 * transform and row filter. Thread-safe: the plan and the namer are immutable, the counter is thread-safe, and
 * {@link #map} keeps its state on the stack; it runs on transport threads and, for {@code preview}, on the caller's.
 * Not API; may change in any release.
 */
public final class Mapping {
    /** Consecutive messages in which a JSONPath field matched nothing before one WARN says so: {@value}. */
    public static final int NOT_FOUND_WARN_AFTER = MissedPaths.WARN_AFTER;
    private final MappingPlan plan;
    private final ValueSource[] sources;
    private final MissedPaths missed;
    private final MessageErrors errors;

    /**
     * Compiles a spec.
     *
     * @param pipelineName for error messages
     * @param topicFilter which topics this mapping takes
     * @param spec the spec, with super table and template set
     */
    public Mapping(String pipelineName, String topicFilter, PayloadSpec spec) {
        this.plan = new MappingPlan(pipelineName, topicFilter, spec);
        this.sources = plan.sources;
        this.missed = new MissedPaths(pipelineName, plan.names(), plan.wheres());
        this.errors = plan.errors;
    }

    /**
     * Returns whether this mapping takes messages on the topic.
     *
     * @param topic the topic
     * @return true when its filter matches
     */
    public boolean matches(String topic) {
        return plan.filter.matches(topic);
    }

    /**
     * Returns the topic filter.
     *
     * @return the filter text
     */
    public String topicFilter() {
        return plan.filter.text();
    }

    /**
     * Returns the super table schema.
     *
     * @return the schema
     */
    public TableSchema schema() {
        return plan.schema;
    }

    /**
     * Returns whether the receive time is the primary key (so collisions are possible).
     *
     * @return true when no payload field is the primary key
     */
    public boolean receiveTimeIsPrimaryKey() {
        return plan.receiveTimeIsPrimaryKey;
    }

    /**
     * Returns the collision policy.
     *
     * @return the policy
     */
    public TimestampCollisionPolicy collisionPolicy() {
        return plan.collisionPolicy;
    }

    /**
     * Maps one message.
     *
     * @param topic the topic
     * @param payload the payload
     * @param qos the QoS
     * @param receivedAt the receive time
     * @param precision the database precision
     * @return the rows
     * @throws PayloadException naming the pipeline, field, value and topic
     */
    public MappedMessage map(String topic, byte[] payload, int qos, Instant receivedAt, TimePrecision precision) {
        if (payload.length > plan.maxPayloadBytes) {
            throw errors.error(DeadLetterReason.PAYLOAD_TOO_LARGE, "payload of " + payload.length
                    + " bytes is larger than the limit of " + plan.maxPayloadBytes + " bytes", topic, null);
        }
        if (plan.decoding != null) {
            payload = decode(payload, topic);
        }
        JsonNode root = null;
        JsonNode[] read = null;
        try {
            if (plan.fieldReader != null) {
                read = plan.fieldReader.read(payload);
            } else {
                root = plan.tree(topic, payload);
            }
        } catch (PayloadException e) {
            throw errors.error(e.reason(), e.getMessage(), topic, e.getCause());
        } catch (RuntimeException e) {
            throw errors.error(DeadLetterReason.INVALID_PAYLOAD, "payload parser " + plan.parser + " failed: " + e,
                    topic, e);
        }
        if (plan.payloadFilter != null && plan.split == null && !kept(root, topic, -1)) {
            return new MappedMessage(Collections.emptyList(), 1, this);
        }
        String[] levels = plan.needsLevels ? topic.split("/", -1) : null;
        Object[] shared = new Object[sources.length];
        for (int i = 0; i < sources.length; i++) {
            ValueSource s = sources[i];
            if (s.messageScope) {
                JsonNode v = s.kind != ValueSource.Kind.PATH ? null : read != null ? read[plan.readerSlots[i]]
                        : s.path.read(root);
                shared[i] = value(i, v, topic, qos, receivedAt, levels, precision, -1);
            }
        }
        if (plan.split == null) {
            if (plan.computedSlots.length != 0) {
                compute(shared, topic, precision, -1);
            }
            Row row = row(shared, topic, -1);
            return finish(Collections.singletonList(row), 0, topic);
        }
        return mapElements(root, shared, topic, qos, receivedAt, levels, precision);
    }

    /** One row per element of the split path; message-scope values already in {@code shared}. */
    private MappedMessage mapElements(JsonNode root, Object[] shared, String topic, int qos, Instant receivedAt,
            String[] levels, TimePrecision precision) {
        JsonNode selected = plan.split.read(root);
        if (selected == null) {
            throw errors.error(DeadLetterReason.MISSING_FIELD, "row-split path '" + plan.split.text() + "' not found",
                    topic, null);
        }
        int n = selected.isArray() ? selected.size() : 1;
        List<Row> rows = new ArrayList<>(n);
        int filtered = 0;
        for (int e = 0; e < n; e++) {
            JsonNode element = selected.isArray() ? selected.get(e) : selected;
            if (plan.payloadFilter != null && !kept(element, topic, e)) {
                filtered++;
                continue;
            }
            Object[] values = shared.clone();
            for (int i = 0; i < sources.length; i++) {
                ValueSource s = sources[i];
                if (!s.messageScope && s.kind != ValueSource.Kind.EXPR) {
                    JsonNode v = s.kind != ValueSource.Kind.PATH || element == null ? null : s.path.read(element);
                    values[i] = value(i, v, topic, qos, receivedAt, levels, precision, e);
                }
            }
            if (plan.computedSlots.length != 0) {
                compute(values, topic, precision, e);
            }
            rows.add(row(values, topic, e));
        }
        return finish(rows, filtered, topic);
    }

    /** The value of the source in {@code slot}; {@code v} is what a JSONPath source's path read (null when absent). */
    private Object value(int slot, JsonNode v, String topic, int qos, Instant receivedAt, String[] levels,
            TimePrecision precision, int element) {
        ValueSource s = sources[slot];
        try {
            switch (s.kind) {
                case RECEIVE_TIME:
                    return Timestamps.fromInstant(receivedAt, precision);
                case TOPIC:
                    return plan.conversions.convert(TextNode.valueOf(topic), s.type, s.unit, precision);
                case QOS:
                    return (long) qos;
                case LEVEL:
                    if (s.level >= levels.length || levels[s.level].isEmpty()) {
                        if (s.required) {
                            throw new PayloadException(DeadLetterReason.MISSING_FIELD, "topic has no level " + s.level);
                        }
                        return null;
                    }
                    return plan.conversions.convert(TextNode.valueOf(levels[s.level]), s.type, s.unit, precision);
                default:
                    if (v == null) {
                        return notFound(slot);
                    }
                    if (!s.path.definite() && v.isArray() && s.type.kind() != ColumnType.Kind.JSON) {
                        if (v.size() == 0) {
                            return notFound(slot);
                        }
                        if (v.size() > 1) {
                            throw new PayloadException(DeadLetterReason.TYPE_MISMATCH, "path matches " + v.size()
                                    + " values, but a column takes one");
                        }
                        v = v.get(0);
                    }
                    missed.found(slot);
                    return plan.conversions.convert(v, s.type, s.unit, precision);
            }
        } catch (PayloadException e) {
            throw errors.error(e.reason(), s.where + errors.inElement(element) + ": " + e.getMessage(), topic,
                    e.getCause());
        }
    }

    /** A path that matched nothing: an error when required, else NULL and counted. */
    private Object notFound(int slot) {
        if (sources[slot].required) {
            throw new PayloadException(DeadLetterReason.MISSING_FIELD, "required value not found");
        }
        missed.missed(slot);
        return null;
    }

    /**
     * Adds, per field name, how many messages (or split elements) the field's JSONPath matched nothing in.
     *
     * @param into counts by field name; fields with a count of zero are left out
     */
    public void addNotFound(Map<String, Long> into) {
        missed.addTo(into);
    }

    /** Expands and decodes a payload (compression, charset), errors named as the parser's are. */
    private byte[] decode(byte[] payload, String topic) {
        try {
            return plan.decoding.decode(payload);
        } catch (PayloadException e) {
            throw errors.error(e.reason(), e.getMessage(), topic, e.getCause());
        }
    }

    /** Computes the computed fields of a row, in declaration order, each converted and checked as its type says. */
    private void compute(Object[] values, String topic, TimePrecision precision, int element) {
        for (int i : plan.computedSlots) {
            ValueSource s = sources[i];
            try {
                Object result = s.expression.evaluate(name -> {
                    for (int k = 0; k < s.exprSlots.length; k++) {
                        if (sources[s.exprSlots[k]].name.equals(name)) {
                            return values[s.exprSlots[k]];
                        }
                    }
                    return null;
                });
                if (result == null) {
                    if (s.required) {
                        throw new PayloadException(DeadLetterReason.MISSING_FIELD, "required value is NULL");
                    }
                    values[i] = null;
                    continue;
                }
                JsonNode node = result instanceof Long l ? LongNode.valueOf(l) : result instanceof Double d
                        ? DoubleNode.valueOf(d) : result instanceof Boolean b ? BooleanNode.valueOf(b)
                        : TextNode.valueOf(String.valueOf(result));
                values[i] = plan.conversions.convert(node, s.type, s.unit, precision);
            } catch (PayloadException e) {
                throw errors.error(e.reason(), s.where + errors.inElement(element) + ": " + e.getMessage(), topic,
                        e.getCause());
            }
        }
    }

    private Row row(Object[] values, String topic, int element) {
        TableSchema schema = plan.schema;
        Object[] columns = new Object[schema.columns().size()];
        Object[] tags = new Object[schema.tags().size()];
        for (int i = 0; i < sources.length; i++) {
            ValueSource s = sources[i];
            if (s.column >= 0) {
                columns[s.column] = values[i];
            } else if (s.tag >= 0) {
                tags[s.tag] = values[i];
            }
        }
        if (columns[0] == null) {
            throw errors.error(DeadLetterReason.MISSING_FIELD, "primary-key timestamp '"
                    + schema.columns().get(0).name() + "' has no value", topic, null);
        }
        return Row.of(schema, plan.namer.name(values, topic, element), columns, tags);
    }

    /** Whether the payload filter selects something in the payload or element {@code node}. */
    private boolean kept(JsonNode node, String topic, int element) {
        JsonNode selected;
        try {
            selected = node == null ? null : plan.payloadFilter.read(node);
        } catch (RuntimeException e) {
            throw errors.error(DeadLetterReason.EXPRESSION_FAILED, "filter '" + plan.payloadFilter.text() + "'"
                    + errors.inElement(element) + " failed: " + e.getMessage(), topic, e);
        }
        return selected != null && !(selected.isArray() && selected.isEmpty());
    }

    /** Runs the transform and the row filter over the mapped rows. */
    private MappedMessage finish(List<Row> rows, int filteredBefore, String topic) {
        if (plan.transform == null && plan.rowFilter == null) {
            return new MappedMessage(rows, filteredBefore, this);
        }
        List<Row> out = new ArrayList<>(rows.size());
        int filtered = filteredBefore;
        for (Row r : rows) {
            Row row = plan.transform == null ? r : transformed(r, topic);
            boolean keep;
            try {
                keep = plan.rowFilter == null || plan.rowFilter.test(row);
            } catch (PayloadException e) {
                throw errors.error(e.reason(), "filter: " + e.getMessage(), topic, e.getCause());
            } catch (RuntimeException e) {
                throw errors.error(DeadLetterReason.HOOK_FAILED, "filter threw " + e, topic, e);
            }
            if (keep) {
                out.add(row);
            } else {
                filtered++;
            }
        }
        return new MappedMessage(out, filtered, this);
    }

    private Row transformed(Row r, String topic) {
        MappedRow out;
        try {
            out = plan.transform.apply(r);
        } catch (RuntimeException e) {
            throw errors.error(DeadLetterReason.HOOK_FAILED, "transform threw " + e, topic, e);
        }
        if (out == null) {
            throw errors.error(DeadLetterReason.HOOK_FAILED, "transform returned null", topic, null);
        }
        if (!(out instanceof Row row)) {
            throw errors.error(DeadLetterReason.HOOK_FAILED, "transform returned a " + out.getClass().getName()
                    + ", not a row of the library; return the row it was given or a copy from its with* methods",
                    topic, null);
        }
        if (!row.schema().equals(plan.schema)) {
            throw errors.error(DeadLetterReason.HOOK_FAILED, "transform returned a row of super table '"
                    + row.superTable() + "', not '" + plan.schema.superTable() + "'", topic, null);
        }
        plan.namer.checkTransformed(r, row, topic);
        return row;
    }

    @Override
    public String toString() {
        return "Mapping{" + plan.filter + " -> " + plan.schema.superTable() + "/" + plan.namer.templateText() + '}';
    }
}
