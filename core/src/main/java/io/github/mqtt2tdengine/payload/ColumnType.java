package io.github.mqtt2tdengine.payload;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TDengine column or tag type, with its length for VARCHAR, NCHAR and VARBINARY.
 *
 * <p>Java types of row values: TIMESTAMP and all integer types {@link Long} (BIGINT UNSIGNED as the unsigned bits of
 * a long), BOOL {@link Boolean}, FLOAT {@link Float}, DOUBLE {@link Double}, VARCHAR, NCHAR and JSON {@link String},
 * VARBINARY {@code byte[]}.
 *
 * @since 0.1.0
 */
public final class ColumnType {

    /** The type without its length. */
    public enum Kind {
        /** TIMESTAMP, in the database precision. */
        TIMESTAMP("TIMESTAMP", Long.class, 0, 0),
        /** BOOL. */
        BOOL("BOOL", Boolean.class, 0, 0),
        /** TINYINT, [-128, 127]. */
        TINYINT("TINYINT", Long.class, Byte.MIN_VALUE, Byte.MAX_VALUE),
        /** SMALLINT, [-32768, 32767]. */
        SMALLINT("SMALLINT", Long.class, Short.MIN_VALUE, Short.MAX_VALUE),
        /** INT, [-2<sup>31</sup>, 2<sup>31</sup>-1]. */
        INT("INT", Long.class, Integer.MIN_VALUE, Integer.MAX_VALUE),
        /** BIGINT, [-2<sup>63</sup>, 2<sup>63</sup>-1]. */
        BIGINT("BIGINT", Long.class, Long.MIN_VALUE, Long.MAX_VALUE),
        /** TINYINT UNSIGNED, [0, 255]. */
        TINYINT_UNSIGNED("TINYINT UNSIGNED", Long.class, 0, 255),
        /** SMALLINT UNSIGNED, [0, 65535]. */
        SMALLINT_UNSIGNED("SMALLINT UNSIGNED", Long.class, 0, 65_535),
        /** INT UNSIGNED, [0, 2<sup>32</sup>-1]. */
        INT_UNSIGNED("INT UNSIGNED", Long.class, 0, 4_294_967_295L),
        /** BIGINT UNSIGNED, [0, 2<sup>64</sup>-1], held as the unsigned bits of a long. */
        BIGINT_UNSIGNED("BIGINT UNSIGNED", Long.class, 0, -1L),
        /** FLOAT, 32-bit IEEE 754, finite. */
        FLOAT("FLOAT", Float.class, 0, 0),
        /** DOUBLE, 64-bit IEEE 754, finite. */
        DOUBLE("DOUBLE", Double.class, 0, 0),
        /** VARCHAR(n) (alias BINARY(n)); n in bytes of UTF-8. */
        VARCHAR("VARCHAR", String.class, 0, 0),
        /** NCHAR(n); n in characters (code points). */
        NCHAR("NCHAR", String.class, 0, 0),
        /** VARBINARY(n); n in bytes. */
        VARBINARY("VARBINARY", byte[].class, 0, 0),
        /** JSON, tags only: a JSON object of at most {@value ColumnType#MAX_JSON_BYTES} bytes. */
        JSON("JSON", String.class, 0, 0);

        private final String sql;
        private final Class<?> javaType;
        private final long min;
        private final long max;

        Kind(String sql, Class<?> javaType, long min, long max) {
            this.sql = sql;
            this.javaType = javaType;
            this.min = min;
            this.max = max;
        }

        /**
         * Returns whether this is one of the eight integer kinds.
         *
         * @return true for TINYINT .. BIGINT UNSIGNED
         */
        public boolean isInteger() {
            return ordinal() >= TINYINT.ordinal() && ordinal() <= BIGINT_UNSIGNED.ordinal();
        }

        /**
         * Returns whether this is an UNSIGNED integer kind.
         *
         * @return true for the four UNSIGNED kinds
         */
        public boolean isUnsigned() {
            return ordinal() >= TINYINT_UNSIGNED.ordinal() && ordinal() <= BIGINT_UNSIGNED.ordinal();
        }

        /**
         * Returns whether the kind carries a length (VARCHAR, NCHAR, VARBINARY).
         *
         * @return true when a length is declared
         */
        public boolean hasLength() {
            return this == VARCHAR || this == NCHAR || this == VARBINARY;
        }

        /**
         * Returns the smallest value of an integer kind.
         *
         * @return the minimum (0 for unsigned kinds)
         */
        public long minValue() {
            return min;
        }

        /**
         * Returns the largest value of an integer kind; for BIGINT UNSIGNED the unsigned bits of 2<sup>64</sup>-1.
         *
         * @return the maximum
         */
        public long maxValue() {
            return max;
        }
    }

