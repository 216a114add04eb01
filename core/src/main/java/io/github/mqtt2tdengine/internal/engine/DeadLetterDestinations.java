package io.github.mqtt2tdengine.internal.engine;

import io.github.mqtt2tdengine.DeadLetter;
import io.github.mqtt2tdengine.DeadLetterDestinationMetrics;
import io.github.mqtt2tdengine.DeadLetterHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's dead-letter destinations, each with its counters. Writers store their dead letters through
 * {@link Destination#store}; metrics read the counters. Not API.
 *
 * <p>Threads: {@link Destination#store} on writer threads (concurrently with several writers); {@link #close()} on
 * the lifecycle thread after the writers ended; the counters from any thread.
 */
final class DeadLetterDestinations {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDestinations.class);

    private final String name;
    private final List<Destination> destinations;

    DeadLetterDestinations(String name, List<DeadLetterHandler> handlers) {
        this.name = name;
        Map<String, Integer> seen = new HashMap<>();
        List<Destination> list = new ArrayList<>(handlers.size());
        for (DeadLetterHandler h : handlers) {
            String base = h.destination();
            int n = seen.merge(base, 1, Integer::sum);
            list.add(new Destination(n == 1 ? base : base + "-" + n, h));
        }
        this.destinations = List.copyOf(list);
    }

    List<Destination> all() {
        return destinations;
    }

    /** Whether only {@link DeadLetterHandler#logging()} receives dead letters (nothing is kept). */
    boolean onlyLogging() {
        return destinations.size() == 1 && destinations.get(0).handler == DeadLetterHandler.logging();
    }

    /** Dead letters were taken into a writer's batch: pending at every destination. */
    void pending(int n) {
        for (Destination d : destinations) {
            d.pending.addAndGet(n);
        }
    }

    Map<String, DeadLetterDestinationMetrics> snapshot() {
        Map<String, DeadLetterDestinationMetrics> m = new LinkedHashMap<>();
        for (Destination d : destinations) {
            m.put(d.name, new DeadLetterDestinationMetrics(d.stored.sum(), d.failures.sum(),
                    Math.max(0, d.pending.get()), d.failing, d.lastError));
        }
        return m;
    }

    /** Lifecycle thread, once, after the writers ended. */
    void close() {
        for (Destination d : destinations) {
            try {
                d.handler.close();
            } catch (RuntimeException e) {
                LOG.warn("Pipeline '{}': dead-letter destination '{}' threw on close", name, d.name, e);
            }
        }
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        for (Destination d : destinations) {
            names.add(d.name + "=" + d.handler);
        }
        return names.toString();
    }

    /** One destination and its counters. */
    static final class Destination {
        final String name;
        final DeadLetterHandler handler;
        final LongAdder stored = new LongAdder();
        final LongAdder failures = new LongAdder();
        final AtomicLong pending = new AtomicLong();
        private volatile boolean failing;
        private volatile String lastError;

        Destination(String name, DeadLetterHandler handler) {
            this.name = name;
            this.handler = handler;
        }

        /**
         * Writer thread: one attempt to store the dead letters here.
         *
         * @return null when stored, else the failure
         */
        RuntimeException store(List<DeadLetter> batch) {
            try {
                handler.handleAll(batch);
            } catch (RuntimeException e) {
                failures.increment();
                failing = true;
                lastError = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
                return e;
            }
            stored.add(batch.size());
            pending.addAndGet(-batch.size());
            failing = false;
            return null;
        }
    }
}
