package io.github.mqtt2tdengine.internal.engine;

import io.github.mqtt2tdengine.errors.PayloadException;
import io.github.mqtt2tdengine.spi.Row;
import java.util.List;

/**
 * What a writer's queue holds: rows of one message, or a message to dead-letter. Not API.
 *
 * @param message the message
 * @param rows its rows for this writer, or null for a dead letter
 * @param collisions what to do when a row's timestamp is not after its sub-table's last
 * @param error the mapping error of a dead letter, or null
 */
record WorkItem(InFlightMessage message, List<Row> rows, Collisions collisions, PayloadException error) {

    /** Rows to write. */
    static WorkItem rows(InFlightMessage message, List<Row> rows, Collisions collisions) {
        return new WorkItem(message, rows, collisions, null);
    }

    /** A message that could not be mapped, dead-lettered in its writer's turn. */
    static WorkItem unmappable(InFlightMessage message, PayloadException error) {
        return new WorkItem(message, null, Collisions.NONE, error);
    }

    /** Timestamp collisions within a sub-table (only receive-time primary keys are tracked). */
    enum Collisions {
        /** The primary key comes from the payload: rows are written as they are. */
        NONE,
        /** Receive time, policy OVERWRITE: a repeated timestamp is counted, the row replaces the earlier one. */
        COUNT,
        /** Receive time, policy SHIFT: a repeated or earlier timestamp becomes the sub-table's last + 1. */
        SHIFT
    }
}
