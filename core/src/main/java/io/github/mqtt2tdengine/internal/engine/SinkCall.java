package io.github.mqtt2tdengine.internal.engine;

/**
 * One batch under way in the sink, published by its writer thread for the {@link StallWatch}: from its first call of
 * {@code Sink.write}, through every retry and back-off, until it is written or given up; one per batch, never per
 * message. Not API.
 */
final class SinkCall {
    private static final int RUNNING = 0;
    private static final int WRITTEN = 1;
    private static final int FAILED = 2;

    final int writer;
    final long sequence;
    final int rows;
    final long startedNanos;
    /** The writer's count of committed batches when this one started: a higher count later means a commit since. */
    final long writtenBefore;
    private long endedNanos;
    private volatile int outcome = RUNNING;

    SinkCall(int writer, long sequence, int rows, long startedNanos, long writtenBefore) {
        this.writer = writer;
        this.sequence = sequence;
        this.rows = rows;
        this.startedNanos = startedNanos;
        this.writtenBefore = writtenBefore;
    }

    /** Writer thread, once: the batch was written ({@code written}) or given up. */
    void end(boolean written, long now) {
        endedNanos = now;
        outcome = written ? WRITTEN : FAILED;
    }

    boolean ended() {
        return outcome != RUNNING;
    }

    /** Valid once {@link #ended()}. */
    boolean written() {
        return outcome == WRITTEN;
    }

    /** Valid once {@link #ended()}. */
    long endedNanos() {
        return endedNanos;
    }
}
