package io.github.mqtt2tdengine.internal.expression;

import java.util.Locale;
import java.util.Map;

/**
 * A reference for {@link Expression}, written from its documented semantics rather than its code: an expression
 * tree that renders itself as text (parentheses only where the grammar's precedence needs them) and evaluates itself
 * directly. A failure is a {@link Failed}.
 */
final class ReferenceExpression {
    private ReferenceExpression() {
    }

    /** What the implementation reports as an {@code EXPRESSION_FAILED}. */
    static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failed(String message) {
            super(message);
        }
    }

    /** A node of the tree. */
    interface Node {
        /** The node as expression text. */
        String text();

        /** The grammar level: 1 or, 2 and, 3 not, 4 comparison, 5 sum, 6 product, 7 unary, 8 atom. */
        int level();

        Object eval(Map<String, Object> values);
    }

    private record Leaf(String text, Object value, String name) implements Node {
        @Override
        public int level() {
            return 8;
        }

        @Override
        public Object eval(Map<String, Object> values) {
            return name == null ? value : normalize(values.get(name));
        }
    }

    static Node literal(long v) {
        return new Leaf(Long.toString(v), v, null);
    }

    static Node literal(double v) {
        return new Leaf(Double.toString(v), v, null);
    }

    static Node text(String v, char quote) {
        String q = String.valueOf(quote);
        return new Leaf(q + v.replace(q, q + q) + q, v, null);
    }

    static Node keyword(String word) {
        Object v = switch (word.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> null;
        };
        return new Leaf(word, v, null);
    }

    static Node name(String name) {
        return new Leaf(name.matches("[A-Za-z_][A-Za-z0-9_]*") ? name : "`" + name + "`", null, name);
    }

    static Node grouped(Node inner) {
        return new Node() {
            @Override
            public String text() {
                return "(" + inner.text() + ")";
            }

            @Override
            public int level() {
                return 8;
            }

            @Override
            public Object eval(Map<String, Object> values) {
                return inner.eval(values);
            }
        };
    }

    static Node unary(String op, Node inner) {
        int level = op.equals("!") ? 3 : 7;
        // "!" takes a not or a comparison; "-" a unary or an atom
        String in = inner.level() >= level ? inner.text() : "(" + inner.text() + ")";
        return new Node() {
            @Override
            public String text() {
                return op + in;
            }

            @Override
            public int level() {
                return level;
            }

            @Override
            public Object eval(Map<String, Object> values) {
                Object x = inner.eval(values);
                if (op.equals("!")) {
                    Boolean b = bool(x, "!");
                    return b == null ? null : !b;
                }
                if (x == null) {
                    return null;
                }
                if (x instanceof Long l) {
                    if (l == Long.MIN_VALUE) {
                        throw new Failed("-MIN overflows");
                    }
                    return -l;
                }
                if (x instanceof Double d) {
                    return -d;
                }
                throw new Failed("cannot negate " + x);
            }
        };
    }

    static Node binary(String op, Node left, Node right) {
        int level = switch (op) {
            case "||" -> 1;
            case "&&" -> 2;
            case "+", "-" -> 5;
            case "*", "/", "%" -> 6;
            default -> 4;
        };
        // left-associative levels take their own level on the left; a comparison takes sums on both sides
        int leftMin = level == 4 ? 5 : level;
        int rightMin = level == 4 ? 5 : level + 1;
        String l = left.level() >= leftMin ? left.text() : "(" + left.text() + ")";
        String r = right.level() >= rightMin ? right.text() : "(" + right.text() + ")";
        return new Node() {
            @Override
            public String text() {
                return l + " " + op + " " + r;
            }

            @Override
            public int level() {
                return level;
            }

            @Override
            public Object eval(Map<String, Object> values) {
                if (level <= 2) {
                    Boolean decisive = level == 1;
                    Boolean a = bool(left.eval(values), op);
                    if (decisive.equals(a)) {
                        return decisive;
                    }
                    Boolean b = bool(right.eval(values), op);
                    if (decisive.equals(b)) {
                        return decisive;
                    }
                    return a == null || b == null ? null : !decisive;
                }
                Object a = left.eval(values);
                Object b = right.eval(values);
                return level == 4 ? compare(op, a, b) : arithmetic(op, a, b);
            }
        };
    }

    private static Object normalize(Object v) {
        if (v instanceof Integer i) {
            return (long) i;
        }
        if (v instanceof Float f) {
            return (double) f;
        }
        return v;
    }

    private static Boolean bool(Object v, String op) {
        if (v == null || v instanceof Boolean) {
            return (Boolean) v;
        }
        throw new Failed(op + " needs a boolean, got " + v);
    }

    private static Object arithmetic(String op, Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        if (op.equals("+") && (a instanceof String || b instanceof String)) {
            return String.valueOf(a) + b;
        }
        if (!(a instanceof Long || a instanceof Double) || !(b instanceof Long || b instanceof Double)) {
            throw new Failed("cannot compute " + a + " " + op + " " + b);
        }
        if (!op.equals("/") && a instanceof Long x && b instanceof Long y) {
            try {
                return switch (op) {
                    case "+" -> Math.addExact(x, y);
                    case "-" -> Math.subtractExact(x, y);
                    case "*" -> Math.multiplyExact(x, y);
                    default -> {
                        if (y == 0) {
                            throw new Failed("% 0");
                        }
                        yield x % y;
                    }
                };
            } catch (ArithmeticException e) {
                throw new Failed("overflow");
            }
        }
        double x = ((Number) a).doubleValue();
        double y = ((Number) b).doubleValue();
        if ((op.equals("/") || op.equals("%")) && y == 0) {
            throw new Failed("division by zero");
        }
        double r = switch (op) {
            case "+" -> x + y;
            case "-" -> x - y;
            case "*" -> x * y;
            case "/" -> x / y;
            default -> x % y;
        };
        if (!Double.isFinite(r)) {
            throw new Failed("not finite");
        }
        return r;
    }

    private static Object compare(String op, Object a, Object b) {
        boolean numbers = a instanceof Number && b instanceof Number;
        boolean longs = a instanceof Long && b instanceof Long;
        if (op.equals("==") || op.equals("!=")) {
            boolean eq;
            if (a == null || b == null) {
                eq = a == b;
            } else if (numbers) {
                eq = longs ? a.equals(b) : ((Number) a).doubleValue() == ((Number) b).doubleValue();
            } else if (a.getClass() == b.getClass()) {
                eq = a.equals(b);
            } else {
                throw new Failed("cannot compare " + a + " " + op + " " + b);
            }
            return op.equals("==") == eq;
        }
        if (a == null || b == null) {
            return null;
        }
        int c;
        if (numbers) {
            c = longs ? Long.compare((Long) a, (Long) b)
                    : Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
        } else if (a instanceof String s && b instanceof String t) {
            c = s.compareTo(t);
        } else {
            throw new Failed("cannot compare " + a + " " + op + " " + b);
        }
        return switch (op) {
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            default -> c >= 0;
        };
    }
}
