package io.github.mqtt2tdengine.internal.engine;

import io.github.mqtt2tdengine.spi.InboundMessage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A message whose rows are on their way to the sink: counts the rows not yet committed. Not API.
 */
final class InFlightMessage {
    /** Counters as fields of this object (one allocation per message, not three). */
    private static final VarHandle PENDING;
    private static final VarHandle REJECTED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PENDING = lookup.findVarHandle(InFlightMessage.class, "pendingRows", int.class);
            REJECTED = lookup.findVarHandle(InFlightMessage.class, "rejectedRows", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final InboundMessage message;
    final int totalRows;
    /** When intake took it ({@link System#nanoTime()}): the start of its commit latency and of its age in flight. */
    final long intakeNanos;
    /** Whether its rows' primary keys are the payload's own timestamps (then each committed row's lag is recorded). */
    final boolean eventTime;
    @SuppressWarnings("unused") // through PENDING
    private volatile int pendingRows;
    @SuppressWarnings("unused") // through REJECTED
    private volatile int rejectedRows;
    private volatile String rejection;

    InFlightMessage(InboundMessage message, int rows, boolean eventTime) {
        this.message = message;
        this.totalRows = rows;
        this.intakeNanos = System.nanoTime();
        this.eventTime = eventTime;
        this.pendingRows = rows;
    }

    /**
     * Marks one row done (writer threads; a message's rows may be on several).
     *
     * @param rejectReason why the sink rejected it, or null when committed
     * @return true when this was the message's last row
     */
    boolean rowDone(String rejectReason) {
        if (rejectReason != null) {
            REJECTED.getAndAdd(this, 1);
            if (rejection == null) {
                rejection = rejectReason;
            }
        }
        return (int) PENDING.getAndAdd(this, -1) == 1;
    }

    String rejection() {
        return rejection;
    }

    int rejectedRows() {
        return rejectedRows;
    }
}
