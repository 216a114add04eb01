package io.github.mqtt2tdengine.internal.payload;

import io.github.mqtt2tdengine.spi.Row;
import java.util.List;

/**
 * The rows one message produced. Not API; may change in any release.
 *
 * @param rows the rows, possibly none
 * @param filtered how many rows the mapping's filter dropped
 * @param mapping the mapping that produced them
 */
public record MappedMessage(List<Row> rows, int filtered, Mapping mapping) {
}
