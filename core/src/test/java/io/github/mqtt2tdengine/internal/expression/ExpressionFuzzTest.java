package io.github.mqtt2tdengine.internal.expression;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.errors.PayloadException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The expression grammar fuzzed against {@link ReferenceExpression}, an evaluator of this test's own written from the
 * documented semantics: generated expressions (numbers, texts, NULL, booleans, plain and quoted names, comparisons,
 * {@code && || !}, arithmetic, unary minus, parentheses only where precedence needs them) evaluated by both must agree
 * on the value or both fail with {@code EXPRESSION_FAILED}; generated garbage, and valid text with one character
 * changed, must parse or fail with an {@link IllegalArgumentException} naming a position, never anything else.
 *
 * <p>The generator is this test's own, seeded ({@code -Dmqtt2td.fuzz.seed=N} replays a run; the seed and the try are
 * in every failure message). jqwik, which issue #26 named, prints from 1.10 on a notice that AI agents must not use
 * it; this project's code is written with AI agents, so it respects its maintainers' wish and does without.
 */
class ExpressionFuzzTest {
    private static final Pattern POSITION = Pattern.compile(" at position (\\d+)$");
    /** The names the generated expressions read; the quoted one needs backquotes. */
    private static final List<String> NAMES = List.of("a", "b", "c", "d", "x y");
    private static final List<String> BINARY = List.of("||", "&&", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*",
            "/", "%");
    private static final String SYNTAX_CHARS = "()!=<>&|+-*/%'\"`.eE0123456789abtrufnl_ \t";
    private static final long SEED = Long.getLong("mqtt2td.fuzz.seed", System.nanoTime());

    @Test
    void evaluate_generatedExpression_agreesWithTheReference() {
        SplittableRandom r = new SplittableRandom(SEED);
        for (int i = 0; i < 3000; i++) {
            ReferenceExpression.Node node = expression(r);
            Map<String, Object> values = values(r);
            String text = node.text();
            String at = "seed " + SEED + ", try " + i + ": '" + text + "' with " + values;
            Expression e = Expression.parse(text);
            Object expected;
            try {
                expected = node.eval(values);
            } catch (ReferenceExpression.Failed f) {
                PayloadException actual = null;
                try {
                    Object v = e.evaluate(values::get);
                    assertThat(v).as("%s: the reference fails (%s), the expression gives", at, f.getMessage())
                            .isEqualTo("an error");
                } catch (PayloadException p) {
                    actual = p;
                }
                assertThat(actual.reason()).as(at).isEqualTo(DeadLetterReason.EXPRESSION_FAILED);
                assertThat(actual).as(at).hasMessageStartingWith("expression '" + text + "': ");
                continue;
            }
            Object actual;
            try {
                actual = e.evaluate(values::get);
            } catch (PayloadException p) {
                throw new AssertionError(at + ": the reference gives " + expected + ", the expression fails: "
                        + p.getMessage(), p);
            }
            assertThat(actual).as(at).isEqualTo(expected);
            assertThat(e.names()).as(at).isSubsetOf(NAMES);
        }
    }

    @Test
    void parse_garbage_failsWithAPositionOrParses() {
        SplittableRandom r = new SplittableRandom(SEED + 1);
        for (int i = 0; i < 3000; i++) {
            String text = r.nextBoolean() ? string(r, SYNTAX_CHARS, 40) : anyString(r, 20);
            parseOrFailAtAPosition(text, "seed " + SEED + ", try " + i);
        }
    }

    @Test
    void parse_expressionWithOneCharacterChanged_failsWithAPositionOrParses() {
        SplittableRandom r = new SplittableRandom(SEED + 2);
        for (int i = 0; i < 2000; i++) {
            String text = expression(r).text();
            int kind = r.nextInt(3); // delete, replace, insert
            int pos = text.isEmpty() ? 0 : r.nextInt(text.length() + (kind == 2 ? 1 : 0));
            char c = SYNTAX_CHARS.charAt(r.nextInt(SYNTAX_CHARS.length()));
            String edited = kind == 2 || text.isEmpty() ? text.substring(0, pos) + c + text.substring(pos)
                    : text.substring(0, pos) + (kind == 1 ? String.valueOf(c) : "") + text.substring(pos + 1);
            parseOrFailAtAPosition(edited, "seed " + SEED + ", try " + i + " (from '" + text + "')");
        }
    }