    /** Length of {@link #VARCHAR}, {@link #NCHAR} and {@link #VARBINARY} when none is given: {@value}. */
    public static final int DEFAULT_LENGTH = 64;
    /** Largest VARCHAR and VARBINARY length TDengine accepts: {@value} bytes. */
    public static final int MAX_VARCHAR_LENGTH = 65_517;
    /** Largest NCHAR length TDengine accepts: {@value} characters. */
    public static final int MAX_NCHAR_LENGTH = 16_382;
    /** Largest JSON tag value TDengine accepts: {@value} bytes. */
    public static final int MAX_JSON_BYTES = 4_095;

    /** TIMESTAMP. */
    public static final ColumnType TIMESTAMP = new ColumnType(Kind.TIMESTAMP, 8);
    /** BOOL. */
    public static final ColumnType BOOL = new ColumnType(Kind.BOOL, 1);
    /** TINYINT. */
    public static final ColumnType TINYINT = new ColumnType(Kind.TINYINT, 1);
    /** SMALLINT. */
    public static final ColumnType SMALLINT = new ColumnType(Kind.SMALLINT, 2);
    /** INT. */
    public static final ColumnType INT = new ColumnType(Kind.INT, 4);
    /** BIGINT. */
    public static final ColumnType BIGINT = new ColumnType(Kind.BIGINT, 8);
    /** TINYINT UNSIGNED. */
    public static final ColumnType TINYINT_UNSIGNED = new ColumnType(Kind.TINYINT_UNSIGNED, 1);
    /** SMALLINT UNSIGNED. */
    public static final ColumnType SMALLINT_UNSIGNED = new ColumnType(Kind.SMALLINT_UNSIGNED, 2);
    /** INT UNSIGNED. */
    public static final ColumnType INT_UNSIGNED = new ColumnType(Kind.INT_UNSIGNED, 4);
    /** BIGINT UNSIGNED. */
    public static final ColumnType BIGINT_UNSIGNED = new ColumnType(Kind.BIGINT_UNSIGNED, 8);
    /** FLOAT. */
    public static final ColumnType FLOAT = new ColumnType(Kind.FLOAT, 4);
    /** DOUBLE. */
    public static final ColumnType DOUBLE = new ColumnType(Kind.DOUBLE, 8);
    /** VARCHAR({@value #DEFAULT_LENGTH}). */
    public static final ColumnType VARCHAR = new ColumnType(Kind.VARCHAR, DEFAULT_LENGTH);
    /** NCHAR({@value #DEFAULT_LENGTH}). */
    public static final ColumnType NCHAR = new ColumnType(Kind.NCHAR, DEFAULT_LENGTH);
    /** VARBINARY({@value #DEFAULT_LENGTH}). */
    public static final ColumnType VARBINARY = new ColumnType(Kind.VARBINARY, DEFAULT_LENGTH);
    /** JSON (tags only). */
    public static final ColumnType JSON = new ColumnType(Kind.JSON, MAX_JSON_BYTES);

    private static final Map<String, ColumnType> FIXED = Map.ofEntries(
            Map.entry("TIMESTAMP", TIMESTAMP), Map.entry("BOOL", BOOL), Map.entry("BOOLEAN", BOOL),
            Map.entry("TINYINT", TINYINT), Map.entry("SMALLINT", SMALLINT), Map.entry("INT", INT),
            Map.entry("INTEGER", INT), Map.entry("BIGINT", BIGINT), Map.entry("TINYINT UNSIGNED", TINYINT_UNSIGNED),
            Map.entry("SMALLINT UNSIGNED", SMALLINT_UNSIGNED), Map.entry("INT UNSIGNED", INT_UNSIGNED),
            Map.entry("INTEGER UNSIGNED", INT_UNSIGNED), Map.entry("BIGINT UNSIGNED", BIGINT_UNSIGNED),
            Map.entry("FLOAT", FLOAT), Map.entry("DOUBLE", DOUBLE), Map.entry("JSON", JSON));

    private static final Pattern SQL_TYPE = Pattern.compile(
            "\\s*([A-Za-z]+(?:\\s+[A-Za-z]+)?)\\s*(?:\\(\\s*(\\d{1,9})\\s*\\))?\\s*");

    private final Kind kind;
    private final int length;

    private ColumnType(Kind kind, int length) {
        this.kind = kind;
        this.length = length;
    }

    /**
     * Returns VARCHAR(n).
     *
     * @param length maximum length in bytes of UTF-8, 1 to {@value #MAX_VARCHAR_LENGTH}
     * @return the type
     * @throws IllegalArgumentException if length is out of range
     */
    public static ColumnType varchar(int length) {
        return new ColumnType(Kind.VARCHAR, checkLength("VARCHAR", length, MAX_VARCHAR_LENGTH));
    }

