package io.github.mqtt2tdengine.internal.engine;

import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.spi.Sink;
import io.github.mqtt2tdengine.spi.SinkContext;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The writers and their threads {@code mqtt2td-<name>-writer-<i>}: writer 0's thread opens the sink before it writes,
 * the others start once the sink is open. Not API.
 *
 * <p>Threads: {@link #open}, {@link #startOthers}, {@link #join} and {@link #interrupt} are called by the lifecycle
 * thread only; {@link #precision()} and {@link #oldestIntakeNanos(long)} by any thread. It never tells a writer to
 * stop: writers end on their own, reading the phase.
 */
final class WriterPool {
    private final Writer[] writers;
    private final Thread[] threads;
    private final EngineThreads engineThreads;
    private final Sink sink;
    /** The sink's precision once writer 0 opened it; completed once, by writer 0's thread. */
    private final CompletableFuture<TimePrecision> opened = new CompletableFuture<>();

    WriterPool(Writer[] writers, EngineThreads engineThreads, Sink sink) {
        this.writers = writers;
        this.threads = new Thread[writers.length];
        this.engineThreads = engineThreads;
        this.sink = sink;
    }

    Writer[] writers() {
        return writers;
    }

    /**
     * Lifecycle thread: starts writer 0, which opens the sink and then runs its loop.
     *
     * @param context what the sink learns
     * @return the sink's precision, or the exception its open threw
     */
    CompletableFuture<TimePrecision> open(SinkContext context) {
        start(0, () -> {
            try {
                sink.open(context);
                opened.complete(Objects.requireNonNull(sink.precision(), "sink precision must not be null"));
            } catch (RuntimeException e) {
                opened.completeExceptionally(e);
                return;
            }
            writers[0].run();
        });
        return opened;
    }

    /** Lifecycle thread, once the sink is open: starts the other writers. */
    void startOthers() {
        for (int i = 1; i < writers.length; i++) {
            start(i, writers[i]);
        }
    }

    private void start(int i, Runnable body) {
        Thread t = engineThreads.newThread("writer-" + i, false, body);
        threads[i] = t;
        t.start();
    }

    /** Any thread: the unit of the rows' timestamps once the sink is open, milliseconds before. */
    TimePrecision precision() {
        return opened.isDone() && !opened.isCompletedExceptionally() ? opened.join() : TimePrecision.MILLISECONDS;
    }

    /**
     * Any thread: when intake took the oldest message a writer holds.
     *
     * @param now the current {@link System#nanoTime()}, returned when none holds any
     * @return a {@link System#nanoTime()} value
     */
    long oldestIntakeNanos(long now) {
        long oldest = now;
        for (Writer w : writers) {
            oldest = Math.min(oldest, w.oldestIntakeNanos(now));
        }
        return oldest;
    }

    /**
     * Lifecycle thread: waits for the started writers to end.
     *
     * @param deadline a {@link System#nanoTime()} deadline
     * @return true when all have ended
     */
    boolean join(long deadline) {
        for (Thread t : threads) {
            if (t == null) {
                continue;
            }
            long left = deadline - System.nanoTime();
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /** Lifecycle thread: interrupts the writers (a close that gave up, or a failure, and a sink call that blocks). */
    void interrupt() {
        for (Thread t : threads) {
            if (t != null) {
                t.interrupt();
            }
        }
    }
}
