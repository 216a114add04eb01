package io.github.mqtt2tdengine.payload;

import io.github.mqtt2tdengine.internal.expression.Expression;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * How messages become rows: the "MQTT Payload Parser" table of the TDengine Cloud MQTT data source form (receive
 * time {@code ts}, {@code topic}, {@code qos}, custom fields, primary-key timestamp, sub-table name template, super
 * table) and what comes next (topic levels, row splitting, hooks, policies).
 *
 * <p>Immutable; build with {@link #json()}. Column order in the super table: the primary-key timestamp, the receive
 * time (when it is not the key), {@code topic} and {@code qos} when they are columns, then custom columns in the
 * order given. Tag order: {@code topic} and {@code qos} when they are tags, then custom tags in the order given.
 *
 * @since 0.1.0
 */
public final class PayloadSpec {
    /** Name of the receive-time column when none is set: {@value}. */
    public static final String DEFAULT_RECEIVE_TIME_COLUMN = "ts";
    /** Column name of a message timestamp set with {@link Builder#timestamp(String, TimestampUnit)}: {@value}. */
    public static final String DEFAULT_MESSAGE_TIMESTAMP_COLUMN = "mts";
    /** Name of the topic column or tag when none is set: {@value}. */
    public static final String DEFAULT_TOPIC_NAME = "topic";
    /** Type of the topic column or tag when none is set: VARCHAR(256). */
    public static final ColumnType DEFAULT_TOPIC_TYPE = ColumnType.varchar(256);
    /** Name of the QoS column or tag when none is set: {@value}. */
    public static final String DEFAULT_QOS_NAME = "qos";
    /** Largest payload mapped when none is set: {@value} bytes (1 MiB); larger ones are dead-lettered. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1 << 20;

    private final PayloadParser parser;
    private final String receiveTimeColumn;
    private final FieldTarget topicTarget;
    private final String topicName;
    private final ColumnType topicType;
    private final FieldTarget qosTarget;
    private final String qosName;
    private final List<Field> fields;
    private final String splitPath;
    private final String superTable;
    private final String subTableTemplate;
    private final Predicate<MappedRow> filter;
    private final String payloadFilter;
    private final UnaryOperator<MappedRow> transform;
    private final PayloadPolicies policies;
    private final int maxPayloadBytes;
    private final Compression compression;
    private final Charset charset;

    private PayloadSpec(Builder b) {
        parser = b.parser;
        receiveTimeColumn = b.receiveTimeColumn;
        topicTarget = b.topicTarget;
        topicName = b.topicName;
        topicType = b.topicType;
        qosTarget = b.qosTarget;
        qosName = b.qosName;
        fields = List.copyOf(b.fields);
        splitPath = b.splitPath;
        superTable = b.superTable;
        subTableTemplate = b.subTableTemplate;
        filter = b.filter;
        payloadFilter = b.payloadFilter;
        transform = b.transform;
        policies = b.policies;
        maxPayloadBytes = b.maxPayloadBytes;
        compression = b.compression;
        charset = b.charset;
    }

    /**
     * Starts a spec for JSON payloads.
     *
     * @return a builder
     */
    public static Builder json() {
        return new Builder(null);
    }

    /**
     * Starts a spec for payloads in another format.
     *
     * @param parser turns payloads into the tree the field paths read
     * @return a builder
     */
    public static Builder builder(PayloadParser parser) {
        return new Builder(Objects.requireNonNull(parser, "parser must not be null"));
    }

    /**
     * Starts a spec for text matched by a regular expression with named groups ({@link PayloadFormats#regex}): fields
     * read {@code $.name} for {@code (?<name>...)}.
     *
     * @param pattern the expression
     * @return a builder
     * @throws IllegalArgumentException when the pattern is invalid or has no named group
     */
    public static Builder regex(String pattern) {
        return builder(PayloadFormats.regex(pattern));
    }

    /**
     * Starts a spec for delimited text ({@link PayloadFormats#csv}): one row per line (split {@code $[*]}); fields read
     * {@code $.name} with column names, {@code $[i]} without.
     *
     * @param delimiter the field delimiter
     * @param columns the fields' names in order, or empty to address them by position
     * @return a builder
     */
    public static Builder csv(char delimiter, List<String> columns) {
        return builder(PayloadFormats.csv(delimiter, columns)).split("$[*]");
    }

    /**
     * Starts a spec for a single plain value ({@link PayloadFormats#plain}): fields read {@code $.name}.
     *
     * @param name the value's key
     * @return a builder
     */
    public static Builder plain(String name) {
        return builder(PayloadFormats.plain(name));
    }

    /**
     * Starts a spec for JSON Lines or a JSON array in one message ({@link PayloadFormats#jsonLines}): one row per value
     * (split {@code $[*]}).
     *
     * @return a builder
     */
    public static Builder jsonLines() {
        return builder(PayloadFormats.jsonLines()).split("$[*]");
    }

    /**
     * Returns a builder holding this spec's settings.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(parser);
        b.receiveTimeColumn = receiveTimeColumn;
        b.topicTarget = topicTarget;
        b.topicName = topicName;
        b.topicType = topicType;
        b.qosTarget = qosTarget;
        b.qosName = qosName;
        b.fields.addAll(fields);
        b.splitPath = splitPath;
        b.superTable = superTable;
        b.subTableTemplate = subTableTemplate;
        b.filter = filter;
        b.payloadFilter = payloadFilter;
        b.transform = transform;
        b.policies = policies;
        b.maxPayloadBytes = maxPayloadBytes;
        b.compression = compression;
        b.charset = charset;
        return b;
    }

    /**
     * Returns the host's payload parser, absent for JSON (the built-in parser: Jackson, strict JSON, UTF-8, at most
     * 1000 levels of nesting, no trailing content), which the mapping reads without a second conversion.
     *
     * @return the parser given to {@link #builder(PayloadParser)}, or empty for {@link #json()}
     */
    public Optional<PayloadParser> parser() {
        return Optional.ofNullable(parser);
    }

    /**
     * Returns the receive-time column name, absent when the receive time is not stored.
     *
     * @return the column name
     */
    public Optional<String> receiveTimeColumn() {
        return Optional.ofNullable(receiveTimeColumn);
    }

    /**
     * Returns where the topic goes.
     *
     * @return the target
     */
    public FieldTarget topicTarget() {
        return topicTarget;
    }

    /**
     * Returns the topic column or tag name.
     *
     * @return the name
     */
    public String topicName() {
        return topicName;
    }

    /**
     * Returns the topic column or tag type.
     *
     * @return VARCHAR(n) or NCHAR(n)
     */
    public ColumnType topicType() {
        return topicType;
    }

    /**
     * Returns where the QoS goes.
     *
     * @return the target
     */
    public FieldTarget qosTarget() {
        return qosTarget;
    }

    /**
     * Returns the QoS column or tag name (type TINYINT).
     *
     * @return the name
     */
    public String qosName() {
        return qosName;
    }

    /**
     * Returns the custom fields in the order given.
     *
     * @return an immutable list
     */
    public List<Field> fields() {
        return fields;
    }

    /**
     * Returns the primary-key field, absent when the receive time is the primary key.
     *
     * @return the primary-key field
     */
    public Optional<Field> primaryKey() {
        return fields.stream().filter(Field::primaryKey).findFirst();
    }

    /**
     * Returns the row-split path, absent when each message is one row.
     *
     * @return the JSONPath selecting the array elements
     */
    public Optional<String> splitPath() {
        return Optional.ofNullable(splitPath);
    }

    /**
     * Returns the super table name, absent when the pipeline's default applies.
     *
     * @return the name
     */
    public Optional<String> superTable() {
        return Optional.ofNullable(superTable);
    }

    /**
     * Returns the sub-table name template, absent when the pipeline's default applies.
     *
     * @return the template
     */
    public Optional<String> subTableTemplate() {
        return Optional.ofNullable(subTableTemplate);
    }

    /**
     * Returns the row filter; rows it rejects are dropped on purpose and counted as filtered.
     *
     * @return the filter, absent when every row is kept
     */
    public Optional<Predicate<MappedRow>> filter() {
        return Optional.ofNullable(filter);
    }

    /**
     * Returns the payload filter: a JSONPath filter predicate such as {@code $[?(@.status != 'test')]}, read on each
     * payload (with a {@link Builder#split split}, on each element) before its values are mapped; a payload or element
     * it selects nothing in is filtered.
     *
     * @return the JSONPath, absent when none was set
     */
    public Optional<String> payloadFilter() {
        return Optional.ofNullable(payloadFilter);
    }

    /**
     * Returns the row transform.
     *
     * @return the transform, absent when rows are kept as mapped
     */
    public Optional<UnaryOperator<MappedRow>> transform() {
        return Optional.ofNullable(transform);
    }

    /**
     * Returns what the mapping does with input that does not fit as it is (collisions, names, overflow, NaN, tags).
     *
     * @return the policies
     */
    public PayloadPolicies policies() {
        return policies;
    }

    /**
     * Returns the largest payload mapped; larger ones are dead-lettered with reason {@code PAYLOAD_TOO_LARGE}.
     *
     * @return bytes
     */
    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /**
     * Returns how payloads are compressed.
     *
     * @return the compression, {@link Compression#NONE} unless set
     */
    public Compression compression() {
        return compression;
    }

    /**
     * Returns the payloads' character set; they are decoded from it before parsing.
     *
     * @return the charset, UTF-8 unless set
     */
    public Charset charset() {
        return charset;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PayloadSpec)) {
            return false;
        }
        PayloadSpec s = (PayloadSpec) o;
        return Objects.equals(parser, s.parser) && Objects.equals(receiveTimeColumn, s.receiveTimeColumn)
                && topicTarget == s.topicTarget && topicName.equals(s.topicName) && topicType.equals(s.topicType)
                && qosTarget == s.qosTarget && qosName.equals(s.qosName) && fields.equals(s.fields)
                && Objects.equals(splitPath, s.splitPath) && Objects.equals(superTable, s.superTable)
                && Objects.equals(subTableTemplate, s.subTableTemplate) && Objects.equals(filter, s.filter)
                && Objects.equals(payloadFilter, s.payloadFilter)
                && Objects.equals(transform, s.transform) && policies.equals(s.policies)
                && maxPayloadBytes == s.maxPayloadBytes && compression == s.compression
                && charset.equals(s.charset);
    }

    @Override
    public int hashCode() {
        return Objects.hash(parser, receiveTimeColumn, topicTarget, topicName, topicType, qosTarget, qosName, fields,
                splitPath, superTable, subTableTemplate, filter, payloadFilter, transform, policies, maxPayloadBytes,
                compression, charset);
    }

    @Override
    public String toString() {
        return "PayloadSpec{receiveTime=" + receiveTimeColumn + ", topic=" + topicTarget + ' ' + topicName
                + ", qos=" + qosTarget + ' ' + qosName + ", fields=" + fields
                + (splitPath != null ? ", split=" + splitPath : "") + ", superTable=" + superTable
                + ", subTableTemplate=" + subTableTemplate
                + (payloadFilter != null ? ", payloadFilter=" + payloadFilter : "") + '}';
    }

    /** Builds a {@link PayloadSpec}; mutable, not thread-safe, reusable. */
    public static final class Builder {
        private final PayloadParser parser; // null: the built-in JSON parser
        private String receiveTimeColumn = DEFAULT_RECEIVE_TIME_COLUMN;
        private FieldTarget topicTarget = FieldTarget.IGNORE;
        private String topicName = DEFAULT_TOPIC_NAME;
        private ColumnType topicType = DEFAULT_TOPIC_TYPE;
        private FieldTarget qosTarget = FieldTarget.IGNORE;
        private String qosName = DEFAULT_QOS_NAME;
        private final List<Field> fields = new ArrayList<>();
        private String splitPath;
        private String superTable;
        private String subTableTemplate;
        private Predicate<MappedRow> filter;
        private String payloadFilter;
        private UnaryOperator<MappedRow> transform;
        private PayloadPolicies policies = PayloadPolicies.DEFAULTS;
        private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
        private Compression compression = Compression.NONE;
        private Charset charset = StandardCharsets.UTF_8;

        private Builder(PayloadParser parser) {
            this.parser = parser;
        }

        /**
         * Names the receive-time TIMESTAMP column (the {@code ts} row of the TDengine Cloud MQTT data source form);
         * default
         * {@value #DEFAULT_RECEIVE_TIME_COLUMN}. It is the primary key unless a field is marked as one.
         *
         * @param column the column name
         * @return this builder
         */
        public Builder receiveTimeColumn(String column) {
            this.receiveTimeColumn = Identifiers.check("receive-time column", column, Identifiers.MAX_COLUMN_NAME_BYTES);
            return this;
        }

        /**
         * Leaves the receive time out of the table; only allowed when a field is the primary key.
         *
         * @return this builder
         */
        public Builder withoutReceiveTime() {
            this.receiveTimeColumn = null;
            return this;
        }

        /**
         * Stores the topic as a column or tag named {@value #DEFAULT_TOPIC_NAME} of type VARCHAR(256), or not at all
         * (the default, {@link FieldTarget#IGNORE}).
         *
         * @param target column, tag or ignore
         * @return this builder
         */
        public Builder topic(FieldTarget target) {
            this.topicTarget = Objects.requireNonNull(target, "target must not be null");
            return this;
        }

        /**
         * Stores the topic with a chosen name and type.
         *
         * @param target column, tag or ignore
         * @param name the column or tag name
         * @param type VARCHAR(n) or NCHAR(n)
         * @return this builder
         * @throws IllegalArgumentException if the type is not VARCHAR or NCHAR
         */
        public Builder topic(FieldTarget target, String name, ColumnType type) {
            Objects.requireNonNull(type, "type must not be null");
            if (type.kind() != ColumnType.Kind.VARCHAR && type.kind() != ColumnType.Kind.NCHAR) {
                throw new IllegalArgumentException("topic type must be VARCHAR(n) or NCHAR(n), but was " + type);
            }
            this.topicTarget = Objects.requireNonNull(target, "target must not be null");
            this.topicName = Identifiers.check("topic name", name, Identifiers.MAX_COLUMN_NAME_BYTES);
            this.topicType = type;
            return this;
        }

        /**
         * Stores the QoS as a TINYINT column or tag named {@value #DEFAULT_QOS_NAME}, or not at all (the default).
         *
         * @param target column, tag or ignore
         * @return this builder
         */
        public Builder qos(FieldTarget target) {
            this.qosTarget = Objects.requireNonNull(target, "target must not be null");
            return this;
        }

        /**
         * Stores the QoS as a TINYINT column or tag with a chosen name.
         *
         * @param target column, tag or ignore
         * @param name the column or tag name
         * @return this builder
         */
        public Builder qos(FieldTarget target, String name) {
            this.qosTarget = Objects.requireNonNull(target, "target must not be null");
            this.qosName = Identifiers.check("qos name", name, Identifiers.MAX_COLUMN_NAME_BYTES);
            return this;
        }

        /**
         * Uses a message timestamp as the primary key, in column {@value #DEFAULT_MESSAGE_TIMESTAMP_COLUMN}; the
         * receive time stays an ordinary column unless {@link #withoutReceiveTime()}.
         *
         * @param path the JSONPath of the timestamp
         * @param unit the unit of numeric values
         * @return this builder
         */
        public Builder timestamp(String path, TimestampUnit unit) {
            return timestamp(DEFAULT_MESSAGE_TIMESTAMP_COLUMN, path, unit);
        }

        /**
         * Uses a message timestamp as the primary key, in the named column.
         *
         * @param column the primary-key column name
         * @param path the JSONPath of the timestamp
         * @param unit the unit of numeric values
         * @return this builder
         */
        public Builder timestamp(String column, String path, TimestampUnit unit) {
            return field(Field.builder(column).path(path).type(ColumnType.TIMESTAMP).primaryKey(true).unit(unit)
                    .required(true).build());
        }

        /**
         * Adds a nullable column read from a JSONPath.
         *
         * @param name the column name
         * @param path the JSONPath
         * @param type the TDengine type
         * @return this builder
         */
        public Builder column(String name, String path, ColumnType type) {
            return field(Field.column(name, path, type));
        }

        /**
         * Adds a tag read from a JSONPath; a missing value becomes NULL.
         *
         * @param name the tag name
         * @param path the JSONPath
         * @param type the TDengine type
         * @return this builder
         */
        public Builder tag(String name, String path, ColumnType type) {
            return field(Field.tag(name, path, type));
        }

        /**
         * Adds a tag read from a JSONPath that must be present; a missing value dead-letters the message.
         *
         * @param name the tag name
         * @param path the JSONPath
         * @param type the TDengine type
         * @return this builder
         */
        public Builder requiredTag(String name, String path, ColumnType type) {
            return field(Field.tag(name, path, type).toBuilder().required(true).build());
        }

        /**
         * Adds a VARCHAR({@value ColumnType#DEFAULT_LENGTH}) tag read from a topic level: level 1 of
         * {@code plant/m7/meters} is {@code m7}. A missing level dead-letters the message.
         *
         * @param name the tag name
         * @param level the 0-based topic level
         * @return this builder
         */
        public Builder tagFromTopicLevel(String name, int level) {
            return tagFromTopicLevel(name, level, ColumnType.VARCHAR);
        }

        /**
         * Adds a tag read from a topic level, converted to the given type.
         *
         * @param name the tag name
         * @param level the 0-based topic level
         * @param type the TDengine type
         * @return this builder
         */
        public Builder tagFromTopicLevel(String name, int level, ColumnType type) {
            return field(Field.builder(name).topicLevel(level).type(type).target(FieldTarget.TAG).required(true)
                    .build());
        }

        /**
         * Adds a column read from a topic level, converted to the given type.
         *
         * @param name the column name
         * @param level the 0-based topic level
         * @param type the TDengine type
         * @return this builder
         */
        public Builder columnFromTopicLevel(String name, int level, ColumnType type) {
            return field(Field.builder(name).topicLevel(level).type(type).required(true).build());
        }

        /**
         * Adds a field.
         *
         * @param field the field
         * @return this builder
         */
        public Builder field(Field field) {
            fields.add(Objects.requireNonNull(field, "field must not be null"));
            return this;
        }

        /**
         * Splits each message into one row per element of an array, for example {@code $.readings[*]}; fields are
         * then read from each element unless their scope is {@link FieldScope#MESSAGE}. An empty array yields no
         * rows; a missing one dead-letters the message.
         *
         * @param path the JSONPath selecting the elements
         * @return this builder
         */
        public Builder split(String path) {
            Objects.requireNonNull(path, "split path must not be null");
            JsonPaths.check("split path", path);
            this.splitPath = path;
            return this;
        }

        /**
         * Sets the super table of this mapping; without it, the pipeline's {@code SyncPipeline.Builder.superTable}
         * applies (set one or the other; a pipeline value that no mapping takes fails the pipeline's build).
         *
         * @param name the super table name: at most 192 bytes, no '.', backquote or control characters
         * @return this builder
         */
        public Builder superTable(String name) {
            this.superTable = Identifiers.check("super table name", name, Identifiers.MAX_TABLE_NAME_BYTES);
            return this;
        }

        /**
         * Sets the sub-table name template, for example {@code d{id}} or {@code meter_{site}_{device_id}}; each
         * {@code {name}} is the value of a field, tag, topic-level field, {@code topic} or {@code qos}. Without it,
         * the pipeline's {@code SyncPipeline.Builder.subTableTemplate} applies (the same rule as {@link #superTable}).
         *
         * @param template the template
         * @return this builder
         */
        public Builder subTableTemplate(String template) {
            this.subTableTemplate = SubTableTemplate.parse(template).text();
            return this;
        }

        /**
         * Keeps only rows the predicate accepts; the others are dropped on purpose and counted as filtered. Runs on
         * transport threads after the transform; must not block. If it throws, the message is dead-lettered.
         *
         * @param filter the predicate
         * @return this builder
         */
        public Builder filter(Predicate<MappedRow> filter) {
            this.filter = Objects.requireNonNull(filter, "filter must not be null");
            return this;
        }

        /**
         * Changes each mapped row (for example to scale a value or rename a sub-table) using the {@code with*}
         * methods of {@link MappedRow}; it must return the row it was given or such a copy.
         * Runs on transport threads; must not block. If it throws, the message is dead-lettered.
         *
         * @param transform the transform; must return a row of the same super table
         * @return this builder
         */
        public Builder transform(UnaryOperator<MappedRow> transform) {
            this.transform = Objects.requireNonNull(transform, "transform must not be null");
            return this;
        }

        /**
         * Sets what the mapping does with input that does not fit as it is; default {@link PayloadPolicies#DEFAULTS}.
         *
         * @param policies the policies
         * @return this builder
         */
        public Builder policies(PayloadPolicies policies) {
            this.policies = Objects.requireNonNull(policies, "policies must not be null");
            return this;
        }

        /**
         * Changes the policies in line, starting from those set so far:
         * {@code .policies().stringOverflow(StringOverflowPolicy.TRUNCATE).tagChange(TagChangePolicy.IGNORE)
         * .applyPolicies()}.
         *
         * @return the nested builder; {@link PayloadPolicies.Nested#applyPolicies()} returns to this builder
         */
        public PayloadPolicies.Nested<Builder> policies() {
            return new PayloadPolicies.Nested<>(policies, this::policies);
        }

        /**
         * Sets the largest payload mapped; default {@value #DEFAULT_MAX_PAYLOAD_BYTES} bytes.
         *
         * @param bytes the limit, greater than 0
         * @return this builder
         */
        public Builder maxPayloadBytes(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("max payload bytes must be greater than 0, but was " + bytes);
            }
            this.maxPayloadBytes = bytes;
            return this;
        }

        /**
         * Keeps only the rows for which an expression over the row's columns and tags is true, e.g.
         * {@code status != 'test' && current > 0}; the others are filtered (counted, acknowledged, not
         * dead-lettered), and a NULL result is false. Replaces a {@link #filter(Predicate)}. An expression that fails
         * on a row (division by zero, text compared with a number) dead-letters the message with reason
         * {@code EXPRESSION_FAILED}. To filter on the payload itself, before mapping, see {@link #payloadFilter}.
         *
         * @param expression the condition over the row's columns and tags
         * @return this builder
         * @throws IllegalArgumentException naming the position when the text is not an expression
         */
        public Builder filterExpression(String expression) {
            Objects.requireNonNull(expression, "filter expression must not be null");
            this.filter = new ExpressionFilter(Expression.parse(expression));
            return this;
        }

        /**
         * Keeps only the payloads a JSONPath filter predicate selects something in, e.g.
         * {@code $[?(@.status != 'test' && @.current > 0)]}: read on each payload (with a {@link #split}, on each
         * element) before any value is mapped; the others are filtered (counted, acknowledged, not dead-lettered), so
         * their values are not checked. It can read what no field maps. It is kept apart from the row filter of
         * {@link #filterExpression} or {@link #filter(Predicate)} (both apply when both are set) and replaces an
         * earlier payload filter.
         *
         * @param jsonPath a JSONPath with a filter predicate {@code [?(...)]}
         * @return this builder
         * @throws IllegalArgumentException when the JSONPath is invalid or has no filter predicate
         */
        public Builder payloadFilter(String jsonPath) {
            Objects.requireNonNull(jsonPath, "payload filter must not be null");
            String path = jsonPath.strip();
            JsonPaths.check("payloadFilter", path);
            if (!path.startsWith("$") || !path.contains("[?(")) {
                throw new IllegalArgumentException("payloadFilter '" + path + "' is a JSONPath without a filter "
                        + "predicate; write one such as $[?(@.status != 'test')] (a message is kept when it "
                        + "selects something), or $[?(@.field)] to keep messages that have a field");
            }
            this.payloadFilter = path;
            return this;
        }

        /**
         * Sets a row filter expression, or a payload filter when the text starts with {@code $}.
         *
         * @param expression an expression as {@link #filterExpression} takes, or a JSONPath as {@link #payloadFilter}
         *     takes
         * @return this builder
         * @deprecated ambiguous: use {@link #filterExpression(String)} for a condition over the row, or
         *     {@link #payloadFilter(String)} for a JSONPath predicate on the payload; kept for one release
         */
        @Deprecated(since = "0.2.0", forRemoval = true)
        public Builder filter(String expression) {
            Objects.requireNonNull(expression, "expression must not be null");
            return expression.strip().startsWith("$") ? payloadFilter(expression) : filterExpression(expression);
        }

        /**
         * Sets how payloads are compressed; they are expanded before parsing, at most to {@code maxPayloadBytes}.
         *
         * @param compression the compression; default {@link Compression#NONE}
         * @return this builder
         */
        public Builder compression(Compression compression) {
            this.compression = Objects.requireNonNull(compression, "compression must not be null");
            return this;
        }

        /**
         * Sets the payloads' character set (GBK, GB18030, ISO-8859-1, UTF-16, ...); they are decoded from it before
         * parsing, and bytes that are not valid in it dead-letter the message with their offset.
         *
         * @param charset the charset; default UTF-8
         * @return this builder
         */
        public Builder charset(Charset charset) {
            this.charset = Objects.requireNonNull(charset, "charset must not be null");
            return this;
        }

        /**
         * Builds the spec, checking names, paths, the primary key, the template and TDengine's tag rules.
         *
         * @return the spec
         * @throws IllegalStateException naming the field when a rule is broken
         */
        public PayloadSpec build() {
            PayloadSpec spec = new PayloadSpec(this);
            SpecRules.check(spec);
            return spec;
        }
    }
}
