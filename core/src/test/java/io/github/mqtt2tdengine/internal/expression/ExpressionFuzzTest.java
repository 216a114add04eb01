package io.github.mqtt2tdengine.internal.expression;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mqtt2tdengine.DeadLetterReason;
import io.github.mqtt2tdengine.PayloadException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The expression grammar fuzzed against {@link ReferenceExpression}, an evaluator of this test's own written from the
 * documented semantics: generated expressions (numbers, texts, NULL, booleans, plain and quoted names, comparisons,
 * {@code && || !}, arithmetic, unary minus, parentheses only where precedence needs them) evaluated by both must agree
 * on the value or both fail with {@code EXPRESSION_FAILED}; generated garbage, and valid text with one character
 * changed, must parse or fail with an {@link IllegalArgumentException} naming a position, never anything else.
 */
class ExpressionFuzzTest {
    private static final Pattern POSITION = Pattern.compile(" at position (\\d+)$");
    /** The names the generated expressions read; the quoted one needs backquotes. */
    private static final List<String> NAMES = List.of("a", "b", "c", "d", "x y");

    @Property(tries = 1000)
    void evaluate_generatedExpression_agreesWithTheReference(@ForAll("expressions") ReferenceExpression.Node node,
            @ForAll("values") Map<String, Object> values) {
        String text = node.text();
        Expression e = Expression.parse(text);
        Object expected;
        try {
            expected = node.eval(values);
        } catch (ReferenceExpression.Failed f) {
            PayloadException actual = null;
            try {
                Object v = e.evaluate(values::get);
                assertThat(v).as("'%s' with %s: the reference fails (%s), the expression gives", text, values,
                        f.getMessage()).isEqualTo("an error");
            } catch (PayloadException p) {
                actual = p;
            }
            assertThat(actual.reason()).isEqualTo(DeadLetterReason.EXPRESSION_FAILED);
            assertThat(actual).hasMessageStartingWith("expression '" + text + "': ");
            return;
        }
        Object actual;
        try {
            actual = e.evaluate(values::get);
        } catch (PayloadException p) {
            throw new AssertionError("'" + text + "' with " + values + ": the reference gives " + expected
                    + ", the expression fails: " + p.getMessage(), p);
        }
        assertThat(actual).as("'%s' with %s", text, values).isEqualTo(expected);
        assertThat(e.names()).isSubsetOf(NAMES);
    }

    @Property(tries = 1000)
    void parse_garbage_failsWithAPositionOrParses(@ForAll("garbage") String text) {
        parseOrFailAtAPosition(text);
    }

    @Property(tries = 500)
    void parse_expressionWithOneCharacterChanged_failsWithAPositionOrParses(
            @ForAll("expressions") ReferenceExpression.Node node, @ForAll("edits") Edit edit) {
        parseOrFailAtAPosition(edit.apply(node.text()));
    }

    /** Parses: a success must evaluate without any exception but EXPRESSION_FAILED; a failure must name a position. */
    private static void parseOrFailAtAPosition(String text) {
        Expression e;
        try {
            e = Expression.parse(text);
        } catch (IllegalArgumentException iae) {
            assertThat(iae).hasMessageStartingWith("expression '" + text + "': ");
            Matcher m = POSITION.matcher(iae.getMessage());
            assertThat(m.find()).as("position in: %s", iae.getMessage()).isTrue();
            assertThat(Integer.parseInt(m.group(1))).isBetween(1, text.length() + 1);
            return;
        }
        try {
            e.evaluate(name -> null);
        } catch (PayloadException p) {
            assertThat(p.reason()).isEqualTo(DeadLetterReason.EXPRESSION_FAILED);
        }
    }

    @Provide
    Arbitrary<ReferenceExpression.Node> expressions() {
        // shallow ones often, so that results reach the top instead of failing as operands of the wrong type
        return Arbitraries.frequencyOf(Tuple.of(2, expressionsOfDepth(1)), Tuple.of(2, expressionsOfDepth(2)),
                Tuple.of(1, expressionsOfDepth(4)));
    }

