package io.github.mqtt2tdengine.internal.payload;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mqtt2tdengine.internal.expression.Expression;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.Field;
import io.github.mqtt2tdengine.payload.FieldScope;
import io.github.mqtt2tdengine.payload.FieldTarget;
import io.github.mqtt2tdengine.payload.MappedRow;
import io.github.mqtt2tdengine.payload.PayloadParser;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.SubTableTemplate;
import io.github.mqtt2tdengine.payload.TimestampCollisionPolicy;
import io.github.mqtt2tdengine.payload.TopicFilter;
import io.github.mqtt2tdengine.spi.SchemaColumn;
import io.github.mqtt2tdengine.spi.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A {@link PayloadSpec} compiled for one route, once, at build time: the value sources in slot order with their
 * column and tag positions, paths compiled, expressions resolved to slots, the template resolved to slots, and the
 * way payloads are read (one of three: the streaming field reader, Jackson's tree, or the host's parser's tree).
 * Immutable (its arrays are never written after construction), so thread-safe. Not API; may change in any release.
 */
final class MappingPlan {
    final TopicFilter filter;
    final TableSchema schema;
    final boolean receiveTimeIsPrimaryKey;
    final TimestampCollisionPolicy collisionPolicy;
    /** The value sources; a row's values are an array in this order. */
    final ValueSource[] sources;
    /** The row-split path, or null. */
    final CompiledPath split;
    /** The payload filter (a JSONPath predicate), or null. */
    final CompiledPath payloadFilter;
    /** Whether a source reads a topic level. */
    final boolean needsLevels;
    /** The slots of computed fields, in declaration order (an expression reads the ones declared before it). */
    final int[] computedSlots;
    /** Per source, its slot in the field reader's answer; -1 for sources that are not JSONPaths. */
    final int[] readerSlots;
    /** Reads the JSONPath fields in one streaming pass without the tree; null when a path or the spec needs it. */
    final JsonFieldReader fieldReader;
    /** The host's parser, null for the built-in JSON. */
    final PayloadParser parser;
    /** Expansion and charset decoding before parsing, null when payloads are plain UTF-8. */
    final PayloadDecoding decoding;
    final int maxPayloadBytes;
    final Conversions conversions;
    final Predicate<MappedRow> rowFilter;
    final UnaryOperator<MappedRow> transform;
    final SubTableNamer namer;
    final MessageErrors errors;

    /**
     * Compiles a spec.
     *
     * @param pipelineName for error messages
     * @param topicFilter which topics the route takes
     * @param spec the spec, with super table and template set
     * @throws IllegalStateException when the super table or the template is not set
     */
    MappingPlan(String pipelineName, String topicFilter, PayloadSpec spec) {
        this.filter = TopicFilter.parse(topicFilter);
        this.parser = spec.parser().orElse(null);
        String superTable = spec.superTable().orElseThrow(() -> new IllegalStateException(
                "superTable must be set for mapping of topic filter '" + topicFilter + "'"));
        String template = spec.subTableTemplate().orElseThrow(() -> new IllegalStateException(
                "subTableTemplate must be set for mapping of topic filter '" + topicFilter + "'"));
        boolean splitting = spec.splitPath().isPresent();
        this.split = spec.splitPath().map(p -> PathCompiler.compile("split path", p)).orElse(null);
        this.payloadFilter = spec.payloadFilter().map(p -> PathCompiler.compile("filter", p)).orElse(null);
        this.errors = new MessageErrors(pipelineName, split == null ? null : split.text());

        List<ValueSource> all = new ArrayList<>();
        List<SchemaColumn> columns = new ArrayList<>();
        List<SchemaColumn> tags = new ArrayList<>();
        Field pk = spec.primaryKey().orElse(null);
        this.receiveTimeIsPrimaryKey = pk == null;
        if (pk != null) {
            all.add(place(source(pk, splitting), FieldTarget.COLUMN, columns, tags));
        }
        spec.receiveTimeColumn().ifPresent(n -> all.add(place(ValueSource.fixed(n, ValueSource.Kind.RECEIVE_TIME,
                ColumnType.TIMESTAMP), FieldTarget.COLUMN, columns, tags)));
        ValueSource topic = ValueSource.fixed(spec.topicName(), ValueSource.Kind.TOPIC, spec.topicType());
        ValueSource qos = ValueSource.fixed(spec.qosName(), ValueSource.Kind.QOS, ColumnType.TINYINT);
        for (FieldTarget target : new FieldTarget[] {FieldTarget.COLUMN, FieldTarget.TAG}) {
            if (spec.topicTarget() == target) {
                all.add(place(topic, target, columns, tags));
            }
            if (spec.qosTarget() == target) {
                all.add(place(qos, target, columns, tags));
            }
            for (Field f : spec.fields()) {
                if (!f.primaryKey() && f.target() == target) {
                    all.add(place(source(f, splitting), target, columns, tags));
                }
            }
        }
        for (Field f : spec.fields()) {
            if (f.target() == FieldTarget.IGNORE) {
                all.add(source(f, splitting));
            }
        }
        if (spec.topicTarget() == FieldTarget.IGNORE) {
            all.add(topic);
        }
        if (spec.qosTarget() == FieldTarget.IGNORE) {
            all.add(qos);
        }
        this.schema = new TableSchema(superTable, columns, tags, spec.policies().tagChange());
        this.collisionPolicy = spec.policies().timestampCollision();

        List<Integer> computed = new ArrayList<>();
        for (Field f : spec.fields()) { // in declaration order: an expression reads the ones declared before it
            if (f.expression().isPresent()) {
                int i = slotOf(all, f.name());
                ValueSource s = all.get(i);
                int[] reads = new int[s.expression.names().size()];
                int k = 0;
                for (String n : s.expression.names()) {
                    reads[k++] = slotOf(all, n);
                }
                all.set(i, s.reading(reads));
                computed.add(i);
            }
        }
        this.sources = all.toArray(new ValueSource[0]);
        this.computedSlots = computed.stream().mapToInt(Integer::intValue).toArray();
        boolean levels = false;
        for (ValueSource s : sources) {
            levels |= s.kind == ValueSource.Kind.LEVEL;
        }
        this.needsLevels = levels;
        this.namer = new SubTableNamer(SubTableTemplate.parse(template), sources, spec.policies().tableName(),
                spec.policies().nameReplacement(), errors);
        this.conversions = new Conversions(spec.policies().stringOverflow(), spec.policies().nonFiniteNumber());
        PayloadDecoding d = new PayloadDecoding(spec.compression(), spec.charset(), spec.maxPayloadBytes());
        this.decoding = d.isNeeded() ? d : null;
        this.maxPayloadBytes = spec.maxPayloadBytes();
        this.rowFilter = spec.filter().orElse(null);
        this.transform = spec.transform().orElse(null);
        this.readerSlots = new int[sources.length];
        List<CompiledPath> paths = new ArrayList<>();
        for (int i = 0; i < sources.length; i++) {
            readerSlots[i] = sources[i].kind == ValueSource.Kind.PATH ? paths.size() : -1;
            if (sources[i].kind == ValueSource.Kind.PATH) {
                paths.add(sources[i].path);
            }
        }
        // the host's parser gives a tree; a split and a payload filter read the tree
        this.fieldReader = parser == null && split == null && payloadFilter == null && !paths.isEmpty()
                ? JsonFieldReader.of(paths) : null;
    }

    private static ValueSource source(Field f, boolean splitting) {
        if (f.expression().isPresent()) {
            return ValueSource.expression(f.name(), Expression.parse(f.expression().get()), f.type(), f.unit(),
                    f.required());
        }
        boolean messageScope = !splitting || f.scope() == FieldScope.MESSAGE;
        if (f.path() != null) {
            return ValueSource.path(f.name(), PathCompiler.compile("JSONPath of field '" + f.name() + "'", f.path()),
                    f.type(), f.unit(), f.required() || f.primaryKey(), messageScope);
        }
        return ValueSource.level(f.name(), f.topicLevel(), f.type(), f.unit(), f.required());
    }

    private static ValueSource place(ValueSource s, FieldTarget target, List<SchemaColumn> columns,
            List<SchemaColumn> tags) {
        if (target == FieldTarget.COLUMN) {
            columns.add(new SchemaColumn(s.name, s.type));
            return s.placed(columns.size() - 1, -1);
        }
        if (target == FieldTarget.TAG) {
            tags.add(new SchemaColumn(s.name, s.type));
            return s.placed(-1, tags.size() - 1);
        }
        return s;
    }

    /** The slot of the source a name reads (the receive time included). */
    private static int slotOf(List<ValueSource> sources, String name) {
        for (int j = 0; j < sources.size(); j++) {
            if (sources.get(j).name.equals(name)) {
                return j;
            }
        }
        // PayloadSpec.build() checks every name an expression reads
        throw new IllegalStateException("expression reads unknown field '" + name + "'");
    }

    /** The names of the sources, by slot. */
    String[] names() {
        String[] out = new String[sources.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = sources[i].name;
        }
        return out;
    }

    /** How errors name the sources, by slot. */
    String[] wheres() {
        String[] out = new String[sources.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = sources[i].where;
        }
        return out;
    }

    /**
     * Parses a payload into the tree the paths read: Jackson's for JSON, the host's parser's otherwise.
     *
     * @param topic the topic, for the host's parser
     * @param payload the (decoded) payload
     * @return the tree
     */
    JsonNode tree(String topic, byte[] payload) {
        return parser == null ? JsonPayloadParser.INSTANCE.parseTree(payload)
                : JsonPayloadParser.toTree(parser.parse(topic, payload));
    }
}
