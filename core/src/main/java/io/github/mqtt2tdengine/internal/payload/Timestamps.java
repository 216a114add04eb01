package io.github.mqtt2tdengine.internal.payload;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.errors.PayloadException;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Timestamp conversion: epoch numbers in any unit (or detected by magnitude) and ISO-8601 / RFC 3339 strings with
 * an offset, to whole units of the database precision. Not API; may change in any release.
 */
public final class Timestamps {
    private static final double SECONDS_BELOW = 1e11;
    private static final double MILLIS_BELOW = 1e14;
    private static final double MICROS_BELOW = 1e17;

    private Timestamps() {
    }

    /**
     * Converts an instant to the database precision.
     *
     * @param instant the instant
     * @param precision the precision
     * @return whole units since the epoch
     * @throws PayloadException if it does not fit in a long in that precision
     */
    public static long fromInstant(Instant instant, TimePrecision precision) {
        long perSecond = precision.unitsPerSecond();
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), perSecond),
                    instant.getNano() / (1_000_000_000L / perSecond));
        } catch (ArithmeticException e) {
            throw new PayloadException(DeadLetterReason.INVALID_TIMESTAMP, "timestamp " + instant
                    + " is out of range for precision " + precision.sqlName());
        }
    }

    /**
     * Converts a payload timestamp to the database precision.
     *
     * @param node a number, a numeric string or an ISO-8601 string with offset
     * @param unit the unit of numbers
     * @param precision the database precision
     * @return whole units since the epoch
     * @throws PayloadException with reason INVALID_TIMESTAMP naming the value
     */
    public static long toPrecision(JsonNode node, TimestampUnit unit, TimePrecision precision) {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return fromLong(node.longValue(), unit, precision, node);
        }
        if (node.isNumber()) {
            BigDecimal d = node.isIntegralNumber() ? new BigDecimal(node.bigIntegerValue()) : Conversions.decimalOf(node);
            if (d == null) {
                throw invalid(node, "it is not a finite number");
            }
            return fromDecimal(d, unit, precision, node);
        }
        if (node.isTextual()) {
            String s = node.textValue().trim();
            if (Conversions.NUMBER.matcher(s).matches()) {
                return fromDecimal(new BigDecimal(s), unit, precision, node);
            }
            return fromInstant(parseIso(s, node), precision);
        }
        throw invalid(node, "it is " + Conversions.describeType(node) + ", not a number or an ISO-8601 string");
    }

    /**
     * Returns the unit {@link TimestampUnit#AUTO} picks for a magnitude.
     *
     * @param magnitude the absolute value
     * @return seconds, milliseconds, microseconds or nanoseconds
     */
    public static TimestampUnit detect(double magnitude) {
        if (magnitude < SECONDS_BELOW) {
            return TimestampUnit.SECONDS;
        }
        if (magnitude < MILLIS_BELOW) {
            return TimestampUnit.MILLISECONDS;
        }
        if (magnitude < MICROS_BELOW) {
            return TimestampUnit.MICROSECONDS;
        }
        return TimestampUnit.NANOSECONDS;
    }

    private static long unitsPerSecond(TimestampUnit unit) {
        switch (unit) {
            case SECONDS:
                return 1L;
            case MILLISECONDS:
                return 1_000L;
            case MICROSECONDS:
                return 1_000_000L;
            default:
                return 1_000_000_000L;
        }
    }

    private static long fromLong(long v, TimestampUnit unit, TimePrecision precision, JsonNode node) {
        TimestampUnit u = unit == TimestampUnit.AUTO ? detect(Math.abs((double) v)) : unit;
        long from = unitsPerSecond(u);
        long to = precision.unitsPerSecond();
        if (from == to) {
            return v;
        }
        if (from > to) {
            return Math.floorDiv(v, from / to);
        }
        try {
            return Math.multiplyExact(v, to / from);
        } catch (ArithmeticException e) {
            throw invalid(node, "in " + u.name().toLowerCase(java.util.Locale.ROOT)
                    + " it is out of range for precision " + precision.sqlName());
        }
    }

    private static long fromDecimal(BigDecimal d, TimestampUnit unit, TimePrecision precision, JsonNode node) {
        TimestampUnit u = unit == TimestampUnit.AUTO ? detect(Math.abs(d.doubleValue())) : unit;
        BigDecimal scaled = d.multiply(BigDecimal.valueOf(precision.unitsPerSecond()))
                .divide(BigDecimal.valueOf(unitsPerSecond(u)), 0, RoundingMode.FLOOR);
        try {
            return scaled.longValueExact();
        } catch (ArithmeticException e) {
            throw invalid(node, "in " + u.name().toLowerCase(java.util.Locale.ROOT)
                    + " it is out of range for precision " + precision.sqlName());
        }
    }

    private static Instant parseIso(String s, JsonNode node) {
        String t = s;
        if (t.length() > 10 && (t.charAt(10) == ' ' || t.charAt(10) == 't')) {
            t = t.substring(0, 10) + 'T' + t.substring(11);
        }
        if (t.endsWith("z")) {
            t = t.substring(0, t.length() - 1) + 'Z';
        }
        try {
            return OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            try {
                LocalDateTime.parse(t, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
            } catch (DateTimeParseException e2) {
                throw invalid(node, "it is neither an epoch number nor an ISO-8601 date-time with offset");
            }
            throw invalid(node, "it has no UTC offset (add Z or +hh:mm)");
        }
    }

    private static PayloadException invalid(JsonNode node, String why) {
        return new PayloadException(DeadLetterReason.INVALID_TIMESTAMP, "timestamp " + Conversions.show(node)
                + " is not valid: " + why);
    }
}
