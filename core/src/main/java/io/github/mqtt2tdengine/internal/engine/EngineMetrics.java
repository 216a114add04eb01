package io.github.mqtt2tdengine.internal.engine;

import io.github.mqtt2tdengine.DeadLetterDestinationMetrics;
import io.github.mqtt2tdengine.PipelineMetrics;
import io.github.mqtt2tdengine.PipelineState;
import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.internal.payload.Mapping;
import io.github.mqtt2tdengine.spi.ConnectionState;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine's live counters. Any thread: the counters are adders and atomics, the two values are volatile and set
 * only through this class's methods. Not API.
 */
final class EngineMetrics {
    /** The window of the latency and lag percentiles (a snapshot covers its last half to all of it). */
    static final Duration WINDOW = Duration.ofMinutes(1);

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
    /** Batches written, per {@link FlushReason} (by ordinal); read by tests and by nothing public yet. */
    final LongAdder[] flushes = new LongAdder[FlushReason.values().length];
    private volatile ConnectionState connectionState = ConnectionState.DISCONNECTED;
    private final Map<DeadLetterReason, LongAdder> deadLetters = new EnumMap<>(DeadLetterReason.class);
    private volatile String lastError;
    final LongAdder reconnects = new LongAdder();
    final LongAdder redelivered = new LongAdder();
    final LongAdder sessionsLost = new LongAdder();
    /** Receipt to acknowledgement of each message whose rows were all committed, in microseconds. */
    final WindowedHistogram commitLatency;
    /** Commit time minus the row's own timestamp, for rows whose primary key comes from the payload. */
    final WindowedHistogram dataLag;
    private final List<Mapping> routes;
    private final LongAdder[] routed;

    EngineMetrics(List<Mapping> routes) {
        for (DeadLetterReason r : DeadLetterReason.values()) {
            deadLetters.put(r, new LongAdder());
        }
        for (int i = 0; i < flushes.length; i++) {
            flushes[i] = new LongAdder();
        }
        long now = System.nanoTime();
        this.commitLatency = new WindowedHistogram(WINDOW, now);
        this.dataLag = new WindowedHistogram(WINDOW, now);
        this.routes = List.copyOf(routes);
        this.routed = new LongAdder[routes.size()];
        for (int i = 0; i < routed.length; i++) {
            routed[i] = new LongAdder();
        }
    }

    /** Counts a message its route mapped (routes are few: a scan by identity). */
    void routed(Mapping mapping) {
        for (int i = 0; i < routed.length; i++) {
            if (routes.get(i) == mapping) {
                routed[i].increment();
                return;
            }
        }
    }

    /** Any thread: the last error's message (never a secret: messages name settings, not their values). */
    void lastError(String message) {
        lastError = message;
    }

    /** Transport thread: the connection's state; a move into RECONNECTING counts a reconnect. */
    void connectionChanged(ConnectionState state) {
        if (state == ConnectionState.RECONNECTING && connectionState != ConnectionState.RECONNECTING) {
            reconnects.increment();
        }
        connectionState = state;
    }

    void deadLetter(DeadLetterReason reason) {
        deadLetters.get(reason).increment();
    }

    /** Batches written for this reason so far. */
    long flushes(FlushReason reason) {
        return flushes[reason.ordinal()].sum();
    }

    void inFlight(long now) {
        long peak = peakInFlight.get();
        while (now > peak && !peakInFlight.compareAndSet(peak, now)) {
            peak = peakInFlight.get();
        }
    }

    PipelineMetrics snapshot(PipelineState state, long inFlight, long writeStalledMillis,
            Map<String, Long> fieldsNotFound, boolean paused, Duration oldestUnacked,
            Map<String, DeadLetterDestinationMetrics> deadLetterDestinations) {
        Map<String, Long> byRoute = new LinkedHashMap<>();
        for (int i = 0; i < routed.length; i++) {
            byRoute.merge(routes.get(i).topicFilter(), routed[i].sum(), Long::sum);
        }
        long now = System.nanoTime();
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
                connectionState, lastError, fieldsNotFound, commitLatency.snapshot(now), dataLag.snapshot(now),
                oldestUnacked, reconnects.sum(), paused, byRoute, redelivered.sum(), sessionsLost.sum(),
                deadLetterDestinations);
    }
}
