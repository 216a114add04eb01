package io.github.mqtt2tdengine.spi;

import io.github.mqtt2tdengine.annotations.DoNotImplement;
import java.util.List;

/**
 * What a {@link Sink} learns about the pipeline when it is opened.
 *
 * <p>Not for implementation by host code ({@link DoNotImplement}): the engine implements it and passes it to {@link
 * Sink#open(SinkContext)}; sinks only call it. Methods may be added in a minor release.
 *
 * @since 0.1.0
 */
@DoNotImplement
public interface SinkContext {

    /**
     * Returns the pipeline's name, for logs and thread names.
     *
     * @return the name
     */
    String pipelineName();

    /**
     * Returns the super tables the pipeline's mappings write to, one per distinct super table, so the sink can
     * create or check them.
     *
     * @return an immutable list, never empty
     */
    List<TableSchema> tables();

    /**
     * Returns how many writer threads call {@link Sink#write(SinkBatch)}; with more than one, writes run
     * concurrently, each on disjoint sub-tables.
     *
     * @return the writer count, at least 1
     */
    int writerCount();
}
