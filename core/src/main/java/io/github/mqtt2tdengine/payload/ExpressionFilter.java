package io.github.mqtt2tdengine.payload;

import io.github.mqtt2tdengine.internal.expression.Expression;
import java.util.function.Predicate;

/** A row filter given as an expression ({@link PayloadSpec.Builder#filterExpression}): reads the row's columns and tags. */
final class ExpressionFilter implements Predicate<MappedRow> {
    private final Expression expression;

    ExpressionFilter(Expression expression) {
        this.expression = expression;
    }

    /** The expression, for the build-time check of the names it reads. */
    Expression expression() {
        return expression;
    }

    @Override
    public boolean test(MappedRow row) {
        return expression.test(row::value);
    }

    @Override
    public String toString() {
        return expression.text();
    }
}
