package io.github.mqtt2tdengine.payload;

/**
 * Unit of numeric timestamps in payloads. ISO-8601 / RFC 3339 strings with a UTC offset are accepted whatever the
 * unit; numeric strings are read as numbers in this unit.
 *
 * @since 0.1.0
 */
public enum TimestampUnit {
    /** Seconds since the epoch; fractions are kept down to the database precision. */
    SECONDS,
    /** Milliseconds since the epoch. */
    MILLISECONDS,
    /** Microseconds since the epoch. */
    MICROSECONDS,
    /** Nanoseconds since the epoch. */
    NANOSECONDS,
    /**
     * Chosen by magnitude: below 10<sup>11</sup> seconds (up to the year 5138), below 10<sup>14</sup> milliseconds,
     * below 10<sup>17</sup> microseconds, otherwise nanoseconds.
     */
    AUTO
}
