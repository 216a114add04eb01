package io.github.mqtt2tdengine.internal.engine;

import io.github.mqtt2tdengine.LatencySummary;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A histogram of durations in microseconds over a sliding window, for the latency and lag figures: log-linear buckets
 * (8 per power of two, so a percentile is at most 12.5 % above the value it stands for), two slots of half the window
 * each (a snapshot covers the last half to whole window), and all-time count and sum beside. Recording is a few
 * atomic adds on arrays shared by the recording threads (writers, transport threads); no lock, no allocation. A slot is
 * cleared when it becomes current again, so a recorder that read the old slot just before may land one count in the
 * cleared one: the window figures are estimates, the all-time count and sum are exact. Public for the benchmarks
 * only; not API.
 */
public final class WindowedHistogram {
    /** Sub-buckets per power of two: 2^3. */
    private static final int SUB_BITS = 3;
    private static final int SUB = 1 << SUB_BITS;
    /** Buckets for values up to 2^63 - 1. */
    static final int BUCKETS = (63 - SUB_BITS + 1) * SUB;

    private final long slotNanos;
    private final AtomicLongArray[] slots = {new AtomicLongArray(BUCKETS), new AtomicLongArray(BUCKETS)};
    private final AtomicLong[] maxes = {new AtomicLong(), new AtomicLong()};
    /** Striped: two writers recording at once do not share these cache lines. */
    private final LongAdder count = new LongAdder();
    private final LongAdder sumMicros = new LongAdder();
    /** When epoch 0 began; epoch n covers {@code [origin + n * slotNanos, origin + (n + 1) * slotNanos)}. */
    private final long origin;
    /** The current slot's number: slot {@code epoch % 2}. Only moves forward. */
    private final AtomicLong epoch = new AtomicLong();

    /**
     * Creates a histogram.
     *
     * @param window the window a snapshot's percentiles cover (at most; at least half of it)
     * @param now the current {@link System#nanoTime()}
     */
    public WindowedHistogram(Duration window, long now) {
        this.slotNanos = Math.max(1, window.toNanos() / 2);
        this.origin = now;
    }

    /**
     * Records one value.
     *
     * @param micros the duration in microseconds; negative values count as 0
     * @param now the current {@link System#nanoTime()}, to move the window
     */
    public void record(long micros, long now) {
        long v = Math.max(0, micros);
        int slot = current(now);
        slots[slot].getAndIncrement(bucket(v));
        AtomicLong max = maxes[slot];
        if (v > max.get()) {
            max.accumulateAndGet(v, Math::max);
        }
        count.increment();
        sumMicros.add(v);
    }

    /**
     * The current slot, moving the window first when its slot is over (clearing the slot it reuses). The epoch a time
     * falls in is computed from a fixed origin, so two threads moving the window at once agree on where it goes and
     * it moves once.
     */
    private int current(long now) {
        long target = (now - origin) / slotNanos;
        while (true) {
            long e = epoch.get();
            if (target <= e) {
                return (int) (e & 1);
            }
            if (epoch.compareAndSet(e, target)) {
                // a whole window gone: both slots are stale; else only the one becoming current
                int clear = target - e >= 2 ? 2 : 1;
                for (int k = 0; k < clear; k++) {
                    int s = (int) ((target - k) & 1);
                    AtomicLongArray a = slots[s];
                    for (int i = 0; i < BUCKETS; i++) {
                        a.set(i, 0);
                    }
                    maxes[s].set(0);
                }
                return (int) (target & 1);
            }
        }
    }

    /**
     * The bucket of a value: values below 8 have their own; above, 8 buckets per power of two.
     *
     * @param v a value, at least 0
     * @return its bucket
     */
    static int bucket(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int exp = 63 - Long.numberOfLeadingZeros(v);
        int sub = (int) (v >>> (exp - SUB_BITS)) & (SUB - 1);
        return (exp - SUB_BITS + 1) * SUB + sub;
    }

    /**
     * The largest value of a bucket.
     *
     * @param bucket a bucket
     * @return the largest value that falls into it
     */
    static long upperBound(int bucket) {
        if (bucket < SUB) {
            return bucket;
        }
        int exp = bucket / SUB + SUB_BITS - 1;
        long sub = bucket % SUB;
        long lower = (1L << exp) + (sub << (exp - SUB_BITS));
        return lower + (1L << (exp - SUB_BITS)) - 1;
    }

    /**
     * Takes a snapshot.
     *
     * @param now the current {@link System#nanoTime()}
     * @return the all-time count and sum, the window's count, percentiles and maximum
     */
    public LatencySummary snapshot(long now) {
        int cur = current(now);
        long[] merged = new long[BUCKETS];
        long windowCount = 0;
        for (AtomicLongArray a : slots) {
            for (int i = 0; i < BUCKETS; i++) {
                long n = a.get(i);
                merged[i] += n;
                windowCount += n;
            }
        }
        long max = Math.max(maxes[cur].get(), maxes[cur ^ 1].get());
        return new LatencySummary(count.sum(), Duration.of(sumMicros.sum(), ChronoUnit.MICROS), windowCount,
                micros(percentile(merged, windowCount, 0.50), max), micros(percentile(merged, windowCount, 0.90), max),
                micros(percentile(merged, windowCount, 0.99), max), micros(max, max));
    }

    private static long percentile(long[] buckets, long total, double q) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < buckets.length; i++) {
            seen += buckets[i];
            if (seen >= rank) {
                return upperBound(i);
            }
        }
        return upperBound(buckets.length - 1);
    }

    /** A bucket's bound, never above the window's maximum (the bound of a one-value bucket is the value's). */
    private static Duration micros(long value, long max) {
        return Duration.of(Math.min(value, max), ChronoUnit.MICROS);
    }
}
