package io.github.mqtt2tdengine.internal.engine;

import io.github.mqtt2tdengine.spi.Transport;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flow control: counts the messages in flight (received, not yet acknowledged), pauses the transport at the bound and
 * resumes it at half, and lets {@code close()} wait for the count to drain. Not API.
 *
 * <p>Threads: transport threads call {@link #enter()}, writer threads (and transport threads, for messages without
 * rows) {@link #leave()}; the lifecycle thread {@link #startDraining()} and {@link #awaitDrained}; any thread
 * {@link #wakeDrain()} (a failure) and the readers. Pause and resume are decided under one lock, so the transport's
 * pause and resume calls alternate; the count itself is never locked.
 */
final class FlowControl {
    private static final Logger LOG = LoggerFactory.getLogger(FlowControl.class);

    private final String name;
    private final Transport transport;
    private final int maxInFlight;
    private final int resumeAt;
    private final long overBoundAt;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** The count {@link #enter()} reached for the latest message: where arrivals stopped, when they stop. */
    private volatile int atLastArrival;
    private final Object lock = new Object();
    private final Object drainMonitor = new Object();
    private volatile boolean paused;
    private volatile boolean overBound;
    /** Set by {@link #startDraining}: the transport stays paused and writers cut their batches at once. */
    private volatile boolean draining;

    FlowControl(String name, Transport transport, int maxInFlight) {
        this.name = name;
        this.transport = transport;
        this.maxInFlight = maxInFlight;
        this.resumeAt = maxInFlight / 2;
        // a transport that stops reading still delivers the socket reads under way: beyond twice the bound (and 8k
        // messages), the transport is not holding back, and the WARN says so
        this.overBoundAt = Math.max(2L * maxInFlight, maxInFlight + 8_192L);
    }

    int inFlight() {
        return inFlight.get();
    }

    /** The number in flight when the latest message arrived (acknowledgements since are not subtracted). */
    int inFlightAtLastArrival() {
        return atLastArrival;
    }

    /** Whether the transport is paused at the bound (or for the drain). */
    boolean isPaused() {
        return paused;
    }

    boolean isDraining() {
        return draining;
    }

    /**
     * Counts a message in; pauses the transport at the bound (transport thread, never blocks).
     *
     * @return the number in flight now
     */
    int enter() {
        int now = inFlight.incrementAndGet();
        atLastArrival = now;
        if (now >= maxInFlight && !paused) {
            update();
        }
        if (now > overBoundAt && !overBound) {
            overBound = true;
            LOG.warn("Pipeline '{}': {} messages in flight for a bound of {}: the transport was paused but keeps "
                    + "delivering (a transport that cannot stop reading leaves the bound to the broker); the backlog "
                    + "is now held in memory", name, now, maxInFlight);
        }
        return now;
    }

    /** Counts a message out (acknowledged); resumes the transport at half the bound, wakes a draining close. */
    void leave() {
        int n = inFlight.decrementAndGet();
        if (overBound && n <= resumeAt) {
            overBound = false;
        }
        if (paused && n <= resumeAt) {
            update();
        }
        if (draining && n == 0) {
            wakeDrain();
        }
    }

    /** Pauses the transport for good and tells the writers to cut their batches at once ({@code close()}). */
    void startDraining() {
        synchronized (lock) {
            draining = true;
            if (!paused) {
                paused = true;
                callTransport(true);
            }
        }
    }

    /**
     * Waits until nothing is in flight, the deadline passes or {@code stop} says so.
     *
     * @param deadline a {@link System#nanoTime()} deadline
     * @param stop checked on each wake-up (the pipeline failed)
     */
    void awaitDrained(long deadline, BooleanSupplier stop) {
        synchronized (drainMonitor) {
            while (inFlight.get() > 0 && !stop.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    drainMonitor.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 50)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Wakes a thread in {@link #awaitDrained} (the count reached 0, or the pipeline failed). */
    void wakeDrain() {
        synchronized (drainMonitor) {
            drainMonitor.notifyAll();
        }
    }

    private void update() {
        synchronized (lock) {
            int n = inFlight.get();
            if (!paused && n >= maxInFlight) {
                paused = true;
                LOG.debug("Pipeline '{}': {} messages in flight, pausing the transport", name, n);
                callTransport(true);
                // a leave() that counted out before paused was set saw it false and did not come here: had the count
                // meanwhile dropped to the resume point, no later leave() would resume the transport (a stall with
                // nothing in flight). Any leave() after paused was set sees it and comes here after this block
                n = inFlight.get();
            }
            if (paused && n <= resumeAt && !draining) {
                paused = false;
                LOG.debug("Pipeline '{}': {} messages in flight, resuming the transport", name, n);
                callTransport(false);
            }
        }
    }

    private void callTransport(boolean pause) {
        try {
            if (pause) {
                transport.pause();
            } else {
                transport.resume();
            }
        } catch (RuntimeException e) {
            LOG.warn("Pipeline '{}': transport {} threw", name, pause ? "pause" : "resume", e);
        }
    }
}
