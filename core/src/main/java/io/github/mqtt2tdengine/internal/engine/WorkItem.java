package io.github.mqtt2tdengine.internal.engine;

import io.github.mqtt2tdengine.PayloadException;
import io.github.mqtt2tdengine.spi.Row;
import java.util.List;

/**
 * What a writer's queue holds: rows of one message, or a message to dead-letter. Not API.
 *
 * @param message the message
 * @param rows its rows for this writer, or null for a dead letter
 * @param shiftTimestamps whether the rows' primary key is the receive time, so collisions are handled
 * @param shift true for SHIFT, false for OVERWRITE
 * @param error the mapping error of a dead letter, or null
 */
record WorkItem(InFlightMessage message, List<Row> rows, boolean shiftTimestamps, boolean shift,
        PayloadException error) {
}
