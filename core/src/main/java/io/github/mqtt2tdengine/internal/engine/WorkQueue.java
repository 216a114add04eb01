package io.github.mqtt2tdengine.internal.engine;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A writer's queue: transport threads add, the writer takes. Adding takes no lock and wakes the writer only when it
 * waits for that many items (the rest of its batch, or the first item of a new one): under load the writer wakes once
 * per batch, not once per message, and a transport thread does not pay a wake-up (a system call) per message. The
 * time of the last addition is kept, so the writer's idle rule ({@code batchIdle}) is exact without being woken.
 * Not API.
 */
final class WorkQueue {
    private final ConcurrentLinkedQueue<WorkItem> items = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    /** The writer while it waits in {@link #poll(long, int)}, else null. */
    private volatile Thread waiting;
    /** How many queued items end the writer's wait. */
    private volatile int wakeAt = 1;
    private volatile long lastAddNanos = System.nanoTime();

    /**
     * Adds an item; any thread, never blocks.
     *
     * @param item the item
     */
    void add(WorkItem item) {
        items.add(item);
        lastAddNanos = System.nanoTime();
        int n = size.incrementAndGet();
        Thread w = waiting;
        if (w != null && n >= wakeAt) {
            LockSupport.unpark(w);
        }
    }

    /**
     * Takes an item without waiting; the writer's thread only.
     *
     * @return the item, or null when empty
     */
    WorkItem poll() {
        WorkItem item = items.poll();
        if (item != null) {
            size.decrementAndGet();
        }
        return item;
    }

    /**
     * Takes an item, waiting until {@code wakeAt} items are queued or the time is up (then taking what there is); the
     * writer's thread only.
     *
     * @param nanos the longest wait
     * @param wakeAt how many queued items end the wait early (at least 1)
     * @return an item, or null when none came
     * @throws InterruptedException when the writer is interrupted
     */
    WorkItem poll(long nanos, int wakeAt) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException(); // as a blocking queue's timed poll: an interrupted writer stops here
        }
        if (nanos <= 0 || size.get() >= wakeAt) {
            return poll();
        }
        long deadline = System.nanoTime() + nanos;
        this.wakeAt = Math.max(1, wakeAt);
        waiting = Thread.currentThread();
        try {
            // checked after publishing the waiter: an add that saw no waiter is seen here
            while (size.get() < this.wakeAt) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } finally {
            waiting = null;
        }
        return poll();
    }

    /**
     * The oldest queued item, left in the queue; any thread.
     *
     * @return the item, or null when empty
     */
    WorkItem peek() {
        return items.peek();
    }

    /** The number of queued items. */
    int size() {
        return size.get();
    }

    boolean isEmpty() {
        return size.get() == 0;
    }

    /** When the last item was added ({@link System#nanoTime()}). */
    long lastAddNanos() {
        return lastAddNanos;
    }
}
