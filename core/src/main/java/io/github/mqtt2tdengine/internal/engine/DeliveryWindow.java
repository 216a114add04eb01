package io.github.mqtt2tdengine.internal.engine;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's delivery window as the writers learned it: a broker that sends at most W unacknowledged messages
 * (mosquitto's {@code max_inflight_messages}, EMQX's {@code max_inflight}, an MQTT 5 receive maximum) stops when W
 * are in flight and waits for acknowledgements. When arrivals stopped at (within an eighth) the same pipeline-wide
 * in-flight count at two batches written by the idle rule, that count is taken as the window (the lower of the two);
 * a random pause in a stream rarely stops twice at the same count. It is forgotten when more than it (and an eighth)
 * are in flight once a batch written at the window is committed: no broker held back. Stalls at more messages than the
 * writers' batches hold together are not taken: such a window lets batches fill, and full batches keep acknowledgements
 * flowing (pauses of a busy publisher or broker stop there, at random counts). One per pipeline, shared by its
 * writers, since the window is the connection's. Not API.
 *
 * <p>Threads: writer threads report and read; the state changes only in the two synchronized methods (once per batch
 * written by the idle rule or at the window), and {@link #get()} is a volatile read.
 */
final class DeliveryWindow {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWindow.class);
    /** How many recent stalls a new one is compared with (several writers report the same stall, some late). */
    private static final int REMEMBERED = 4;

    private final String name;
    /** The largest stall taken: the batch size times the number of writers. */
    private final long largest;
    private volatile int window;
    private final int[] stalls = new int[REMEMBERED];
    private int next;

    DeliveryWindow(String name, int batchMaxRows, int writers) {
        this.name = name;
        this.largest = (long) batchMaxRows * writers;
    }

    /** The window learned, 0 while none. */
    int get() {
        return window;
    }

    /**
     * A writer wrote a batch by the idle rule after arrivals had stopped at this in-flight count.
     *
     * @param stalledAt the pipeline's in-flight count when the latest message arrived
     */
    synchronized void stalled(int stalledAt) {
        if (stalledAt <= 0 || stalledAt > largest) {
            return;
        }
        for (int previous : stalls) {
            if (previous > 0 && Math.abs(stalledAt - previous) <= Math.max(stalledAt, previous) / 8) {
                int w = Math.min(stalledAt, previous);
                if (w != window) {
                    LOG.debug("Pipeline '{}': learned a delivery window of {} messages (arrivals stopped at {} and {} "
                            + "in flight): batches are written once that many are in flight", name, w, previous,
                            stalledAt);
                    window = w;
                }
                break;
            }
        }
        stalls[next] = stalledAt;
        next = (next + 1) % REMEMBERED;
    }

    /**
     * A batch written at the window is committed (its messages not yet acknowledged): more than the window in flight
     * means no broker held back, and the window is forgotten.
     *
     * @param inFlight the pipeline's in-flight count now
     */
    synchronized void committedAtWindow(int inFlight) {
        int w = window;
        if (w > 0 && inFlight > w + w / 8) {
            LOG.debug("Pipeline '{}': forgets the delivery window of {}: {} messages in flight while a batch written "
                    + "at it was under way", name, w, inFlight);
            window = 0;
            Arrays.fill(stalls, 0);
        }
    }
}
