package io.github.mqtt2tdengine.spi;

import io.github.mqtt2tdengine.errors.SinkException;
import io.github.mqtt2tdengine.payload.TimePrecision;

/**
 * Destination of rows: writes batches durably, for example to TDengine over JDBC.
 *
 * <p>Lifecycle, in order:
 * <ol>
 *   <li>{@link #open(SinkContext)} once, on writer thread {@code mqtt2td-<name>-writer-0}, before messages flow;
 *       {@code SyncPipeline.start()} waits for it and fails if it throws.</li>
 *   <li>{@link #precision()} once, on the same thread, right after {@code open}.</li>
 *   <li>{@link #write(SinkBatch)} any number of times, on writer threads {@code mqtt2td-<name>-writer-N}; with
 *       several writers, concurrently, each writer's rows on disjoint sub-tables. May block.</li>
 *   <li>{@link #close()} once, after the last write, on the thread closing the pipeline or the last writer.</li>
 * </ol>
 *
 * <p>At-least-once contract:
 * <ol>
 *   <li>When {@code write} returns normally, the batch is committed; only then does the engine acknowledge each
 *       message whose rows are all committed. Rows marked with {@link SinkBatch#reject} are dead-lettered instead.</li>
 *   <li>On {@link io.github.mqtt2tdengine.errors.RetriableSinkException} the engine retries the same batch with capped
 *       exponential backoff and acknowledges nothing meanwhile.</li>
 *   <li>Any other exception fails the pipeline; nothing more is acknowledged, so the broker redelivers.</li>
 *   <li>A crash or a retry after a partial write can deliver the same rows twice, so sinks must tolerate duplicates.
 *       TDengine keeps one row per (sub-table, timestamp), so replays of rows with payload timestamps are
 * harmless.</li>
 * </ol>
 *
 * @since 0.1.0
 */
public interface Sink extends AutoCloseable {

    /**
     * Connects and prepares (creates or checks super tables) before the first write. The default does nothing.
     *
     * @param context the pipeline's name, tables and writer count
     * @throws SinkException if the destination cannot be used; a {@link io.github.mqtt2tdengine.errors.RetriableSinkException}
     *     too fails {@code start()}
     */
    default void open(SinkContext context) throws SinkException {
    }

    /**
     * Returns the precision timestamps must have in rows handed to this sink (the database precision).
     * Called once after {@link #open(SinkContext)}. The default is milliseconds.
     *
     * @return the precision
     */
    default TimePrecision precision() {
        return TimePrecision.MILLISECONDS;
    }

    /**
     * Writes a batch durably; returning normally commits it.
     *
     * @param batch the rows; rows that the destination rejects for a data error are marked with
     *     {@link SinkBatch#reject(int, String)}
     * @throws io.github.mqtt2tdengine.errors.RetriableSinkException if a retry may succeed (connection lost, timeout, busy)
     * @throws SinkException if the pipeline must stop
     */
    void write(SinkBatch batch) throws SinkException;

    /**
     * Releases connections. Called once; must not throw.
     */
    @Override
    void close();
}
