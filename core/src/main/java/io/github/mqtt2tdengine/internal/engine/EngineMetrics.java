package io.github.mqtt2tdengine.internal.engine;

import io.github.mqtt2tdengine.DeadLetterReason;
import io.github.mqtt2tdengine.PipelineMetrics;
import io.github.mqtt2tdengine.PipelineState;
import io.github.mqtt2tdengine.spi.ConnectionState;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine's live counters. Not API.
 */
final class EngineMetrics {
    final LongAdder received = new LongAdder();
    final LongAdder rowsMapped = new LongAdder();
    final LongAdder rowsFiltered = new LongAdder();
    final LongAdder rowsWritten = new LongAdder();
    final LongAdder batches = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder stalledWrites = new LongAdder();
    final LongAdder acked = new LongAdder();
    final LongAdder collisions = new LongAdder();
    final LongAdder ignoredWhileClosing = new LongAdder();
    final AtomicLong peakInFlight = new AtomicLong();
    final LongAdder droppedByTransport = new LongAdder();
    volatile ConnectionState connectionState = ConnectionState.DISCONNECTED;
    private final Map<DeadLetterReason, LongAdder> deadLetters = new EnumMap<>(DeadLetterReason.class);
    volatile String lastError;

    EngineMetrics() {
        for (DeadLetterReason r : DeadLetterReason.values()) {
            deadLetters.put(r, new LongAdder());
        }
    }

    void deadLetter(DeadLetterReason reason) {
        deadLetters.get(reason).increment();
    }

    void inFlight(long now) {
        long peak = peakInFlight.get();
        while (now > peak && !peakInFlight.compareAndSet(peak, now)) {
            peak = peakInFlight.get();
        }
    }

    PipelineMetrics snapshot(PipelineState state, long inFlight, long writeStalledMillis,
            Map<String, Long> fieldsNotFound) {
        Map<DeadLetterReason, Long> byReason = new EnumMap<>(DeadLetterReason.class);
        long total = 0;
        for (Map.Entry<DeadLetterReason, LongAdder> e : deadLetters.entrySet()) {
            long n = e.getValue().sum();
            if (n > 0) {
                byReason.put(e.getKey(), n);
                total += n;
            }
        }
        return new PipelineMetrics(state, received.sum(), rowsMapped.sum(), rowsFiltered.sum(), rowsWritten.sum(),
                batches.sum(), retries.sum(), stalledWrites.sum(), writeStalledMillis, total, byReason, acked.sum(),
                inFlight, peakInFlight.get(), collisions.sum(), ignoredWhileClosing.sum(), droppedByTransport.sum(),
                connectionState, lastError, fieldsNotFound);
    }
}