    /**
     * Returns BINARY(n), TDengine's alias of VARCHAR(n).
     *
     * @param length maximum length in bytes of UTF-8, 1 to {@value #MAX_VARCHAR_LENGTH}
     * @return the type, equal to {@code varchar(length)}
     * @throws IllegalArgumentException if length is out of range
     */
    public static ColumnType binary(int length) {
        return varchar(length);
    }

    /**
     * Returns NCHAR(n).
     *
     * @param length maximum length in characters, 1 to {@value #MAX_NCHAR_LENGTH}
     * @return the type
     * @throws IllegalArgumentException if length is out of range
     */
    public static ColumnType nchar(int length) {
        return new ColumnType(Kind.NCHAR, checkLength("NCHAR", length, MAX_NCHAR_LENGTH));
    }

    /**
     * Returns VARBINARY(n).
     *
     * @param length maximum length in bytes, 1 to {@value #MAX_VARCHAR_LENGTH}
     * @return the type
     * @throws IllegalArgumentException if length is out of range
     */
    public static ColumnType varbinary(int length) {
        return new ColumnType(Kind.VARBINARY, checkLength("VARBINARY", length, MAX_VARCHAR_LENGTH));
    }

    private static int checkLength(String type, int length, int max) {
        if (length < 1 || length > max) {
            throw new IllegalArgumentException(type + " length must be between 1 and " + max + ", but was " + length);
        }
        return length;
    }

    /**
     * Parses a type as TDengine writes it: {@code INT}, {@code int unsigned}, {@code VARCHAR(32)},
     * {@code BINARY(16)}, {@code NCHAR(8)}, {@code VARBINARY(10)}, {@code BOOL}, {@code JSON}. A string type without
     * a length gets {@value #DEFAULT_LENGTH}.
     *
     * @param text the type
     * @return the type
     * @throws IllegalArgumentException naming the text if it is not a supported type
     */
    public static ColumnType parse(String text) {
        Objects.requireNonNull(text, "type must not be null");
        Matcher m = SQL_TYPE.matcher(text);
        if (!m.matches()) {
            throw unknown(text);
        }
        String name = m.group(1).toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        String len = m.group(2);
        switch (name) {
            case "VARCHAR":
            case "BINARY":
                return len == null ? VARCHAR : varchar(Integer.parseInt(len));
            case "NCHAR":
                return len == null ? NCHAR : nchar(Integer.parseInt(len));
            case "VARBINARY":
                return len == null ? VARBINARY : varbinary(Integer.parseInt(len));
            default:
                break;
        }
        ColumnType fixed = FIXED.get(name);
        if (fixed == null) {
            throw unknown(text);
        }
        if (len != null) {
            throw new IllegalArgumentException("type " + fixed.sql() + " takes no length, but was '" + text + "'");
        }
        return fixed;
    }

    private static IllegalArgumentException unknown(String text) {
        return new IllegalArgumentException("unknown column type '" + text + "'; known: TIMESTAMP, BOOL, TINYINT, "
                + "SMALLINT, INT, BIGINT, TINYINT UNSIGNED, SMALLINT UNSIGNED, INT UNSIGNED, BIGINT UNSIGNED, FLOAT, "
                + "DOUBLE, VARCHAR(n), BINARY(n), NCHAR(n), VARBINARY(n), JSON");
    }

    /**
     * Returns the kind.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Returns the declared length for VARCHAR (bytes), NCHAR (characters) and VARBINARY (bytes), the byte size for
     * fixed-size types, and {@value #MAX_JSON_BYTES} for JSON.
     *
     * @return the length
     */
    public int length() {
        return length;
    }

    /**
     * Returns the Java type of row values of this type.
     *
     * @return Long, Boolean, Float, Double, String or byte[]
     */
    public Class<?> javaType() {
        return kind.javaType;
    }

    /**
     * Returns whether a non-null row value has the right Java type for this column type.
     *
     * @param value the value
     * @return true if it fits
     */
    public boolean accepts(Object value) {
        return kind.javaType.isInstance(value);
    }

    /**
     * Returns the type as TDengine writes it in DDL: {@code INT UNSIGNED}, {@code VARCHAR(32)}.
     *
     * @return the SQL type
     */
    public String sql() {
        return kind.hasLength() ? kind.sql + '(' + length + ')' : kind.sql;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ColumnType && ((ColumnType) o).kind == kind && ((ColumnType) o).length == length;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + length;
    }

    @Override
    public String toString() {
        return sql();
    }
}
