package io.github.mqtt2tdengine.internal.payload;

import io.github.mqtt2tdengine.payload.PayloadParser;
import io.github.mqtt2tdengine.payload.SubTableTemplate;
import io.github.mqtt2tdengine.payload.TopicFilter;
import io.github.mqtt2tdengine.payload.Identifiers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.mqtt2tdengine.payload.Expression;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import io.github.mqtt2tdengine.DeadLetterReason;
import io.github.mqtt2tdengine.PayloadException;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.Field;
import io.github.mqtt2tdengine.payload.FieldScope;
import io.github.mqtt2tdengine.payload.FieldTarget;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TableNamePolicy;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.payload.TimestampCollisionPolicy;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import io.github.mqtt2tdengine.spi.Row;
import io.github.mqtt2tdengine.spi.SchemaColumn;
import io.github.mqtt2tdengine.spi.TableSchema;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PayloadSpec} compiled for one route: paths compiled once, column and tag positions fixed, the template
 * resolved to value slots. Thread-safe; {@link #map} runs on transport threads. Not API; may change in any release.
 */
public final class Mapping {
    /** Where a value comes from. */
    private enum Kind {
        RECEIVE_TIME, TOPIC, QOS, PATH, LEVEL, EXPR
    }

    /** Consecutive messages in which a JSONPath field matched nothing before one WARN says so: {@value}. */
    public static final int NOT_FOUND_WARN_AFTER = 100;
    private static final Logger LOG = LoggerFactory.getLogger(Mapping.class);
    private final String pipelineName;
    private final TopicFilter filter;
    /** The host's parser, null for the built-in JSON. */
    private final PayloadParser parser;
    private final PayloadSpec spec;
    private final TableSchema schema;
    private final boolean receiveTimeIsPrimaryKey;
    private final Source[] sources;
    private final int[] templateSlots;
    private final String[] templateLiterals;
    private final int templateLiteralLength;
    private final String templateText;
    private final CompiledPath split;
    /** The payload filter (a JSONPath predicate), or null. */
    private final CompiledPath payloadFilter;
    private final boolean needsLevels;
    private final Conversions conversions;
    private final Predicate<Row> rowFilter;
    private final UnaryOperator<Row> transform;
    /** Reads the JSONPath fields in one streaming pass without the tree; null when a path or the spec needs it. */
    private final JsonFieldReader fieldReader;
    /** Expansion and charset decoding before parsing, null when payloads are plain UTF-8. */
    private final PayloadDecoding decoding;
    /** The slots of computed fields, in declaration order. */
    private final int[] computedSlots;
    /** Per source, its slot in the field reader's answer; -1 for sources that are not JSONPaths. */
    private final int[] readerSlots;

    /** One value source: receive time, topic, qos, a JSONPath or a topic level. */
    private static final class Source {
        final String name;
        final Kind kind;
        final CompiledPath path;
        final int level;
        final ColumnType type;
        final TimestampUnit unit;
        final boolean required;
        final boolean messageScope;
        /** A computed field's expression, and the source slot of each name it reads. */
        Expression expression;
        int[] exprSlots;
        int column = -1;
        int tag = -1;
        /** Messages (or split elements) in which the path matched nothing. */
        final LongAdder notFound = new LongAdder();
        /** Consecutive misses; written by the mapping thread only, read for the one-time WARN. */
        int missesInARow;
        boolean warned;

        Source(String name, Kind kind, CompiledPath path, int level, ColumnType type, TimestampUnit unit,
                boolean required, boolean messageScope) {
            this.name = name;
            this.kind = kind;
            this.path = path;
            this.level = level;
            this.type = type;
            this.unit = unit;
            this.required = required;
            this.messageScope = messageScope;
        }

        String where() {
            if (kind == Kind.PATH) {
                return "field '" + name + "' (JSONPath '" + path.text() + "')";
            }
            if (kind == Kind.LEVEL) {
                return "field '" + name + "' (topic level " + level + ")";
            }
            if (kind == Kind.EXPR) {
                return "field '" + name + "' (expression '" + expression.text() + "')";
            }
            return "field '" + name + "'";
        }
    }

    /**
     * Compiles a spec.
     *
     * @param pipelineName for error messages
     * @param topicFilter which topics this mapping takes
     * @param spec the spec, with super table and template set
     */
    public Mapping(String pipelineName, String topicFilter, PayloadSpec spec) {
        this.pipelineName = pipelineName;
        this.filter = TopicFilter.parse(topicFilter);
        this.spec = spec;
        // JSON is read straight into Jackson's tree; a host's parser gives maps and lists, converted once
        this.parser = spec.parser().orElse(null);
        String superTable = spec.superTable().orElseThrow(() -> new IllegalStateException(
                "superTable must be set for mapping of topic filter '" + topicFilter + "'"));
        String template = spec.subTableTemplate().orElseThrow(() -> new IllegalStateException(
                "subTableTemplate must be set for mapping of topic filter '" + topicFilter + "'"));
        boolean splitting = spec.splitPath().isPresent();
        this.split = spec.splitPath().map(p -> PathCompiler.compile("split path", p)).orElse(null);
        this.payloadFilter = spec.payloadFilter().map(p -> PathCompiler.compile("filter", p)).orElse(null);

        List<Source> all = new ArrayList<>();
        List<SchemaColumn> columns = new ArrayList<>();
        List<SchemaColumn> tags = new ArrayList<>();
        Field pk = spec.primaryKey().orElse(null);
        this.receiveTimeIsPrimaryKey = pk == null;
        Source receive = spec.receiveTimeColumn().map(n -> new Source(n, Kind.RECEIVE_TIME, null, -1, ColumnType.TIMESTAMP,
                TimestampUnit.AUTO, true, true)).orElse(null);
        if (pk != null) {
            Source s = fieldSource(pk, splitting);
            place(s, FieldTarget.COLUMN, columns, tags);
            all.add(s);
        }
        if (receive != null) {
            place(receive, FieldTarget.COLUMN, columns, tags);
            all.add(receive);
        }
        Source topic = new Source(spec.topicName(), Kind.TOPIC, null, -1, spec.topicType(), TimestampUnit.AUTO, true, true);
        Source qos = new Source(spec.qosName(), Kind.QOS, null, -1, ColumnType.TINYINT, TimestampUnit.AUTO, true, true);
        for (FieldTarget target : new FieldTarget[] {FieldTarget.COLUMN, FieldTarget.TAG}) {
            if (spec.topicTarget() == target) {
                place(topic, target, columns, tags);
                all.add(topic);
            }
            if (spec.qosTarget() == target) {
                place(qos, target, columns, tags);
                all.add(qos);
            }
            for (Field f : spec.fields()) {
                if (!f.primaryKey() && f.target() == target) {
                    Source s = fieldSource(f, splitting);
                    place(s, target, columns, tags);
                    all.add(s);
                }
            }
        }
        for (Field f : spec.fields()) {
            if (f.target() == FieldTarget.IGNORE) {
                all.add(fieldSource(f, splitting));
            }
        }
        if (spec.topicTarget() == FieldTarget.IGNORE) {
            all.add(topic);
        }
        if (spec.qosTarget() == FieldTarget.IGNORE) {
            all.add(qos);
        }
        this.sources = all.toArray(new Source[0]);
        this.schema = new TableSchema(superTable, columns, tags, spec.policies().tagChange());

        SubTableTemplate t = SubTableTemplate.parse(template);
        this.templateText = t.text();
        this.templateLiterals = t.literals().toArray(new String[0]);
        this.templateSlots = new int[t.placeholders().size()];
        int literalLength = 0;
        for (String literal : templateLiterals) {
            literalLength += literal.length();
        }
        this.templateLiteralLength = literalLength;
        for (int i = 0; i < templateSlots.length; i++) {
            String name = t.placeholders().get(i);
            int slot = -1;
            for (int j = 0; j < sources.length; j++) {
                if (sources[j].name.equals(name) && sources[j].kind != Kind.RECEIVE_TIME) {
                    slot = j;
                    break;
                }
            }
            if (slot < 0) { // PayloadSpec.build() names the known fields; a spec that passed it cannot get here
                throw new IllegalStateException("subTableTemplate references unknown field '" + name + "'");
            }
            templateSlots[i] = slot;
        }
        boolean levels = false;
        List<Integer> computed = new ArrayList<>();
        for (Source s : sources) {
            levels |= s.kind == Kind.LEVEL;
        }
        for (Field f : spec.fields()) { // in declaration order: an expression reads the ones declared before it
            if (f.expression().isPresent()) {
                int i = slotOf(f.name());
                Source s = sources[i];
                s.exprSlots = new int[s.expression.names().size()];
                int k = 0;
                for (String n : s.expression.names()) {
                    s.exprSlots[k++] = slotOf(n);
                }
                computed.add(i);
            }
        }
        this.computedSlots = computed.stream().mapToInt(Integer::intValue).toArray();
        this.needsLevels = levels;
        this.conversions = new Conversions(spec.policies().stringOverflow(), spec.policies().nonFiniteNumber());
        PayloadDecoding d = new PayloadDecoding(spec.compression(), spec.charset(), spec.maxPayloadBytes());
        this.decoding = d.isNeeded() ? d : null;
        this.rowFilter = spec.filter().orElse(null);
        this.transform = spec.transform().orElse(null);
        this.readerSlots = new int[sources.length];
        List<CompiledPath> paths = new ArrayList<>();
        for (int i = 0; i < sources.length; i++) {
            readerSlots[i] = sources[i].kind == Kind.PATH ? paths.size() : -1;
            if (sources[i].kind == Kind.PATH) {
                paths.add(sources[i].path);
            }
        }
        // the host's parser gives a tree; a split reads elements of the tree
        this.fieldReader = parser == null && split == null && payloadFilter == null && !paths.isEmpty()
                ? JsonFieldReader.of(paths) : null;
    }

    private static Source fieldSource(Field f, boolean splitting) {
        if (f.expression().isPresent()) {
            // computed per row, after the row's other values; never read in the source loops (element scope, so the
            // message-scope loop, the only one of unsplit messages, does not even look at it)
            Source s = new Source(f.name(), Kind.EXPR, null, -1, f.type(), f.unit(), f.required(), false);
            s.expression = f.expression().get();
            return s;
        }
        boolean messageScope = !splitting || f.scope() == FieldScope.MESSAGE;
        if (f.path() != null) {
            return new Source(f.name(), Kind.PATH, PathCompiler.compile("JSONPath of field '" + f.name() + "'", f.path()),
                    -1, f.type(), f.unit(), f.required() || f.primaryKey(), messageScope);
        }
        return new Source(f.name(), Kind.LEVEL, null, f.topicLevel(), f.type(), f.unit(), f.required(), true);
    }

    private static void place(Source s, FieldTarget target, List<SchemaColumn> columns, List<SchemaColumn> tags) {
        if (target == FieldTarget.COLUMN) {
            s.column = columns.size();
            columns.add(new SchemaColumn(s.name, s.type));
        } else if (target == FieldTarget.TAG) {
            s.tag = tags.size();
            tags.add(new SchemaColumn(s.name, s.type));
        }
    }

    /**
     * Returns whether this mapping takes messages on the topic.
     *
     * @param topic the topic
     * @return true when its filter matches
     */
    public boolean matches(String topic) {
        return filter.matches(topic);
    }

    /**
     * Returns the topic filter.
     *
     * @return the filter text
     */
    public String topicFilter() {
        return filter.text();
    }

    /**
     * Returns the super table schema.
     *
     * @return the schema
     */
    public TableSchema schema() {
        return schema;
    }

    /**
     * Returns whether the receive time is the primary key (so collisions are possible).
     *
     * @return true when no payload field is the primary key
     */
    public boolean receiveTimeIsPrimaryKey() {
        return receiveTimeIsPrimaryKey;
    }

    /**
     * Returns the collision policy.
     *
     * @return the policy
     */
    public TimestampCollisionPolicy collisionPolicy() {
        return spec.policies().timestampCollision();
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
        if (payload.length > spec.maxPayloadBytes()) {
            throw payloadError(DeadLetterReason.PAYLOAD_TOO_LARGE, "payload of " + payload.length
                    + " bytes is larger than the limit of " + spec.maxPayloadBytes() + " bytes", topic, null);
        }
        if (decoding != null) {
            payload = decode(payload, topic);
        }
        JsonNode root = null;
        JsonNode[] read = null;
        try {
            if (fieldReader != null) {
                read = fieldReader.read(payload);
            } else {
                root = parser == null ? JsonPayloadParser.INSTANCE.parseTree(payload)
                        : JsonPayloadParser.toTree(parser.parse(topic, payload));
            }
        } catch (PayloadException e) {
            throw payloadError(e.reason(), e.getMessage(), topic, e.getCause());
        } catch (RuntimeException e) {
            throw payloadError(DeadLetterReason.INVALID_PAYLOAD, "payload parser " + parser + " failed: " + e, topic, e);
        }
        if (payloadFilter != null && split == null && !kept(root, topic, -1)) {
            return new MappedMessage(Collections.emptyList(), 1, this);
        }
        String[] levels = needsLevels ? topic.split("/", -1) : null;
        Object[] shared = new Object[sources.length];
        for (int i = 0; i < sources.length; i++) {
            Source s = sources[i];
            if (s.messageScope) {
                JsonNode v = s.kind != Kind.PATH ? null : read != null ? read[readerSlots[i]] : s.path.read(root);
                shared[i] = value(s, v, topic, qos, receivedAt, levels, precision, -1);
            }
        }
        if (split == null) {
            if (computedSlots.length != 0) {
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
        JsonNode selected = split.read(root);
        if (selected == null) {
            throw payloadError(DeadLetterReason.MISSING_FIELD, "row-split path '" + split.text() + "' not found", topic, null);
        }
        int n = selected.isArray() ? selected.size() : 1;
        List<Row> rows = new ArrayList<>(n);
        int filtered = 0;
        for (int e = 0; e < n; e++) {
            JsonNode element = selected.isArray() ? selected.get(e) : selected;
            if (payloadFilter != null && !kept(element, topic, e)) {
                filtered++;
                continue;
            }
            Object[] values = shared.clone();
            for (int i = 0; i < sources.length; i++) {
                Source s = sources[i];
                if (!s.messageScope && s.kind != Kind.EXPR) {
                    JsonNode v = s.kind != Kind.PATH || element == null ? null : s.path.read(element);
                    values[i] = value(s, v, topic, qos, receivedAt, levels, precision, e);
                }
            }
            if (computedSlots.length != 0) {
                compute(values, topic, precision, e);
            }
            rows.add(row(values, topic, e));
        }
        return finish(rows, filtered, topic);
    }

    /** The source's value; {@code v} is what a JSONPath source's path read (null when absent). */
    private Object value(Source s, JsonNode v, String topic, int qos, Instant receivedAt, String[] levels,
            TimePrecision precision, int element) {
        try {
            switch (s.kind) {
                case RECEIVE_TIME:
                    return Timestamps.fromInstant(receivedAt, precision);
                case TOPIC:
                    return conversions.convert(TextNode.valueOf(topic), s.type, s.unit, precision);
                case QOS:
                    return (long) qos;
                case LEVEL:
                    if (s.level >= levels.length || levels[s.level].isEmpty()) {
                        if (s.required) {
                            throw new PayloadException(DeadLetterReason.MISSING_FIELD, "topic has no level " + s.level);
                        }
                        return null;
                    }
                    return conversions.convert(TextNode.valueOf(levels[s.level]), s.type, s.unit, precision);
                default:
                    if (v == null) {
                        if (s.required) {
                            throw new PayloadException(DeadLetterReason.MISSING_FIELD, "required value not found");
                        }
                        notFound(s);
                        return null;
                    }
                    if (!s.path.definite() && v.isArray() && s.type.kind() != ColumnType.Kind.JSON) {
                        if (v.size() == 0) {
                            if (s.required) {
                                throw new PayloadException(DeadLetterReason.MISSING_FIELD, "required value not found");
                            }
                            notFound(s);
                            return null;
                        }
                        if (v.size() > 1) {
                            throw new PayloadException(DeadLetterReason.TYPE_MISMATCH, "path matches " + v.size()
                                    + " values, but a column takes one");
                        }
                        v = v.get(0);
                    }
                    if (s.missesInARow != 0) {
                        s.missesInARow = 0;
                    }
                    return conversions.convert(v, s.type, s.unit, precision);
            }
        } catch (PayloadException e) {
            throw payloadError(e.reason(), s.where() + inElement(element) + ": " + e.getMessage(), topic,
                    e.getCause());
        }
    }

    private void notFound(Source s) {
        s.notFound.increment();
        if (++s.missesInARow == NOT_FOUND_WARN_AFTER && !s.warned) {
            s.warned = true;
            LOG.warn("Pipeline '{}': {} matched nothing in the last {} messages, so every value is NULL; check the "
                    + "path against a real payload with SyncPipeline.preview(topic, payload)", pipelineName,
                    s.where(), NOT_FOUND_WARN_AFTER);
        }
    }

    /**
     * Adds, per field name, how many messages (or split elements) the field's JSONPath matched nothing in.
     *
     * @param into counts by field name; fields with a count of zero are left out
     */
    public void addNotFound(Map<String, Long> into) {
        for (Source s : sources) {
            long n = s.notFound.sum();
            if (n > 0) {
                into.merge(s.name, n, Long::sum);
            }
        }
    }

    /** Where in a split message an error is: {@code " (element 3 of '$.readings[*]')"}, empty for unsplit rows. */
    private String inElement(int element) {
        return element >= 0 ? " (element " + element + " of '" + split.text() + "')" : "";
    }

    /** Expands and decodes a payload (compression, charset), errors named as the parser's are. */
    private byte[] decode(byte[] payload, String topic) {
        try {
            return decoding.decode(payload);
        } catch (PayloadException e) {
            throw payloadError(e.reason(), e.getMessage(), topic, e.getCause());
        }
    }

    /** The slot of the source a name reads (the receive time included). */
    private int slotOf(String name) {
        for (int j = 0; j < sources.length; j++) {
            if (sources[j].name.equals(name)) {
                return j;
            }
        }
        // PayloadSpec.build() checks every name an expression reads
        throw new IllegalStateException("expression reads unknown field '" + name + "'");
    }

    /** Computes the computed fields of a row, in declaration order, each converted and checked as its type says. */
    private void compute(Object[] values, String topic, TimePrecision precision, int element) {
        for (int i : computedSlots) {
            Source s = sources[i];
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
                values[i] = conversions.convert(node, s.type, s.unit, precision);
            } catch (PayloadException e) {
                throw payloadError(e.reason(), s.where() + inElement(element) + ": " + e.getMessage(), topic,
                    e.getCause());
            }
        }
    }

    private Row row(Object[] values, String topic, int element) {
        Object[] columns = new Object[schema.columns().size()];
        Object[] tags = new Object[schema.tags().size()];
        for (int i = 0; i < sources.length; i++) {
            Source s = sources[i];
            if (s.column >= 0) {
                columns[s.column] = values[i];
            } else if (s.tag >= 0) {
                tags[s.tag] = values[i];
            }
        }
        if (columns[0] == null) {
            throw payloadError(DeadLetterReason.MISSING_FIELD, "primary-key timestamp '" + schema.columns().get(0).name()
                    + "' has no value", topic, null);
        }
        return Row.of(schema, subTableName(values, topic, element), columns, tags);
    }

    private String subTableName(Object[] values, String topic, int element) {
        StringBuilder sb = new StringBuilder(templateLiteralLength + 16 * templateSlots.length);
        for (int i = 0; i < templateSlots.length; i++) {
            sb.append(templateLiterals[i]);
            Source s = sources[templateSlots[i]];
            Object v = values[templateSlots[i]];
            if (v instanceof Long n && s.type.kind() != ColumnType.Kind.BIGINT_UNSIGNED) {
                sb.append(n.longValue()); // the common case (a device number): no intermediate string
                continue;
            }
            String text = placeholderText(v, s.type);
            if (text == null || text.isEmpty()) {
                throw payloadError(DeadLetterReason.INVALID_TABLE_NAME, "subTableTemplate '" + templateText + "': placeholder {"
                        + s.name + "} has " + (text == null ? "no value" : "an empty value") + inElement(element),
                        topic, null);
            }
            sb.append(text);
        }
        sb.append(templateLiterals[templateSlots.length]);
        return checkTableName(sb, topic);
    }

    private String checkTableName(StringBuilder sb, String topic) {
        boolean ascii = true;
        for (int i = 0; i < sb.length(); i++) {
            char c = sb.charAt(i);
            ascii &= c < 0x80;
            if (Identifiers.isForbidden(c)) {
                if (spec.policies().tableName() == TableNamePolicy.REJECT) {
                    throw payloadError(DeadLetterReason.INVALID_TABLE_NAME, "sub-table name '" + showName(sb)
                            + "' contains forbidden character " + Identifiers.describe(c) + " (policy REJECT)", topic, null);
                }
                sb.setCharAt(i, spec.policies().nameReplacement());
            }
        }
        String name = sb.toString();
        int bytes = ascii ? name.length() : Identifiers.utf8Length(name);
        if (bytes > Identifiers.MAX_TABLE_NAME_BYTES) {
            throw payloadError(DeadLetterReason.INVALID_TABLE_NAME, "sub-table name '" + showName(sb) + "' is " + bytes
                    + " bytes, more than TDengine's limit of " + Identifiers.MAX_TABLE_NAME_BYTES, topic, null);
        }
        return name;
    }

    private static String showName(CharSequence name) {
        return name.length() <= 64 ? name.toString() : name.subSequence(0, 64) + "...";
    }

    private static String placeholderText(Object v, ColumnType type) {
        if (v == null) {
            return null;
        }
        if (v instanceof byte[]) {
            return new String((byte[]) v, StandardCharsets.UTF_8);
        }
        if (v instanceof Long && type.kind() == ColumnType.Kind.BIGINT_UNSIGNED) {
            return Long.toUnsignedString((Long) v);
        }
        return v.toString();
    }

    /** Whether the payload filter selects something in the payload or element {@code node}. */
    private boolean kept(JsonNode node, String topic, int element) {
        JsonNode selected;
        try {
            selected = node == null ? null : payloadFilter.read(node);
        } catch (RuntimeException e) {
            throw payloadError(DeadLetterReason.EXPRESSION_FAILED, "filter '" + payloadFilter.text() + "'"
                    + inElement(element) + " failed: " + e.getMessage(), topic, e);
        }
        return selected != null && !(selected.isArray() && selected.isEmpty());
    }

    private MappedMessage finish(List<Row> rows, int filteredBefore, String topic) {
        if (transform == null && rowFilter == null) {
            return new MappedMessage(rows, filteredBefore, this);
        }
        List<Row> out = new ArrayList<>(rows.size());
        int filtered = filteredBefore;
        for (Row r : rows) {
            Row row = r;
            if (transform != null) {
                try {
                    row = transform.apply(r);
                } catch (RuntimeException e) {
                    throw payloadError(DeadLetterReason.HOOK_FAILED, "transform threw " + e, topic, e);
                }
                if (row == null) {
                    throw payloadError(DeadLetterReason.HOOK_FAILED, "transform returned null", topic, null);
                }
                if (!row.schema().equals(schema)) {
                    throw payloadError(DeadLetterReason.HOOK_FAILED, "transform returned a row of super table '"
                            + row.superTable() + "', not '" + schema.superTable() + "'", topic, null);
                }
                if (!row.subTable().equals(r.subTable()) && (row.subTable().isEmpty()
                        || Identifiers.firstForbidden(row.subTable()) >= 0
                        || Identifiers.utf8Length(row.subTable()) > Identifiers.MAX_TABLE_NAME_BYTES)) {
                    throw payloadError(DeadLetterReason.INVALID_TABLE_NAME, "transform returned sub-table name '"
                            + showName(row.subTable()) + "', which is empty, too long or has a forbidden character",
                            topic, null);
                }
            }
            boolean keep;
            try {
                keep = rowFilter == null || rowFilter.test(row);
            } catch (PayloadException e) {
                throw payloadError(e.reason(), "filter: " + e.getMessage(), topic, e.getCause());
            } catch (RuntimeException e) {
                throw payloadError(DeadLetterReason.HOOK_FAILED, "filter threw " + e, topic, e);
            }
            if (keep) {
                out.add(row);
            } else {
                filtered++;
            }
        }
        return new MappedMessage(out, filtered, this);
    }

    private PayloadException payloadError(DeadLetterReason reason, String what, String topic, Throwable cause) {
        return new PayloadException(reason, "Pipeline '" + pipelineName + "': " + what + ", in message on topic '"
                + topic + "'", cause);
    }

    @Override
    public String toString() {
        return "Mapping{" + filter + " -> " + schema.superTable() + "/" + templateText + '}';
    }
}
