package io.github.mqtt2tdengine.internal.engine;

import io.github.mqtt2tdengine.PipelineListener;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports batches that the sink has not written within the stall threshold of their first attempt, from its own
 * thread {@code mqtt2td-<name>-watch}: a writer blocked inside the sink cannot report itself, and one whose retries
 * keep failing at once (a refused connection) is stalled as much. Not API.
 *
 * <p>The watch sleeps while nothing is written. A writer arms it when a call starts and it is idle (per call one
 * volatile read; a compare-and-set and a schedule only when idle; nothing per message). Armed, it wakes at the earliest
 * deadline of the calls under way, then once per poll interval while a reported call or a stall is open, and disarms
 * when no call is under way. Its thread is created at the first write and ended by {@link #close()}.
 *
 * <p>Threads: writers call {@link #callStarted()}; any thread {@link #longestStallMillis()}; the lifecycle thread
 * {@link #close()}. Stall state lives on the watch thread alone (and on the lifecycle thread in {@link #close()} once
 * the watch thread has ended), so the WARN, the INFO and the listener calls come in order: WARN per stalled batch, INFO when that batch is
 * written or given up, {@link PipelineListener#onSinkStalled(Duration)} when the first writer stalls and
 * {@link PipelineListener#onSinkRecovered(Duration)} when the last stalled writer commits again.
 */
final class StallWatch {
    private static final Logger LOG = LoggerFactory.getLogger(StallWatch.class);
    private static final long MAX_POLL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String name;
    private final Writer[] writers;
    private final long thresholdNanos;
    private final long pollNanos;
    private final EngineMetrics metrics;
    private final Consumer<Consumer<PipelineListener>> listeners;
    private final ScheduledThreadPoolExecutor executor;
    private final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    // watch thread only
    private final SinkCall[] reported;
    private final boolean[] stalled;
    private final long[] writtenBeforeStall;
    private int stalledWriters;
    private long stallStartedNanos;

    StallWatch(String name, Writer[] writers, Duration threshold, EngineMetrics metrics,
            Consumer<Consumer<PipelineListener>> listeners, EngineThreads threads) {
        this.name = name;
        this.writers = writers;
        this.thresholdNanos = threshold.toNanos();
        this.pollNanos = Math.min(thresholdNanos, MAX_POLL_NANOS);
        this.metrics = metrics;
        this.listeners = listeners;
        this.reported = new SinkCall[writers.length];
        this.stalled = new boolean[writers.length];
        this.writtenBeforeStall = new long[writers.length];
        this.executor = new ScheduledThreadPoolExecutor(1, threads.factory("watch", true));
    }

    /** Writer thread, after it published its call: arms the watch when it is idle. */
    void callStarted() {
        if (!armed.get() && armed.compareAndSet(false, true)) {
            schedule(thresholdNanos);
        }
    }

    /**
     * Any thread: how long the longest call under way has been running, once past the threshold.
     *
     * @return milliseconds, 0 when no call is under way or all are shorter than the threshold
     */
    long longestStallMillis() {
        long now = System.nanoTime();
        long longest = 0;
        for (Writer w : writers) {
            SinkCall c = w.call();
            if (c != null && !c.ended()) {
                long running = now - c.startedNanos;
                if (running >= thresholdNanos) {
                    longest = Math.max(longest, running);
                }
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(longest);
    }

    /**
     * Lifecycle thread: ends the watch thread, then reports what ended since its last look (a stalled batch written
     * while draining).
     */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        executor.shutdownNow();
        try {
            if (executor.awaitTermination(1, TimeUnit.SECONDS)) {
                check(false);
            } else {
                LOG.warn("Pipeline '{}': the stall watch thread did not end within 1 s (a listener blocks?)", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void schedule(long delayNanos) {
        try {
            executor.schedule(this::tick, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.trace("Pipeline '{}': stall watch closed, nothing scheduled", name);
        }
    }

    private void tick() {
        try {
            check(true);
        } catch (RuntimeException e) {
            armed.set(false);
            LOG.warn("Pipeline '{}': the stall watch failed; it looks again at the next write", name, e);
        }
    }

    private void check(boolean reschedule) {
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        for (int i = 0; i < writers.length; i++) {
            Writer w = writers[i];
            SinkCall r = reported[i];
            if (r != null && r.ended()) {
                reported[i] = null;
                callEnded(r);
            }
            SinkCall c = w.call();
            if (c != null && c != reported[i] && !c.ended()) {
                long left = c.startedNanos + thresholdNanos - now;
                if (left <= 0) {
                    reported[i] = c;
                    callStalled(c, now);
                } else {
                    next = Math.min(next, left);
                }
            }
            if (stalled[i] && w.writtenCalls() > writtenBeforeStall[i]) {
                // the writer committed a batch since the stall began (its end was not seen by this watch)
                recovered(i, w.lastWrittenNanos());
            }
            if (reported[i] != null || stalled[i]) {
                next = Math.min(next, pollNanos);
            }
        }
        if (!reschedule) {
            return;
        }
        if (next == Long.MAX_VALUE) {
            armed.set(false);
            // a writer that started a call after the loop above saw the watch armed and did not arm it: look again
            if (!callUnderWay() || !armed.compareAndSet(false, true)) {
                return;
            }
            next = 0;
        }
        schedule(next);
    }

    private boolean callUnderWay() {
        for (Writer w : writers) {
            SinkCall c = w.call();
            if (c != null && !c.ended()) {
                return true;
            }
        }
        return false;
    }

    private void callStalled(SinkCall c, long now) {
        metrics.stalledWrites.increment();
        long running = now - c.startedNanos;
        LOG.warn("Pipeline '{}': the sink has been writing {} ({}) for {}; the database may be unreachable or slow "
                + "(rows wait, nothing is acknowledged)", name, batch(c), rows(c.rows), seconds(running));
        int i = c.writer;
        if (stalled[i]) {
            return;
        }
        stalled[i] = true;
        writtenBeforeStall[i] = c.writtenBefore;
        if (stalledWriters++ == 0) {
            stallStartedNanos = c.startedNanos;
            Duration elapsed = Duration.ofNanos(running);
            listeners.accept(l -> l.onSinkStalled(elapsed));
        }
    }

    private void callEnded(SinkCall c) {
        String took = seconds(c.endedNanos() - c.startedNanos);
        if (c.written()) {
            LOG.info("Pipeline '{}': {} written after {}", name, batch(c), took);
            recovered(c.writer, c.endedNanos());
        } else {
            LOG.info("Pipeline '{}': the write of {} failed after {}", name, batch(c), took);
        }
    }

    private void recovered(int i, long committedNanos) {
        if (!stalled[i]) {
            return;
        }
        stalled[i] = false;
        if (--stalledWriters == 0) {
            Duration stalledFor = Duration.ofNanos(Math.max(0, committedNanos - stallStartedNanos));
            listeners.accept(l -> l.onSinkRecovered(stalledFor));
        }
    }

    private String batch(SinkCall c) {
        return writers.length == 1 ? "batch " + c.sequence : "batch " + c.sequence + " of writer " + c.writer;
    }

    private static String rows(int n) {
        return n == 1 ? "1 row" : n + " rows";
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
