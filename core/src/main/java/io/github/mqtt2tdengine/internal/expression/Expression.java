package io.github.mqtt2tdengine.internal.expression;

import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.errors.PayloadException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A small, safe expression language for filters and computed columns in configuration: it reads values and computes,
 * nothing else (no method calls, no assignment, no loops, no access to anything but the row's named values). Grammar:
 *
 * <pre>
 * expr    = or
 * or      = and ( "||" and )*
 * and     = not ( "&amp;&amp;" not )*
 * not     = "!" not | cmp
 * cmp     = sum ( ( "==" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=" ) sum )?
 * sum     = product ( ( "+" | "-" ) product )*
 * product = unary ( ( "*" | "/" | "%" ) unary )*
 * unary   = "-" unary | atom
 * atom    = number | 'text' | "text" | true | false | null | name | `quoted name` | "(" expr ")"
 * </pre>
 *
 * <p>Numbers: whole numbers are exact 64-bit integers ({@code + - * %} overflow is an error), anything with a decimal
 * point or exponent, and every {@code /}, is a double; division by zero is an error. {@code +} with text concatenates.
 * Comparisons take two numbers, two texts or two booleans; {@code ==} and {@code !=} also take {@code null}. A name
 * whose value is NULL makes arithmetic and ordering comparisons NULL, and a NULL condition is false. Errors at run time
 * are {@link PayloadException}s with reason {@link DeadLetterReason#EXPRESSION_FAILED} naming the expression and the
 * values. Row filters ({@code PayloadSpec.Builder.filterExpression(String)}) and computed fields
 * ({@code Field.Builder.expression(String)}) use it; immutable and thread-safe. Not API; may change in any release.
 */
public final class Expression {
    private final String text;
    private final Node root;
    private final Set<String> names;

    private Expression(String text, Node root, Set<String> names) {
        this.text = text;
        this.root = root;
        this.names = names;
    }

    /**
     * Parses an expression.
     *
     * @param text the expression
     * @return the compiled expression
     * @throws IllegalArgumentException naming the position and what was expected, when the text is not an expression
     */
    public static Expression parse(String text) {
        Objects.requireNonNull(text, "expression must not be null");
        Parser p = new Parser(text);
        Node root = p.or();
        p.skipSpace();
        if (p.pos < text.length()) {
            throw p.error("unexpected '" + text.charAt(p.pos) + "'");
        }
        return new Expression(text, root, Collections.unmodifiableSet(new LinkedHashSet<>(p.names)));
    }

    /**
     * Returns the names the expression reads.
     *
     * @return the names, in order of first use
     */
    public Set<String> names() {
        return names;
    }

    /**
     * Returns the expression's text.
     *
     * @return the text as given
     */
    public String text() {
        return text;
    }

    /**
     * Evaluates the expression.
     *
     * @param values the value of each name (Long, Double, Float, Integer, String, Boolean, or null for NULL)
     * @return a Long, Double, String, Boolean or null
     * @throws PayloadException with reason {@code EXPRESSION_FAILED}
     */
    public Object evaluate(Function<String, Object> values) {
        try {
            return root.eval(values);
        } catch (EvalException e) {
            throw new PayloadException(DeadLetterReason.EXPRESSION_FAILED, "expression '" + text + "': "
                    + e.getMessage());
        }
    }

    /**
     * Evaluates a condition: true only when the expression is {@code true} (NULL is false).
     *
     * @param values the value of each name
     * @return whether it holds
     * @throws PayloadException with reason {@code EXPRESSION_FAILED}, also when the result is not a boolean
     */
    public boolean test(Function<String, Object> values) {
        Object v = evaluate(values);
        if (v == null) {
            return false;
        }
        if (!(v instanceof Boolean)) {
            throw new PayloadException(DeadLetterReason.EXPRESSION_FAILED, "expression '" + text + "' is "
                    + show(v) + ", not true or false");
        }
        return (Boolean) v;
    }

    @Override
    public String toString() {
        return text;
    }

    private static final class EvalException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EvalException(String message) {
            super(message, null, false, false);
        }
    }

    private interface Node {
        Object eval(Function<String, Object> values);
    }

    private static String show(Object v) {
        return v == null ? "NULL" : v instanceof String ? "'" + v + "'" : String.valueOf(v);
    }

    private static Object normalize(Object v) {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float) {
            return ((Float) v).doubleValue();
        }
        if (v == null || v instanceof Long || v instanceof Double || v instanceof String || v instanceof Boolean) {
            return v;
        }
        if (v instanceof byte[]) {
            return new String((byte[]) v, java.nio.charset.StandardCharsets.UTF_8);
        }
        return v.toString();
    }

    private static Object arithmetic(char op, Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        if (op == '+' && (a instanceof String || b instanceof String)) {
            return String.valueOf(a) + b;
        }
        if (!(a instanceof Number) || !(b instanceof Number)) {
            throw new EvalException("cannot compute " + show(a) + " " + op + " " + show(b));
        }
        if (op != '/' && a instanceof Long && b instanceof Long) {
            long x = (Long) a;
            long y = (Long) b;
            try {
                switch (op) {
                    case '+':
                        return Math.addExact(x, y);
                    case '-':
                        return Math.subtractExact(x, y);
                    case '*':
                        return Math.multiplyExact(x, y);
                    default:
                        if (y == 0) {
                            throw new EvalException("division by zero (" + x + " % 0)");
                        }
                        return x % y;
                }
            } catch (ArithmeticException e) {
                throw new EvalException(x + " " + op + " " + y + " overflows a 64-bit integer");
            }
        }
        double x = ((Number) a).doubleValue();
        double y = ((Number) b).doubleValue();
        if ((op == '/' || op == '%') && y == 0) {
            throw new EvalException("division by zero (" + show(a) + " " + op + " " + show(b) + ")");
        }
        double r = switch (op) {
            case '+' -> x + y;
            case '-' -> x - y;
            case '*' -> x * y;
            case '/' -> x / y;
            default -> x % y;
        };
        if (Double.isInfinite(r) || Double.isNaN(r)) {
            throw new EvalException(show(a) + " " + op + " " + show(b) + " is not a finite number");
        }
        return r;
    }

    private static Object compare(String op, Object a, Object b) {
        if (op.equals("==") || op.equals("!=")) {
            boolean eq;
            if (a == null || b == null) {
                eq = a == b;
            } else if (a instanceof Number && b instanceof Number) {
                eq = a instanceof Long && b instanceof Long ? a.equals(b)
                        : ((Number) a).doubleValue() == ((Number) b).doubleValue();
            } else if (a.getClass() == b.getClass()) {
                eq = a.equals(b);
            } else {
                throw new EvalException("cannot compare " + show(a) + " " + op + " " + show(b));
            }
            return op.equals("==") == eq;
        }
        if (a == null || b == null) {
            return null;
        }
        int c;
        if (a instanceof Number && b instanceof Number) {
            c = a instanceof Long && b instanceof Long ? Long.compare((Long) a, (Long) b)
                    : Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
        } else if (a instanceof String && b instanceof String) {
            c = ((String) a).compareTo((String) b);
        } else {
            throw new EvalException("cannot compare " + show(a) + " " + op + " " + show(b));
        }
        return switch (op) {
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            default -> c >= 0;
        };
    }

    private static Boolean bool(Object v, String op) {
        if (v == null || v instanceof Boolean) {
            return (Boolean) v;
        }
        throw new EvalException("'" + op + "' needs true or false, but got " + show(v));
    }

    /** Recursive descent over the grammar above. */
    private static final class Parser {
        private final String s;
        private int pos;
        private final Set<String> names = new LinkedHashSet<>();

        Parser(String s) {
            this.s = s;
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("expression '" + s + "': " + what + " at position " + (pos + 1));
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        boolean eat(String token) {
            skipSpace();
            if (s.startsWith(token, pos)) {
                // "<" is not "<=", "!" is not "!=", "=" alone is not an operator
                if ((token.equals("<") || token.equals(">") || token.equals("!")) && s.startsWith("=", pos + 1)) {
                    return false;
                }
                pos += token.length();
                return true;
            }
            return false;
        }

        Node or() {
            return logical("||", Boolean.TRUE, this::and);
        }

        Node and() {
            return logical("&&", Boolean.FALSE, this::not);
        }

        /**
         * One level of {@code ||} ({@code decisive} true) or {@code &&} (false): the decisive value of either side
         * decides, without evaluating the right side when the left one has it; else NULL if a side is NULL.
         */
        private Node logical(String op, Boolean decisive, Supplier<Node> operand) {
            Node left = operand.get();
            while (eat(op)) {
                Node l = left;
                Node r = operand.get();
                left = v -> {
                    Boolean a = bool(l.eval(v), op);
                    if (decisive.equals(a)) {
                        return decisive;
                    }
                    Boolean b = bool(r.eval(v), op);
                    return decisive.equals(b) ? decisive : a == null || b == null ? null : !decisive;
                };
            }
            return left;
        }

        Node not() {
            if (eat("!")) {
                Node inner = not();
                return v -> {
                    Boolean b = bool(inner.eval(v), "!");
                    return b == null ? null : !b;
                };
            }
            return cmp();
        }

        Node cmp() {
            Node left = sum();
            for (String op : new String[] {"==", "!=", "<=", ">=", "<", ">"}) {
                if (eat(op)) {
                    Node l = left;
                    Node r = sum();
                    return v -> compare(op, l.eval(v), r.eval(v));
                }
            }
            skipSpace();
            if (s.startsWith("=", pos)) {
                throw error("'=' is not an operator (compare with '==')");
            }
            return left;
        }

        Node sum() {
            return arithmeticLevel("+-", this::product);
        }

        Node product() {
            return arithmeticLevel("*/%", this::unary);
        }

        /** One level of left-associative arithmetic over the one-character operators {@code ops}. */
        private Node arithmeticLevel(String ops, Supplier<Node> operand) {
            Node left = operand.get();
            while (true) {
                char op = 0;
                for (char c : ops.toCharArray()) {
                    if (eat(String.valueOf(c))) {
                        op = c;
                        break;
                    }
                }
                if (op == 0) {
                    return left;
                }
                Node l = left;
                Node r = operand.get();
                char o = op;
                left = v -> arithmetic(o, l.eval(v), r.eval(v));
            }
        }

        Node unary() {
            if (eat("-")) {
                Node inner = unary();
                return v -> {
                    Object x = inner.eval(v);
                    if (x == null) {
                        return null;
                    }
                    if (x instanceof Long) {
                        if ((Long) x == Long.MIN_VALUE) {
                            throw new EvalException("-(" + x + ") overflows a 64-bit integer");
                        }
                        return -(Long) x;
                    }
                    if (x instanceof Double) {
                        return -(Double) x;
                    }
                    throw new EvalException("cannot negate " + show(x));
                };
            }
            return atom();
        }

        Node atom() {
            skipSpace();
            if (pos >= s.length()) {
                throw error("a value is missing");
            }
            char c = s.charAt(pos);
            if (c == '(') {
                pos++;
                Node inner = or();
                if (!eat(")")) {
                    throw error("')' expected");
                }
                return inner;
            }
            if (c == '\'' || c == '"') {
                StringBuilder b = new StringBuilder();
                int start = pos++;
                while (true) {
                    if (pos >= s.length()) {
                        pos = start;
                        throw error("text not closed");
                    }
                    char d = s.charAt(pos++);
                    if (d == c) {
                        if (pos < s.length() && s.charAt(pos) == c) { // a doubled quote is one quote
                            b.append(c);
                            pos++;
                            continue;
                        }
                        break;
                    }
                    b.append(d);
                }
                String text = b.toString();
                return v -> text;
            }
            if (Character.isDigit(c) || c == '.') {
                int start = pos;
                boolean decimal = false;
                while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.'
                        || s.charAt(pos) == 'e' || s.charAt(pos) == 'E' || ((s.charAt(pos) == '+'
                        || s.charAt(pos) == '-') && (s.charAt(pos - 1) == 'e' || s.charAt(pos - 1) == 'E')))) {
                    if (!Character.isDigit(s.charAt(pos))) {
                        decimal = true;
                    }
                    pos++;
                }
                String num = s.substring(start, pos);
                Object value;
                try {
                    value = decimal ? (Object) Double.parseDouble(num) : (Object) Long.parseLong(num);
                } catch (NumberFormatException e) {
                    pos = start;
                    throw error("'" + num + "' is not a number");
                }
                return v -> value;
            }
            if (c == '`') {
                int end = s.indexOf('`', pos + 1);
                if (end < 0) {
                    throw error("quoted name not closed");
                }
                String name = s.substring(pos + 1, end);
                pos = end + 1;
                return name(name);
            }
            if (Character.isLetter(c) || c == '_') {
                int start = pos;
                while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                    pos++;
                }
                String word = s.substring(start, pos);
                switch (word.toLowerCase(Locale.ROOT)) {
                    case "true":
                        return v -> Boolean.TRUE;
                    case "false":
                        return v -> Boolean.FALSE;
                    case "null":
                        return v -> null;
                    default:
                        skipSpace();
                        if (pos < s.length() && s.charAt(pos) == '(') {
                            pos = start;
                            throw error("'" + word + "(' calls a function; expressions have none");
                        }
                        return name(word);
                }
            }
            throw error("unexpected '" + c + "'");
        }

        private Node name(String name) {
            names.add(name);
            return v -> normalize(v.apply(name));
        }
    }
}
