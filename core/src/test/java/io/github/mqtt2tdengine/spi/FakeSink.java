package io.github.mqtt2tdengine.spi;

import io.github.mqtt2tdengine.errors.RetriableSinkException;
import io.github.mqtt2tdengine.payload.TimePrecision;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A sink for engine tests: records committed batches and fails, rejects or blocks on demand.
 */
public final class FakeSink implements Sink {
    private final List<List<Row>> committed = new CopyOnWriteArrayList<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger retriableFailures = new AtomicInteger();
    private final AtomicInteger closes = new AtomicInteger();
    private volatile RuntimeException nextFatal;
    private volatile RuntimeException openFailure;
    private volatile Predicate<Row> reject;
    private volatile String rejectReason;
    private volatile boolean failAlwaysRetriable;
    private volatile Semaphore gate;
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    private volatile TimePrecision precision = TimePrecision.MILLISECONDS;
    private volatile SinkContext context;
    private volatile Thread writerThread;
    private volatile boolean swallowInterrupts;
    private volatile Consumer<List<Row>> onCommit;

    public FakeSink precision(TimePrecision p) {
        this.precision = p;
        return this;
    }

    /** The next n writes throw RetriableSinkException. */
    public FakeSink failRetriable(int n) {
        retriableFailures.set(n);
        return this;
    }

    /** Every write throws RetriableSinkException until {@link #recover()}. */
    public FakeSink failRetriableUntilRecovered() {
        failAlwaysRetriable = true;
        return this;
    }

    public FakeSink recover() {
        failAlwaysRetriable = false;
        return this;
    }

    /** The next write throws this (non-retriable) exception. */
    public FakeSink failFatal(RuntimeException e) {
        nextFatal = e;
        return this;
    }

    public FakeSink failOnOpen(RuntimeException e) {
        openFailure = e;
        return this;
    }

    /** Rows matching the predicate are rejected with the reason, as a database data error would be. */
    public FakeSink reject(Predicate<Row> rows, String reason) {
        this.reject = rows;
        this.rejectReason = reason;
        return this;
    }

    /** Writes wait for {@link #release(int)} permits, one per write. */
    public FakeSink block() {
        gate = new Semaphore(0);
        return this;
    }

    /** An interrupted blocked write throws RetriableSinkException without restoring the interrupt, as some drivers do. */
    public FakeSink swallowInterrupts() {
        swallowInterrupts = true;
        return this;
    }

    /** Calls this with a batch's committed rows on the writer thread, before write() returns (the commit). */
    public FakeSink onCommit(Consumer<List<Row>> hook) {
        this.onCommit = hook;
        return this;
    }

    public void release(int writes) {
        gate.release(writes);
    }

    public void unblock() {
        Semaphore g = gate;
        gate = null;
        if (g != null) {
            g.release(Integer.MAX_VALUE / 2);
        }
    }

    public boolean awaitFirstAttempt(long seconds) throws InterruptedException {
        return firstAttempt.await(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void open(SinkContext context) {
        this.context = context;
        if (openFailure != null) {
            throw openFailure;
        }
    }

    @Override
    public TimePrecision precision() {
        return precision;
    }

    @Override
    public void write(SinkBatch batch) {
        writerThread = Thread.currentThread();
        attempts.incrementAndGet();
        firstAttempt.countDown();
        Semaphore g = gate;
        if (g != null) {
            try {
                g.acquire();
            } catch (InterruptedException e) {
                if (!swallowInterrupts) {
                    Thread.currentThread().interrupt();
                }
                throw new RetriableSinkException("interrupted");
            }
        }
        RuntimeException fatal = nextFatal;
        if (fatal != null) {
            nextFatal = null;
            throw fatal;
        }
        if (failAlwaysRetriable || retriableFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new RetriableSinkException("fake outage");
        }
        Predicate<Row> r = reject;
        if (r != null) {
            for (int i = 0; i < batch.rows().size(); i++) {
                if (r.test(batch.rows().get(i))) {
                    batch.reject(i, rejectReason);
                }
            }
        }
        List<Row> kept = new ArrayList<>();
        for (int i = 0; i < batch.rows().size(); i++) {
            Row row = batch.rows().get(i);
            if (r == null || !r.test(row)) {
                kept.add(row);
            }
        }
        Consumer<List<Row>> hook = onCommit;
        if (hook != null) {
            hook.accept(kept);
        }
        committed.add(kept);
    }

    public List<List<Row>> batches() {
        return committed;
    }

    public List<Row> rows() {
        List<Row> all = new ArrayList<>();
        committed.forEach(all::addAll);
        return all;
    }

    public int attempts() {
        return attempts.get();
    }

    public int closes() {
        return closes.get();
    }

    public SinkContext context() {
        return context;
    }

    public Thread writerThread() {
        return writerThread;
    }

    @Override
    public void close() {
        closes.incrementAndGet();
    }

    @Override
    public String toString() {
        return "FakeSink";
    }
}
