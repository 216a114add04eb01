package io.github.mqtt2tdengine.payload;

import io.github.mqtt2tdengine.internal.expression.Expression;
import java.util.Objects;
import java.util.Optional;

/**
 * One custom field of a mapping: where its value comes from (a JSONPath or a topic level), its TDengine name and
 * type, and whether it is a column, a tag, or only read for the sub-table template.
 *
 * <p>Immutable. Build with {@link #builder(String)} or the shortcuts {@link #column}, {@link #tag}.
 *
 * @since 0.1.0
 */
public final class Field {
    private final String name;
    private final String path;
    private final int topicLevel;
    /** A computed field's expression text, checked when set; null for other fields. */
    private final String expression;
    private final ColumnType type;
    private final FieldTarget target;
    private final boolean required;
    private final boolean primaryKey;
    private final TimestampUnit unit;
    private final FieldScope scope;

    private Field(Builder b) {
        this.name = b.name;
        this.path = b.path;
        this.topicLevel = b.topicLevel;
        this.expression = b.expression;
        this.type = b.type;
        this.target = b.target;
        this.required = b.required;
        this.primaryKey = b.primaryKey;
        this.unit = b.unit;
        this.scope = b.scope;
    }

    /**
     * Starts a field with the given TDengine column or tag name.
     *
     * @param name the column or tag name: at most 64 bytes, no '.', backquote or control characters
     * @return a builder
     * @throws IllegalArgumentException if the name is not valid
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Returns a nullable column read from a JSONPath.
     *
     * @param name the column name
     * @param path the JSONPath, for example {@code $.metrics.current}
     * @param type the TDengine type
     * @return the field
     */
    public static Field column(String name, String path, ColumnType type) {
        return builder(name).path(path).type(type).build();
    }

    /**
     * Returns a tag read from a JSONPath; a missing value becomes NULL.
     *
     * @param name the tag name
     * @param path the JSONPath
     * @param type the TDengine type
     * @return the field
     */
    public static Field tag(String name, String path, ColumnType type) {
        return builder(name).path(path).type(type).target(FieldTarget.TAG).build();
    }

    /**
     * Returns the TDengine column or tag name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the JSONPath the value is read from; absent for topic-level fields.
     *
     * @return the path, or null when the value is a topic level
     */
    public String path() {
        return path;
    }

    /**
     * Returns the topic level (0-based) the value is read from, or -1 when it is read from a JSONPath.
     *
     * @return the level or -1
     */
    public int topicLevel() {
        return topicLevel;
    }

    /**
     * Returns the expression a computed field's value comes from, as given to {@link Builder#expression(String)}.
     *
     * @return the expression text, absent for a field read from the payload or the topic
     * @since 0.2.0
     */
    public Optional<String> expression() {
        return Optional.ofNullable(expression);
    }

    /**
     * Returns the TDengine type.
     *
     * @return the type
     */
    public ColumnType type() {
        return type;
    }

    /**
     * Returns where the value goes.
     *
     * @return column, tag or ignore (template only)
     */
    public FieldTarget target() {
        return target;
    }

    /**
     * Returns whether a missing value is a mapping error instead of NULL.
     *
     * @return true if required
     */
    public boolean required() {
        return required;
    }

    /**
     * Returns whether this TIMESTAMP field is the table's primary key.
     *
     * @return true for the primary key
     */
    public boolean primaryKey() {
        return primaryKey;
    }

    /**
     * Returns the unit of numeric values of a TIMESTAMP field.
     *
     * @return the unit
     */
    public TimestampUnit unit() {
        return unit;
    }

    /**
     * Returns what the path is evaluated against when messages are split into rows.
     *
     * @return the scope
     */
    public FieldScope scope() {
        return scope;
    }

    /**
     * Returns a builder holding this field's settings.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.path = path;
        b.topicLevel = topicLevel;
        b.expression = expression;
        b.type = type;
        b.target = target;
        b.required = required;
        b.primaryKey = primaryKey;
        b.unit = unit;
        b.scope = scope;
        return b;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Field)) {
            return false;
        }
        Field f = (Field) o;
        return name.equals(f.name) && Objects.equals(path, f.path) && topicLevel == f.topicLevel
                && Objects.equals(expression, f.expression)
                && type.equals(f.type) && target == f.target && required == f.required
                && primaryKey == f.primaryKey && unit == f.unit && scope == f.scope;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, path, topicLevel, expression, type, target,
                required, primaryKey, unit, scope);
    }

    @Override
    public String toString() {
        String source = path != null ? path : expression != null ? "= " + expression
                : "topic[" + topicLevel + "]";
        return "Field{" + name + ' ' + type + ' ' + target + " <- " + source
                + (required ? ", required" : "") + (primaryKey ? ", primaryKey " + unit : "")
                + (scope == FieldScope.MESSAGE ? ", scope=MESSAGE" : "") + '}';
    }

    /** Builds a {@link Field}; mutable, not thread-safe, reusable. */
    public static final class Builder {
        /** Unit of numeric timestamps when none is set: {@link TimestampUnit#AUTO}. */
        public static final TimestampUnit DEFAULT_UNIT = TimestampUnit.AUTO;

