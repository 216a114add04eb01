package io.github.mqtt2tdengine.payload;

import java.util.Locale;

/**
 * Timestamp precision of a TDengine database; row timestamps are whole units of it since the epoch.
 *
 * @since 0.1.0
 */
public enum TimePrecision {
    /** Milliseconds, TDengine's default ({@code PRECISION 'ms'}). */
    MILLISECONDS("ms", 1_000L),
    /** Microseconds ({@code PRECISION 'us'}). */
    MICROSECONDS("us", 1_000_000L),
    /** Nanoseconds ({@code PRECISION 'ns'}). */
    NANOSECONDS("ns", 1_000_000_000L);

    private final String sql;
    private final long perSecond;

    TimePrecision(String sql, long perSecond) {
        this.sql = sql;
        this.perSecond = perSecond;
    }

    /**
     * Returns the name TDengine uses: {@code ms}, {@code us} or {@code ns}.
     *
     * @return the SQL name
     */
    public String sqlName() {
        return sql;
    }

    /**
     * Returns how many units make one second.
     *
     * @return 1000, 1000000 or 1000000000
     */
    public long unitsPerSecond() {
        return perSecond;
    }

    /**
     * Parses TDengine's name of a precision.
     *
     * @param name {@code ms}, {@code us} or {@code ns}, any case
     * @return the precision
     * @throws IllegalArgumentException for any other name
     */
    public static TimePrecision fromSqlName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (TimePrecision p : values()) {
            if (p.sql.equals(n)) {
                return p;
            }
        }
        throw new IllegalArgumentException("precision must be one of ms, us, ns, but was '" + name + "'");
    }
}
