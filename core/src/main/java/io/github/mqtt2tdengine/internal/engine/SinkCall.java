package io.github.mqtt2tdengine.internal.engine;

/**
 * One call of {@code Sink.write} under way, published by its writer thread for the {@link StallWatch}; one per call,
 * so per batch (and per retry), never per message. Not API.
 */
final class SinkCall {
    private static final int RUNNING = 0;
    private static final int WRITTEN = 1;
    private static final int FAILED = 2;

    final int writer;
    final long sequence;
    final int rows;
    final long startedNanos;
    /** The writer's count of committed calls when this one started: a higher count later means a commit since. */
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

    /** Writer thread, once: the call returned ({@code written}) or threw. */
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
