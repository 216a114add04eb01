package io.github.mqtt2tdengine.internal.payload;

import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts, per value source, the messages (or split elements) in which a JSONPath matched nothing, and says so once at
 * WARN after {@value #WARN_AFTER} misses in a row. Thread-safe: transport threads map messages concurrently and
 * {@code SyncPipeline.preview} maps on the caller's thread. Not API; may change in any release.
 */
public final class MissedPaths {
    /** Consecutive misses of one path before the one WARN that says so: {@value}. */
    public static final int WARN_AFTER = 100;
    private static final Logger LOG = LoggerFactory.getLogger(MissedPaths.class);

    private final String pipelineName;
    private final String[] names;
    private final String[] wheres;
    private final LongAdder[] total;
    /** Misses since the last hit, per slot; a hit resets it. */
    private final AtomicIntegerArray inARow;
    /** 1 once the slot's WARN was logged. */
    private final AtomicIntegerArray warned;

    /**
     * Creates counters for slots {@code 0..names.length-1}.
     *
     * @param pipelineName for the WARN
     * @param names the field name of each slot (the key of {@link #addTo})
     * @param wheres how the WARN names each slot's source, e.g. {@code field 'x' (JSONPath '$.x')}
     */
    public MissedPaths(String pipelineName, String[] names, String[] wheres) {
        if (names.length != wheres.length) {
            throw new IllegalArgumentException("names and wheres differ in length: " + names.length + " vs "
                    + wheres.length);
        }
        this.pipelineName = pipelineName;
        this.names = names.clone();
        this.wheres = wheres.clone();
        this.total = new LongAdder[names.length];
        for (int i = 0; i < total.length; i++) {
            total[i] = new LongAdder();
        }
        this.inARow = new AtomicIntegerArray(names.length);
        this.warned = new AtomicIntegerArray(names.length);
    }

    /**
     * Records that the slot's path matched something, which ends a run of misses. Any thread; never blocks.
     *
     * @param slot the source's slot
     */
    public void found(int slot) {
        if (inARow.getOpaque(slot) != 0) { // the common case reads, never writes
            inARow.set(slot, 0);
        }
    }

    /**
     * Records that the slot's path matched nothing; the {@value #WARN_AFTER}th miss in a row logs the one WARN.
     * Any thread; never blocks.
     *
     * @param slot the source's slot
     */
    public void missed(int slot) {
        total[slot].increment();
        if (inARow.incrementAndGet(slot) == WARN_AFTER && warned.compareAndSet(slot, 0, 1)) {
            LOG.warn("Pipeline '{}': {} matched nothing in the last {} messages, so every value is NULL; check the "
                    + "path against a real payload with SyncPipeline.preview(topic, payload)", pipelineName,
                    wheres[slot], WARN_AFTER);
        }
    }

    /**
     * Returns how many misses the slot has had.
     *
     * @param slot the slot
     * @return the count
     */
    public long count(int slot) {
        return total[slot].sum();
    }

    /**
     * Adds, per field name, the misses counted so far.
     *
     * @param into counts by field name; fields with a count of zero are left out
     */
    public void addTo(Map<String, Long> into) {
        for (int i = 0; i < names.length; i++) {
            long n = total[i].sum();
            if (n > 0) {
                into.merge(names[i], n, Long::sum);
            }
        }
    }
}
