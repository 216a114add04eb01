package io.github.mqtt2tdengine.internal.engine;

import io.github.mqtt2tdengine.PipelineListener;
import io.github.mqtt2tdengine.PipelineState;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's state, in one place (as Debezium's embedded engine keeps it): one {@code AtomicReference<Phase>},
 * changed only by {@link #move}, a compare-and-set from the phase the caller expects along an edge of {@link Phase}'s
 * diagram. Every other part of the engine reads the phase through {@link #phase()}; none keeps its own copy. Not API.
 *
 * <p>Threads: {@link #move} runs on the lifecycle thread (start and close steps); {@link #fail} on any thread (a
 * writer, a transport thread, the lifecycle thread). Listeners hear each change of the public state in the order the
 * changes happened, however many threads make them: a change is queued in the same critical section as its
 * compare-and-set, and the queue is delivered by one thread at a time (the one that made a change and found nobody
 * delivering), so {@code RUNNING->CLOSING} never reaches a listener after {@code CLOSING->FAILED}.
 */
final class Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    private final String name;
    private final List<PipelineListener> listeners;
    private final EngineThreads threads;
    private final AtomicReference<Phase> state = new AtomicReference<>(Phase.NEW);
    /** Transport threads between reading the phase in intake and handing their items to the writers. */
    private final AtomicInteger inIntake = new AtomicInteger();
    /** Held only for a compare-and-set and the queueing of its event: never while calling out. */
    private final Object order = new Object();
    private final Queue<Consumer<PipelineListener>> events = new ConcurrentLinkedQueue<>();
    /** The thread delivering state events, or null. */
    private final AtomicReference<Thread> deliverer = new AtomicReference<>();

    Lifecycle(String name, List<PipelineListener> listeners, EngineThreads threads) {
        this.name = name;
        this.listeners = listeners;
        this.threads = threads;
    }

    /** The current phase; any thread. */
    /**
     * Transport thread, on entering intake: counts the thread in (always; {@link #leaveIntake()} in a finally), then
     * reads whether the phase takes messages. The count comes first, so a writer that sees a phase refusing messages
     * and then {@link #intakeQuiet()} also sees every item a thread admitted under the earlier phase (both atomics:
     * one total order).
     *
     * @return whether the message may be taken
     */
    boolean enterIntake() {
        inIntake.incrementAndGet();
        return state.get().accepting();
    }

    /** Transport thread: leaves intake, after the items of the message are with the writers (or it was refused). */
    void leaveIntake() {
        inIntake.decrementAndGet();
    }

    /**
     * Writer thread: whether no transport thread is inside intake. A writer ends only when the phase refuses messages,
     * then this holds, then its queue is empty, read in that order, so no item admitted before the phase changed is
     * offered to a writer that has ended.
     */
    boolean intakeQuiet() {
        return inIntake.get() == 0;
    }

    Phase phase() {
        return state.get();
    }

    /** The current public state; any thread. */
    PipelineState get() {
        return state.get().visible();
    }

    boolean isFailed() {
        return state.get() == Phase.FAILED;
    }

    /**
     * The one way the state changes: from {@code expected} to {@code next} by compare-and-set; listeners hear of it
     * when the public state changed.
     *
     * @param expected the phase the caller expects
     * @param next the phase after
     * @return false (nothing changed) when the phase was not {@code expected}, e.g. because the pipeline failed
     * @throws IllegalStateException when {@code expected -> next} is not an edge of the state machine (a bug)
     */
    boolean move(Phase expected, Phase next) {
        if (!expected.canMoveTo(next)) {
            throw new IllegalStateException("Pipeline '" + name + "': no move from " + expected + " to " + next
                    + " (the state is " + state.get() + ")");
        }
        boolean failing = next == Phase.FAILED;
        synchronized (order) {
            if (!state.compareAndSet(expected, next)) {
                return false;
            }
            if (!failing && expected.visible() != next.visible()) {
                queue(l -> l.onStateChanged(expected.visible(), next.visible()));
            }
        }
        if (!failing) {
            deliver();
        }
        return true;
    }

    /**
     * Moves to FAILED from any phase but the final ones (through {@link #move}) and tells the listeners: the change,
     * then the cause.
     *
     * @param cause why
     * @param first run by the thread that made the change, before the listeners hear of it (record and log the
     *     failure once, however many threads fail at the same time)
     * @return the phase it failed from, or null when it had already failed or closed (nothing changed)
     */
    Phase fail(Throwable cause, Runnable first) {
        while (true) {
            Phase previous = state.get();
            if (previous.isFinal()) {
                return null;
            }
            if (move(previous, Phase.FAILED)) {
                // FAILED is final: no change can be queued after this one, so queueing it after first.run() keeps
                // the order
                first.run();
                synchronized (order) {
                    queue(l -> l.onStateChanged(previous.visible(), PipelineState.FAILED));
                    Throwable seen = LegacyExceptions.toHost(cause);
                    queue(l -> l.onFailed(seen));
                }
                deliver();
                return previous;
            }
        }
    }

    private void queue(Consumer<PipelineListener> event) {
        events.add(event);
    }

    /**
     * Delivers the queued state events, unless another thread is delivering them (it then delivers these too: it
     * looks at the queue again after it stops delivering). A listener that causes a change on the delivering thread
     * gets it delivered after the event under way.
     */
    private void deliver() {
        Thread me = Thread.currentThread();
        while (!events.isEmpty() && deliverer.compareAndSet(null, me)) {
            try {
                Consumer<PipelineListener> event;
                while ((event = events.poll()) != null) {
                    notifyListeners(event);
                }
            } finally {
                deliverer.set(null);
            }
        }
    }

    /**
     * Calls every listener now, on this thread, marked as a callback (a close() it makes does not wait); one that
     * throws is logged and ignored. For the events that are not state changes (dead letters, stalls, connection).
     */
    void notifyListeners(Consumer<PipelineListener> event) {
        threads.callback(() -> {
            for (PipelineListener l : listeners) {
                try {
                    event.accept(l);
                } catch (RuntimeException e) {
                    LOG.warn("Pipeline '{}': listener {} threw; ignored", name, l, e);
                }
            }
        });
    }
}
