package io.github.mqtt2tdengine.payload;

import io.github.mqtt2tdengine.internal.expression.Expression;
import io.github.mqtt2tdengine.spi.Row;
import java.util.function.Predicate;

/** A row filter given as an expression ({@link PayloadSpec.Builder#filterExpression}): reads the row's columns and tags. */
final class ExpressionFilter implements Predicate<Row> {
    private final Expression expression;

    ExpressionFilter(Expression expression) {
        this.expression = expression;
    }

    /** The expression, for the build-time check of the names it reads. */
    Expression expression() {
        return expression;
    }

    @Override
    public boolean test(Row row) {
        return expression.test(name -> {
            int c = row.schema().columnIndex(name);
            return c >= 0 ? row.column(c) : row.tag(name);
        });
    }

    @Override
    public String toString() {
        return expression.text();
    }
}
