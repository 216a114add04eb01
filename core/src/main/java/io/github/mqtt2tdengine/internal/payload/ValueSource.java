package io.github.mqtt2tdengine.internal.payload;

import io.github.mqtt2tdengine.internal.expression.Expression;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.TimestampUnit;

/**
 * Where one value of a row comes from (receive time, topic, QoS, a JSONPath, a topic level or an expression), its
 * type, and where it goes (column or tag position). Immutable; part of a {@link MappingPlan}. Not API; may change in
 * any release.
 */
final class ValueSource {
    /** Where a value comes from. */
    enum Kind {
        RECEIVE_TIME, TOPIC, QOS, PATH, LEVEL, EXPR
    }

    final String name;
    final Kind kind;
    /** The JSONPath of a {@link Kind#PATH} source, else null. */
    final CompiledPath path;
    /** The topic level of a {@link Kind#LEVEL} source, else -1. */
    final int level;
    final ColumnType type;
    final TimestampUnit unit;
    final boolean required;
    /** Read once per message; false for values read from each element of a split message (and for expressions). */
    final boolean messageScope;
    /** A computed field's expression, else null. */
    final Expression expression;
    /** The slot of each name the expression reads, in the order of {@link Expression#names()}; else null. */
    final int[] exprSlots;
    /** Position among the columns, or -1. */
    final int column;
    /** Position among the tags, or -1. */
    final int tag;
    /** How error messages name the source: {@code field 'x' (JSONPath '$.x')}. */
    final String where;

    private ValueSource(String name, Kind kind, CompiledPath path, int level, ColumnType type, TimestampUnit unit,
            boolean required, boolean messageScope, Expression expression, int[] exprSlots, int column, int tag) {
        this.name = name;
        this.kind = kind;
        this.path = path;
        this.level = level;
        this.type = type;
        this.unit = unit;
        this.required = required;
        this.messageScope = messageScope;
        this.expression = expression;
        this.exprSlots = exprSlots;
        this.column = column;
        this.tag = tag;
        this.where = switch (kind) {
            case PATH -> "field '" + name + "' (JSONPath '" + path.text() + "')";
            case LEVEL -> "field '" + name + "' (topic level " + level + ")";
            case EXPR -> "field '" + name + "' (expression '" + expression.text() + "')";
            default -> "field '" + name + "'";
        };
    }

    /** The receive time, the topic or the QoS. */
    static ValueSource fixed(String name, Kind kind, ColumnType type) {
        return new ValueSource(name, kind, null, -1, type, TimestampUnit.AUTO, true, true, null, null, -1, -1);
    }

    static ValueSource path(String name, CompiledPath path, ColumnType type, TimestampUnit unit, boolean required,
            boolean messageScope) {
        return new ValueSource(name, Kind.PATH, path, -1, type, unit, required, messageScope, null, null, -1, -1);
    }

    static ValueSource level(String name, int level, ColumnType type, TimestampUnit unit, boolean required) {
        return new ValueSource(name, Kind.LEVEL, null, level, type, unit, required, true, null, null, -1, -1);
    }

    /** Computed per row, after the row's other values; element scope, so the message-scope loop never reads it. */
    static ValueSource expression(String name, Expression expression, ColumnType type, TimestampUnit unit,
            boolean required) {
        return new ValueSource(name, Kind.EXPR, null, -1, type, unit, required, false, expression, null, -1, -1);
    }

    /** This source as the column or tag at a position. */
    ValueSource placed(int newColumn, int newTag) {
        return new ValueSource(name, kind, path, level, type, unit, required, messageScope, expression, exprSlots,
                newColumn, newTag);
    }

    /** This computed source, with the slots of the names its expression reads. */
    ValueSource reading(int[] slots) {
        return new ValueSource(name, kind, path, level, type, unit, required, messageScope, expression, slots.clone(),
                column, tag);
    }
}
