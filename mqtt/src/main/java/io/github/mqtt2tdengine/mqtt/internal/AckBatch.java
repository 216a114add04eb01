package io.github.mqtt2tdengine.mqtt.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the HiveMQ client's acknowledgements to its event loop in batches. The client turns every {@code acknowledge()}
 * into a task on its event loop; called from a writer thread, each one is a cross-thread hand-off that may wake the
 * loop (an atomic exchange on the loop's wake-up state, a system call when it sleeps), so a batch of 500 acknowledged
 * by a writer could wake the loop many times. Here the writer only queues the acknowledgement, and one task per batch
 * runs them all on the loop, where the client queues its own tasks without waking anything. Order is kept (first in,
 * first run); an acknowledgement that fails (the connection it came on is gone) is logged at DEBUG, as before: the
 * broker redelivers it on the persistent session. Not API.
 */
final class AckBatch implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(AckBatch.class);

    private final Executor loop;
    private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;

    /**
     * Creates a batch for one client.
     *
     * @param loop the client's event loop
     */
    AckBatch(Executor loop) {
        this.loop = loop;
    }

    /**
     * Queues an acknowledgement; the first of a batch schedules the task that runs them.
     *
     * @param acknowledge the client's acknowledgement of one message
     */
    @Override
    public void execute(Runnable acknowledge) {
        pending.offer(acknowledge);
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            try {
                loop.execute(drain);
            } catch (RejectedExecutionException e) {
                // the loop has ended (the session is closed): run them here; the client refuses each, logged below
                drain();
            }
        }
    }

    private void drain() {
        // cleared first: an acknowledgement queued after the last poll schedules the next run
        scheduled.set(false);
        Runnable acknowledge;
        while ((acknowledge = pending.poll()) != null) {
            try {
                acknowledge.run();
            } catch (RuntimeException e) {
                LOG.debug("acknowledging a message failed (the broker redelivers it): {}", e.toString());
            }
        }
    }
}
