package io.github.mqtt2tdengine.internal.payload;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.errors.PayloadException;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.Identifiers;
import io.github.mqtt2tdengine.payload.NonFiniteNumberPolicy;
import io.github.mqtt2tdengine.payload.StringOverflowPolicy;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Converts JSON values to row values of a column type, with range and length checks. Errors are
 * {@link PayloadException}s whose message names the bad value; the caller adds the field and topic.
 * Not API; may change in any release.
 */
public final class Conversions {
    /** A decimal number as text: what numeric strings in payloads may look like. */
    static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,18}");
    private static final BigInteger UNSIGNED_LONG_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final int MAX_SHOWN = 64;

    private final StringOverflowPolicy overflow;
    private final NonFiniteNumberPolicy nonFinite;

    /**
     * Creates a converter with the mapping's policies.
     *
     * @param overflow what to do with strings too long
     * @param nonFinite what to do with NaN and infinities
     */
    public Conversions(StringOverflowPolicy overflow, NonFiniteNumberPolicy nonFinite) {
        this.overflow = overflow;
        this.nonFinite = nonFinite;
    }

    /**
     * Converts a non-null JSON value.
     *
     * @param node the value (not JSON null)
     * @param type the column type
     * @param unit unit of numeric timestamps
     * @param precision database precision
     * @return the row value; null only for non-finite numbers under {@link NonFiniteNumberPolicy#NULL}
     * @throws PayloadException when the value does not fit
     */
    public Object convert(JsonNode node, ColumnType type, TimestampUnit unit, TimePrecision precision) {
        ColumnType.Kind kind = type.kind();
        switch (kind) {
            case TIMESTAMP:
                return Timestamps.toPrecision(node, unit, precision);
            case BOOL:
                return toBool(node);
            case FLOAT:
            case DOUBLE:
                return toFloating(node, kind);
            case VARCHAR:
            case NCHAR:
                return toText(node, type);
            case VARBINARY:
                return toBinary(node, type);
            case JSON:
                return toJson(node);
            default:
                return toInteger(node, kind);
        }
    }

    private static Boolean toBool(JsonNode node) {
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            long v = node.longValue();
            if (v == 0 || v == 1) {
                return v == 1;
            }
        } else if (node.isTextual()) {
            String s = node.textValue().trim().toLowerCase(Locale.ROOT);
            if (s.equals("true") || s.equals("1")) {
                return Boolean.TRUE;
            }
            if (s.equals("false") || s.equals("0")) {
                return Boolean.FALSE;
            }
        }
        throw mismatch(node, "BOOL", "it is not true, false, 1 or 0");
    }

    private static Long toInteger(JsonNode node, ColumnType.Kind kind) {
        if (node.isIntegralNumber()) {
            if (node.canConvertToLong()) {
                return checkRange(node.longValue(), node, kind);
            }
            return checkBig(node.bigIntegerValue(), node, kind);
        }
        if (node.isFloatingPointNumber()) {
            return fromDecimal(decimalOf(node), node, kind);
        }
        if (node.isTextual()) {
            String s = node.textValue().trim();
            if (INTEGER.matcher(s).matches()) {
                return checkRange(Long.parseLong(s), node, kind);
            }
            if (NUMBER.matcher(s).matches()) {
                return fromDecimal(new BigDecimal(s), node, kind);
            }
            throw mismatch(node, kind.name().replace('_', ' '), "it is not a number");
        }
        throw mismatch(node, kind.name().replace('_', ' '), "it is " + describeType(node) + ", not a number");
    }

    private static Long fromDecimal(BigDecimal d, JsonNode node, ColumnType.Kind kind) {
        if (d == null) {
            throw mismatch(node, sqlName(kind), "it is not a finite number");
        }
        BigInteger exact;
        try {
            exact = d.stripTrailingZeros().toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw mismatch(node, sqlName(kind), "it is not a whole number");
        }
        return checkBig(exact, node, kind);
    }

    private static Long checkBig(BigInteger v, JsonNode node, ColumnType.Kind kind) {
        if (kind == ColumnType.Kind.BIGINT_UNSIGNED) {
            if (v.signum() < 0 || v.compareTo(UNSIGNED_LONG_MAX) > 0) {
                throw outOfRange(node, kind);
            }
            return v.longValue();
        }
        if (v.bitLength() > 63) {
            throw outOfRange(node, kind);
        }
        return checkRange(v.longValue(), node, kind);
    }

    private static Long checkRange(long v, JsonNode node, ColumnType.Kind kind) {
        if (kind == ColumnType.Kind.BIGINT_UNSIGNED) {
            if (v < 0) {
                throw outOfRange(node, kind);
            }
            return v;
        }
        if (v < kind.minValue() || v > kind.maxValue()) {
            throw outOfRange(node, kind);
        }
        return v;
    }

    private Object toFloating(JsonNode node, ColumnType.Kind kind) {
        double v;
        if (node.isNumber()) {
            v = node.doubleValue();
        } else if (node.isTextual()) {
            String s = node.textValue().trim();
            if (NUMBER.matcher(s).matches()) {
                v = Double.parseDouble(s);
            } else {
                v = special(s);
                if (Double.isNaN(v) && !s.equalsIgnoreCase("nan")) {
                    throw mismatch(node, kind.name(), "it is not a number");
                }
            }
        } else {
            throw mismatch(node, kind.name(), "it is " + describeType(node) + ", not a number");
        }
        if (Double.isNaN(v) || (Double.isInfinite(v) && !node.isNumber())) {
            if (nonFinite == NonFiniteNumberPolicy.NULL) {
                return null;
            }
            throw new PayloadException(DeadLetterReason.NON_FINITE_NUMBER, "value " + show(node) + " is not a finite "
                    + kind.name() + " (TDengine cannot store NaN or Infinity; policy REJECT)");
        }
        if (kind == ColumnType.Kind.FLOAT) {
            if (Double.isInfinite(v) || Math.abs(v) > Float.MAX_VALUE) {
                throw outOfRange(node, "FLOAT [-3.4028235E38, 3.4028235E38]");
            }
            return (float) v;
        }
        if (Double.isInfinite(v)) {
            throw outOfRange(node, "DOUBLE [-1.7976931348623157E308, 1.7976931348623157E308]");
        }
        return v;
    }

    private static double special(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "inf":
            case "+inf":
            case "infinity":
            case "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf":
            case "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                return Double.NaN;
        }
    }

    private String toText(JsonNode node, ColumnType type) {
        String s = textOf(node);
        if (type.kind() == ColumnType.Kind.NCHAR) {
            int chars = s.codePointCount(0, s.length());
            if (chars > type.length()) {
                if (overflow == StringOverflowPolicy.TRUNCATE) {
                    return s.substring(0, s.offsetByCodePoints(0, type.length()));
                }
                throw tooLong(chars + " characters", type);
            }
            return s;
        }
        int bytes = Identifiers.utf8Length(s);
        if (bytes > type.length()) {
            if (overflow == StringOverflowPolicy.TRUNCATE) {
                return truncateUtf8(s, type.length());
            }
            throw tooLong(bytes + " bytes", type);
        }
        return s;
    }

    private byte[] toBinary(JsonNode node, ColumnType type) {
        byte[] b = textOf(node).getBytes(StandardCharsets.UTF_8);
        if (b.length > type.length()) {
            if (overflow == StringOverflowPolicy.TRUNCATE) {
                return Arrays.copyOf(b, type.length());
            }
            throw tooLong(b.length + " bytes", type);
        }
        return b;
    }

    private static String toJson(JsonNode node) {
        if (!node.isObject()) {
            throw mismatch(node, "JSON", "a JSON tag takes an object, but it is " + describeType(node));
        }
        String s = node.toString();
        int bytes = Identifiers.utf8Length(s);
        if (bytes > ColumnType.MAX_JSON_BYTES) {
            throw new PayloadException(DeadLetterReason.VALUE_TOO_LONG, "JSON value of " + bytes
                    + " bytes is longer than TDengine's JSON tag limit of " + ColumnType.MAX_JSON_BYTES + " bytes");
        }
        return s;
    }

    /**
     * Returns the text of a value for string columns and templates: strings as they are, numbers and booleans as
     * written, objects and arrays as compact JSON.
     *
     * @param node the value
     * @return the text
     */
    public static String textOf(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isValueNode()) {
            return node.asText();
        }
        return node.toString();
    }

    /**
     * Cuts a string to at most {@code maxBytes} bytes of UTF-8, never inside a character.
     *
     * @param s the string
     * @param maxBytes the limit
     * @return the prefix
     */
    public static String truncateUtf8(String s, int maxBytes) {
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > maxBytes) {
                break;
            }
            bytes += len;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }

    static BigDecimal decimalOf(JsonNode node) {
        if (node.isBigDecimal()) {
            return node.decimalValue();
        }
        double d = node.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return null;
        }
        return new BigDecimal(Double.toString(d));
    }

    private static String sqlName(ColumnType.Kind kind) {
        return kind.name().replace('_', ' ');
    }

    private static PayloadException outOfRange(JsonNode node, ColumnType.Kind kind) {
        String max = kind == ColumnType.Kind.BIGINT_UNSIGNED ? Long.toUnsignedString(kind.maxValue())
                : Long.toString(kind.maxValue());
        return outOfRange(node, sqlName(kind) + " [" + kind.minValue() + ", " + max + "]");
    }

    private static PayloadException outOfRange(JsonNode node, String typeAndRange) {
        return new PayloadException(DeadLetterReason.OUT_OF_RANGE, "value " + show(node) + " is out of range for "
                + typeAndRange);
    }

    static PayloadException mismatch(JsonNode node, String type, String why) {
        return new PayloadException(DeadLetterReason.TYPE_MISMATCH, "value " + show(node) + " cannot be converted to "
                + type + ": " + why);
    }

    private static PayloadException tooLong(String size, ColumnType type) {
        return new PayloadException(DeadLetterReason.VALUE_TOO_LONG, "value of " + size + " is longer than " + type
                + " (policy REJECT)");
    }

    static String describeType(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT:
                return "an object";
            case ARRAY:
                return "an array";
            case BOOLEAN:
                return "a boolean";
            case STRING:
                return "a string";
            case NUMBER:
                return "a number";
            default:
                return node.getNodeType().name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Shows a value for an error message: JSON text, cut to 64 characters.
     *
     * @param node the value
     * @return the text
     */
    public static String show(JsonNode node) {
        String s = node.toString();
        return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN) + "...(" + s.length() + " chars)";
    }
}