    /** Parses: a success must evaluate without any exception but EXPRESSION_FAILED; a failure must name a position. */
    private static void parseOrFailAtAPosition(String text, String at) {
        Expression e;
        try {
            e = Expression.parse(text);
        } catch (IllegalArgumentException iae) {
            assertThat(iae).as(at).hasMessageStartingWith("expression '" + text + "': ");
            Matcher m = POSITION.matcher(iae.getMessage());
            assertThat(m.find()).as("%s: position in: %s", at, iae.getMessage()).isTrue();
            assertThat(Integer.parseInt(m.group(1))).as(at).isBetween(1, text.length() + 1);
            return;
        }
        try {
            e.evaluate(name -> null);
        } catch (PayloadException p) {
            assertThat(p.reason()).as(at).isEqualTo(DeadLetterReason.EXPRESSION_FAILED);
        }
    }

    /** Shallow ones often, so that results reach the top instead of failing as operands of the wrong type. */
    private static ReferenceExpression.Node expression(SplittableRandom r) {
        int pick = r.nextInt(5);
        return expressionOfDepth(r, pick < 2 ? 1 : pick < 4 ? 2 : 4);
    }

    private static ReferenceExpression.Node expressionOfDepth(SplittableRandom r, int depth) {
        if (depth == 0) {
            return leaf(r);
        }
        int pick = r.nextInt(12); // leaf 3, binary 6, unary 2, grouped 1
        if (pick < 3) {
            return leaf(r);
        }
        if (pick < 9) {
            return ReferenceExpression.binary(BINARY.get(r.nextInt(BINARY.size())), expressionOfDepth(r, depth - 1),
                    expressionOfDepth(r, depth - 1));
        }
        if (pick < 11) {
            return ReferenceExpression.unary(r.nextBoolean() ? "!" : "-", expressionOfDepth(r, depth - 1));
        }
        return ReferenceExpression.grouped(expressionOfDepth(r, depth - 1));
    }

    private static ReferenceExpression.Node leaf(SplittableRandom r) {
        int pick = r.nextInt(13); // longs 3, doubles 2, texts 2, keywords 2, names 4
        if (pick < 3) {
            // mostly small numbers, so that equal operands (the edge of every comparison) are common
            int size = r.nextInt(7);
            long v = size < 4 ? r.nextLong(4) : size < 6 ? r.nextLong(21) : r.nextLong(Long.MAX_VALUE);
            return ReferenceExpression.literal(v);
        }
        if (pick < 5) {
            double v = r.nextInt(4) > 0 ? scaled(r.nextDouble(100), 2)
                    : List.of(0.0, 1e300, 1.5e-7, 1e18).get(r.nextInt(4));
            return ReferenceExpression.literal(v);
        }
        if (pick < 7) {
            return ReferenceExpression.text(string(r, "ab'\" ", 4), r.nextBoolean() ? '\'' : '"');
        }
        if (pick < 9) {
            return ReferenceExpression.keyword(List.of("true", "false", "null", "TRUE", "Null").get(r.nextInt(5)));
        }
        return ReferenceExpression.name(NAMES.get(r.nextInt(NAMES.size())));
    }

    private static Map<String, Object> values(SplittableRandom r) {
        List<Supplier<Object>> kinds = List.of(
                () -> r.nextLong(-1, 4),
                () -> r.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE,
                () -> r.nextInt(-3, 4),
                () -> scaled(r.nextDouble(-10, 10), 1),
                () -> (float) scaled(r.nextDouble(-2, 2), 1),
                () -> string(r, "ab", 2),
                r::nextBoolean,
                () -> null);
        Map<String, Object> m = new HashMap<>();
        for (String name : NAMES) {
            m.put(name, kinds.get(r.nextInt(kinds.size())).get());
        }
        return m;
    }

    private static double scaled(double v, int scale) {
        return BigDecimal.valueOf(v).setScale(scale, RoundingMode.HALF_UP).doubleValue();
    }

    private static String string(SplittableRandom r, String chars, int maxLength) {
        StringBuilder sb = new StringBuilder();
        for (int n = r.nextInt(maxLength + 1); n > 0; n--) {
            sb.append(chars.charAt(r.nextInt(chars.length())));
        }
        return sb.toString();
    }

    /** Any characters, surrogates and controls included. */
    private static String anyString(SplittableRandom r, int maxLength) {
        StringBuilder sb = new StringBuilder();
        for (int n = r.nextInt(maxLength + 1); n > 0; n--) {
            sb.append((char) r.nextInt(Character.MAX_VALUE + 1));
        }
        return sb.toString();
    }
}
