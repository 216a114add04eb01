package io.github.mqtt2tdengine.internal.engine;

import io.github.mqtt2tdengine.spi.InboundMessage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A message whose rows are on their way to the sink: counts the rows not yet committed. Not API.
 */
final class InFlightMessage {
    final InboundMessage message;
    private final AtomicInteger pendingRows;
    private volatile String rejection;
    private final AtomicInteger rejectedRows = new AtomicInteger();
    final int totalRows;

    InFlightMessage(InboundMessage message, int rows) {
        this.message = message;
        this.pendingRows = new AtomicInteger(rows);
        this.totalRows = rows;
    }

    /**
     * Marks one row done.
     *
     * @param rejectReason why the sink rejected it, or null when committed
     * @return true when this was the message's last row
     */
    boolean rowDone(String rejectReason) {
        if (rejectReason != null) {
            rejectedRows.incrementAndGet();
            if (rejection == null) {
                rejection = rejectReason;
            }
        }
        return pendingRows.decrementAndGet() == 0;
    }

    String rejection() {
        return rejection;
    }

    int rejectedRows() {
        return rejectedRows.get();
    }
}