        private final String name;
        private String path;
        private int topicLevel = -1;
        private String expression;
        private ColumnType type;
        private FieldTarget target = FieldTarget.COLUMN;
        private boolean required;
        private boolean primaryKey;
        private TimestampUnit unit = DEFAULT_UNIT;
        private FieldScope scope = FieldScope.ELEMENT;

        private Builder(String name) {
            this.name = Identifiers.check("field name", name, Identifiers.MAX_COLUMN_NAME_BYTES);
        }

        /**
         * Reads the value from a JSONPath (Jayway syntax, for example {@code $.data.id} or {@code $.a[0].b}).
         *
         * @param path the JSONPath, starting with {@code $}
         * @return this builder
         * @throws IllegalArgumentException if the path does not start with {@code $}
         */
        public Builder path(String path) {
            Objects.requireNonNull(path, "path must not be null");
            if (!path.startsWith("$")) {
                throw new IllegalArgumentException("JSONPath of field '" + name + "' must start with '$', but was '"
                        + path + "'");
            }
            this.path = path;
            this.topicLevel = -1;
            this.expression = null;
            return this;
        }

        /**
         * Reads the value from a level of the MQTT topic: level 1 of {@code plant/m7/meters} is {@code m7}.
         *
         * @param level the 0-based level
         * @return this builder
         * @throws IllegalArgumentException if level is negative
         */
        public Builder topicLevel(int level) {
            if (level < 0) {
                throw new IllegalArgumentException("topic level must be at least 0, but was " + level);
            }
            this.topicLevel = level;
            this.path = null;
            this.expression = null;
            return this;
        }

        /**
         * Computes the value from other fields: an expression over their names (after their conversion),
         * e.g. {@code voltage * current} or {@code raw / 10.0}; the result is converted and range-checked like any
         * value of the field's type. A failure (division by zero, overflow) dead-letters the message with reason
         * {@code EXPRESSION_FAILED}, naming the field and the values.
         *
         * @param expression the expression
         * @return this builder
         * @throws IllegalArgumentException naming the position when the text is not an expression
         */
        public Builder expression(String expression) {
            Objects.requireNonNull(expression, "expression must not be null");
            try {
                Expression.parse(expression);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("field '" + name + "': " + e.getMessage(), e);
            }
            this.expression = expression;
            this.path = null;
            this.topicLevel = -1;
            return this;
        }

        /**
         * Sets the TDengine type; required.
         *
         * @param type the type
         * @return this builder
         */
        public Builder type(ColumnType type) {
            this.type = Objects.requireNonNull(type, "type must not be null");
            return this;
        }

        /**
         * Sets where the value goes; default {@link FieldTarget#COLUMN}.
         *
         * @param target column, tag, or ignore (read only for the sub-table template)
         * @return this builder
         */
        public Builder target(FieldTarget target) {
            this.target = Objects.requireNonNull(target, "target must not be null");
            return this;
        }

        /**
         * Makes a missing value a mapping error instead of NULL; default false.
         *
         * @param required whether the value must be present
         * @return this builder
         */
        public Builder required(boolean required) {
            this.required = required;
            return this;
        }

        /**
         * Makes this TIMESTAMP field the table's primary key (the first column); default false. A primary key is
         * always required.
         *
         * @param primaryKey whether this is the primary key
         * @return this builder
         */
        public Builder primaryKey(boolean primaryKey) {
            this.primaryKey = primaryKey;
            return this;
        }

        /**
         * Sets the unit of numeric values of a TIMESTAMP field; default {@link #DEFAULT_UNIT}.
         *
         * @param unit the unit
         * @return this builder
         */
        public Builder unit(TimestampUnit unit) {
            this.unit = Objects.requireNonNull(unit, "unit must not be null");
            return this;
        }

        /**
         * Sets what the path is evaluated against when messages are split into rows; default
         * {@link FieldScope#ELEMENT}.
         *
         * @param scope element or whole message
         * @return this builder
         */
        public Builder scope(FieldScope scope) {
            this.scope = Objects.requireNonNull(scope, "scope must not be null");
            return this;
        }

        /**
         * Builds the field.
         *
         * @return the field
         * @throws IllegalStateException if the type or the source is missing, or the options contradict each other
         */
        public Field build() {
            if (type == null) {
                throw new IllegalStateException("field '" + name + "': type must be set");
            }
            if (path == null && topicLevel < 0 && expression == null) {
                throw new IllegalStateException("field '" + name + "': a JSONPath, a topic level or an expression "
                        + "must be set");
            }
            if (expression != null && primaryKey) {
                throw new IllegalStateException("field '" + name + "': a computed field cannot be the primary key");
            }
            if (primaryKey) {
                if (type.kind() != ColumnType.Kind.TIMESTAMP) {
                    throw new IllegalStateException("field '" + name + "': a primary key must be TIMESTAMP, but was "
                            + type);
                }
                if (target != FieldTarget.COLUMN) {
                    throw new IllegalStateException("field '" + name + "': a primary key must be a column, but was "
                            + target);
                }
            }
            if (type.kind() == ColumnType.Kind.JSON && target != FieldTarget.TAG) {
                throw new IllegalStateException("field '" + name + "': type JSON is only allowed for tags");
            }
            return new Field(this);
        }
    }
}