    private static Arbitrary<ReferenceExpression.Node> expressionsOfDepth(int depth) {
        Arbitrary<ReferenceExpression.Node> leaf = leaves();
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<ReferenceExpression.Node> sub = expressionsOfDepth(depth - 1);
        Arbitrary<ReferenceExpression.Node> binary = Combinators.combine(
                Arbitraries.of("||", "&&", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%"), sub, sub)
                .as(ReferenceExpression::binary);
        Arbitrary<ReferenceExpression.Node> unary = Combinators.combine(Arbitraries.of("!", "-"), sub)
                .as(ReferenceExpression::unary);
        Arbitrary<ReferenceExpression.Node> grouped = sub.map(ReferenceExpression::grouped);
        return Arbitraries.frequencyOf(
                Tuple.of(3, leaf), Tuple.of(6, binary), Tuple.of(2, unary),
                Tuple.of(1, grouped));
    }

    private static Arbitrary<ReferenceExpression.Node> leaves() {
        // mostly small numbers, so that equal operands (the edge of every comparison) are common
        Arbitrary<ReferenceExpression.Node> longs = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.longs().between(0, 3)),
                Tuple.of(2, Arbitraries.longs().between(0, 20)), Tuple.of(1, Arbitraries.longs().between(0, Long.MAX_VALUE)))
                .map(ReferenceExpression::literal);
        Arbitrary<ReferenceExpression.Node> doubles = Arbitraries.oneOf(
                Arbitraries.doubles().between(0, 100).ofScale(2), Arbitraries.of(0.0, 1e300, 1.5e-7, 1e18))
                .map(ReferenceExpression::literal);
        Arbitrary<ReferenceExpression.Node> texts = Combinators.combine(
                Arbitraries.strings().withChars("ab'\" ").ofMaxLength(4), Arbitraries.of('\'', '"'))
                .as(ReferenceExpression::text);
        Arbitrary<ReferenceExpression.Node> keywords = Arbitraries.of("true", "false", "null", "TRUE", "Null")
                .map(ReferenceExpression::keyword);
        Arbitrary<ReferenceExpression.Node> names = Arbitraries.of(NAMES).map(ReferenceExpression::name);
        return Arbitraries.frequencyOf(Tuple.of(3, longs), Tuple.of(2, doubles),
                Tuple.of(2, texts), Tuple.of(2, keywords),
                Tuple.of(4, names));
    }

    @Provide
    Arbitrary<Map<String, Object>> values() {
        Arbitrary<Object> value = Arbitraries.oneOf(
                Arbitraries.longs().between(-1, 3).map(v -> (Object) v),
                Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE).map(v -> (Object) v),
                Arbitraries.integers().between(-3, 3).map(v -> (Object) v),
                Arbitraries.doubles().between(-10, 10).ofScale(1).map(v -> (Object) v),
                Arbitraries.floats().between(-2, 2).ofScale(1).map(v -> (Object) v),
                Arbitraries.strings().withChars("ab").ofMaxLength(2).map(v -> (Object) v),
                Arbitraries.of(true, false).map(v -> (Object) v),
                Arbitraries.just(null));
        return value.list().ofSize(NAMES.size()).map(list -> {
            Map<String, Object> m = new HashMap<>();
            for (int i = 0; i < NAMES.size(); i++) {
                m.put(NAMES.get(i), list.get(i));
            }
            return m;
        });
    }

    @Provide
    Arbitrary<String> garbage() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("()!=<>&|+-*/%'\"`.eE0123456789abtrufnl_ \t").ofMaxLength(40),
                Arbitraries.strings().all().ofMaxLength(20));
    }

    @Provide
    Arbitrary<Edit> edits() {
        return Combinators.combine(Arbitraries.integers().between(0, 10_000), Arbitraries.of(0, 1, 2),
                Arbitraries.chars().with("()!=<>&|+-*/%'\"`.eE09a_ ")).as(Edit::new);
    }

    /** Deletes, replaces or inserts one character at a position (taken modulo the text's length). */
    record Edit(int at, int kind, char c) {
        String apply(String text) {
            int i = text.isEmpty() ? 0 : at % (text.length() + (kind == 2 ? 1 : 0));
            List<String> parts = new ArrayList<>(List.of(text.substring(0, Math.min(i, text.length()))));
            if (kind == 2 || text.isEmpty()) {
                parts.add(String.valueOf(c));
                parts.add(text.substring(Math.min(i, text.length())));
            } else {
                parts.add(kind == 1 ? String.valueOf(c) : "");
                parts.add(text.substring(i + 1));
            }
            return String.join("", parts);
        }
    }
}
