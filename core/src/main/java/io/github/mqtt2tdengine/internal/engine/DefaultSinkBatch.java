package io.github.mqtt2tdengine.internal.engine;

import io.github.mqtt2tdengine.spi.Row;
import io.github.mqtt2tdengine.spi.SinkBatch;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A batch handed to the sink, recording the rows it rejects. Not API.
 */
final class DefaultSinkBatch implements SinkBatch {
    private final long sequence;
    private final List<Row> rows;
    private String[] rejections;
    private int rejectedCount;

    DefaultSinkBatch(long sequence, List<Row> rows) {
        this.sequence = sequence;
        this.rows = Collections.unmodifiableList(rows);
    }

    @Override
    public long sequence() {
        return sequence;
    }

    @Override
    public List<Row> rows() {
        return rows;
    }

    @Override
    public void reject(int index, String reason) {
        Objects.checkIndex(index, rows.size());
        Objects.requireNonNull(reason, "reason must not be null");
        if (rejections == null) {
            rejections = new String[rows.size()];
        }
        if (rejections[index] == null) {
            rejectedCount++;
        }
        rejections[index] = reason;
    }

    String rejection(int index) {
        return rejections == null ? null : rejections[index];
    }

    int rejectedCount() {
        return rejectedCount;
    }

    void clearRejections() {
        rejections = null;
        rejectedCount = 0;
    }

    @Override
    public String toString() {
        return "SinkBatch{sequence=" + sequence + ", rows=" + rows.size() + '}';
    }
}
