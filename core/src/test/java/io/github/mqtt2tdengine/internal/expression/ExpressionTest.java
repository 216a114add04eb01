package io.github.mqtt2tdengine.internal.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.errors.PayloadException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpressionTest {
    private static Object eval(String text, Map<String, Object> values) {
        return Expression.parse(text).evaluate(values::get);
    }

    private static Object eval(String text) {
        return eval(text, Map.of());
    }

    @Test
    void arithmetic_precedence_andTypes() {
        assertThat(eval("1 + 2 * 3")).isEqualTo(7L);
        assertThat(eval("(1 + 2) * 3")).isEqualTo(9L);
        assertThat(eval("7 / 2")).isEqualTo(3.5);
        assertThat(eval("7 % 4")).isEqualTo(3L);
        assertThat(eval("-3 - -2")).isEqualTo(-1L);
        assertThat(eval("raw / 10.0", Map.of("raw", 235L))).isEqualTo(23.5);
        assertThat(eval("voltage * current", Map.of("voltage", 220, "current", 1.5f))).isEqualTo(330.0);
        assertThat(eval("'a' + 1")).isEqualTo("a1");
        assertThat(eval("1.5e3")).isEqualTo(1500.0);
        assertThat(eval("`odd name` + 1", Map.of("odd name", 1L))).isEqualTo(2L);
    }

    @Test
    void conditions_withNullAsUnknown() {
        Map<String, Object> row = new HashMap<>();
        row.put("status", "ok");
        row.put("current", 2.5);
        row.put("missing", null);
        Expression e = Expression.parse("status != 'test' && current > 0");
        assertThat(e.test(row::get)).isTrue();
        assertThat(e.names()).containsExactly("status", "current");
        row.put("status", "test");
        assertThat(e.test(row::get)).isFalse();
        assertThat(Expression.parse("missing > 1").test(row::get)).isFalse(); // NULL is not true
        assertThat(Expression.parse("missing == null").test(row::get)).isTrue();
        assertThat(Expression.parse("missing > 1 || current > 1").test(row::get)).isTrue();
        assertThat(Expression.parse("!(current > 1)").test(row::get)).isFalse();
        assertThat(Expression.parse("1 == 1.0 && 'b' > 'a' && true != false").test(row::get)).isTrue();
        assertThat(eval("missing * 2", row)).isNull();
    }

    @Test
    void runtimeErrors_areExpressionFailed_namingTheValues() {
        assertThatThrownBy(() -> eval("raw / 0", Map.of("raw", 5L))).isInstanceOf(PayloadException.class)
                .hasMessage("expression 'raw / 0': division by zero (5 / 0)")
                .extracting(e -> ((PayloadException) e).reason()).isEqualTo(DeadLetterReason.EXPRESSION_FAILED);
        assertThatThrownBy(() -> eval("x % 0", Map.of("x", 5L))).hasMessageContaining("division by zero");
        assertThatThrownBy(() -> eval("x * 2", Map.of("x", Long.MAX_VALUE)))
                .hasMessage("expression 'x * 2': 9223372036854775807 * 2 overflows a 64-bit integer");
        assertThatThrownBy(() -> eval("s * 2", Map.of("s", "abc")))
                .hasMessage("expression 's * 2': cannot compute 'abc' * 2");
        assertThatThrownBy(() -> eval("s > 2", Map.of("s", "abc")))
                .hasMessage("expression 's > 2': cannot compare 'abc' > 2");
        assertThatThrownBy(() -> Expression.parse("x + 1").test(Map.of("x", 1L)::get))
                .hasMessage("expression 'x + 1' is 2, not true or false");
        assertThatThrownBy(() -> eval("1e308 * 10")).hasMessageContaining("is not a finite number");
    }

    @Test
    void syntaxErrors_nameThePosition() {
        assertThatThrownBy(() -> Expression.parse("a = 1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expression 'a = 1': '=' is not an operator (compare with '==') at position 3");
        assertThatThrownBy(() -> Expression.parse("(a + 1")).hasMessage("expression '(a + 1': ')' expected at position 7");
        assertThatThrownBy(() -> Expression.parse("a +")).hasMessage("expression 'a +': a value is missing at position 4");
        assertThatThrownBy(() -> Expression.parse("exec('rm')"))
                .hasMessage("expression 'exec('rm')': 'exec(' calls a function; expressions have none at position 1");
        assertThatThrownBy(() -> Expression.parse("'open")).hasMessage("expression ''open': text not closed at position 1");
        assertThatThrownBy(() -> Expression.parse("a b")).hasMessage("expression 'a b': unexpected 'b' at position 3");
    }
}
