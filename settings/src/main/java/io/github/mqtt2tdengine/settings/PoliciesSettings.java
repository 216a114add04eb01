package io.github.mqtt2tdengine.settings;

import io.github.mqtt2tdengine.payload.NonFiniteNumberPolicy;
import io.github.mqtt2tdengine.payload.StringOverflowPolicy;
import io.github.mqtt2tdengine.payload.TableNamePolicy;
import io.github.mqtt2tdengine.payload.TagChangePolicy;
import io.github.mqtt2tdengine.payload.TimestampCollisionPolicy;

/**
 * The {@code parser.policies} section: what the mapping does with input that does not fit as it is
 * ({@code PayloadPolicies}). Immutable; every component may be null (not set: {@code PayloadPolicies.DEFAULTS}).
 *
 * @param timestampCollision two rows of one sub-table with the same receive-time key: shift (the later one moves
 *     forward by one precision unit) or overwrite; default shift
 * @param tableName dots, backquotes or control characters in a generated sub-table name: replace or reject; default
 *     replace
 * @param nameReplacement the one character such characters are replaced with; default _
 * @param stringOverflow too-long VARCHAR, NCHAR or VARBINARY values: reject or truncate; default reject
 * @param nonFiniteNumber NaN or Infinity for FLOAT or DOUBLE: reject or null; default reject
 * @param tagChange a message with other tag values than its sub-table has: update (ALTER TABLE SET TAG) or ignore;
 *     default update
 * @since 0.1.0
 */
public record PoliciesSettings(TimestampCollisionPolicy timestampCollision, TableNamePolicy tableName,
        String nameReplacement, StringOverflowPolicy stringOverflow, NonFiniteNumberPolicy nonFiniteNumber,
        TagChangePolicy tagChange) {
}
