package io.github.mqtt2tdengine.payload;

/**
 * What happens to NaN and infinite values bound for FLOAT or DOUBLE columns (TDengine's SQL cannot store them).
 *
 * @since 0.1.0
 */
public enum NonFiniteNumberPolicy {
    /** Dead-letter the message with reason {@code NON_FINITE_NUMBER} (the default). */
    REJECT,
    /** Store NULL instead. */
    NULL
}
