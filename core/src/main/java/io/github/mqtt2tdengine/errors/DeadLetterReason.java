package io.github.mqtt2tdengine.errors;

/**
 * Why a message was dead-lettered; metrics count dead letters by this value.
 *
 * @since 0.1.0
 */
public enum DeadLetterReason {
    /** The payload could not be parsed (not JSON, truncated, invalid UTF-8, nested too deep). */
    INVALID_PAYLOAD,
    /** The payload is larger than the configured maximum. */
    PAYLOAD_TOO_LARGE,
    /** No mapping's topic filter matches the message's topic. */
    NO_ROUTE,
    /** A required field (primary-key timestamp, required tag or column, row-split array) is absent. */
    MISSING_FIELD,
    /** A value cannot be converted to its column type (text into INT, 3.5 into INT, an object into FLOAT). */
    TYPE_MISMATCH,
    /** A number is outside its column type's range (300 into TINYINT, -1 into an unsigned type). */
    OUT_OF_RANGE,
    /** A string is longer than its VARCHAR/NCHAR/VARBINARY/JSON length. */
    VALUE_TOO_LONG,
    /** A FLOAT or DOUBLE value is NaN or infinite and the policy rejects such values. */
    NON_FINITE_NUMBER,
    /** A timestamp cannot be parsed or converted to the database precision. */
    INVALID_TIMESTAMP,
    /** The generated sub-table name is empty, too long or contains a forbidden character. */
    INVALID_TABLE_NAME,
    /** A host-supplied filter or transform hook threw, or a transform returned an invalid row. */
    HOOK_FAILED,
    /** The sink rejected the message's rows (a data error reported by the database). */
    SINK_REJECTED,
    /**
     * A computed column's or a filter's expression failed: division by zero, an integer overflow, values it cannot
     * combine (text times a number).
     */
    EXPRESSION_FAILED
}
