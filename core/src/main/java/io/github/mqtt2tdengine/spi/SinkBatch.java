package io.github.mqtt2tdengine.spi;

import io.github.mqtt2tdengine.annotations.DoNotImplement;
import java.util.List;

/**
 * Rows handed to {@link Sink#write(SinkBatch)} in one call. Rows of one sub-table appear in receive order.
 *
 * <p>Not for implementation by host code ({@link DoNotImplement}): the engine implements it and passes it to {@link
 * Sink#write(SinkBatch)}; sinks only call it. Methods may be added in a minor release.
 *
 * @since 0.1.0
 */
@DoNotImplement
public interface SinkBatch {

    /**
     * Returns a number identifying this batch in logs; a retried batch keeps its number.
     *
     * @return the sequence number, starting at 1 per writer
     */
    long sequence();

    /**
     * Returns the rows.
     *
     * @return an immutable list, never empty
     */
    List<Row> rows();

    /**
     * Marks one row as rejected by the database for a data error (value out of range, invalid name) that no retry
     * can fix. When {@code write} then returns normally, the other rows count as committed and the messages of the
     * rejected rows are dead-lettered with this reason. Call it on the writer thread, during {@code write}.
     *
     * @param index the row's position in {@link #rows()}
     * @param reason one sentence, for example the database's error code and message
     * @throws IndexOutOfBoundsException if index is not a row's position
     */
    void reject(int index, String reason);
}
