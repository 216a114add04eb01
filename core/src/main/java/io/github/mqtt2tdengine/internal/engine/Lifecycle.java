package io.github.mqtt2tdengine.internal.engine;

import io.github.mqtt2tdengine.PipelineListener;
import io.github.mqtt2tdengine.PipelineState;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's state, in one place: every change is a compare-and-set from the state the caller expects, and the
 * listeners hear of each change that happened (as Debezium's embedded engine keeps its state). FAILED and CLOSED are
 * final; FAILED is reachable from every other state but CLOSED. Not API.
 */
final class Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    private final String name;
    private final List<PipelineListener> listeners;
    private final AtomicReference<PipelineState> state = new AtomicReference<>(PipelineState.NEW);

    Lifecycle(String name, List<PipelineListener> listeners) {
        this.name = name;
        this.listeners = listeners;
    }

    PipelineState get() {
        return state.get();
    }

    boolean isFailed() {
        return state.get() == PipelineState.FAILED;
    }

    /**
     * Moves from {@code expected} to {@code next} and tells the listeners.
     *
     * @return false (nothing changed) when the state was not {@code expected}, e.g. because the pipeline failed
     */
    boolean transition(PipelineState expected, PipelineState next) {
        if (!state.compareAndSet(expected, next)) {
            return false;
        }
        notifyListeners(l -> l.onStateChanged(expected, next));
        return true;
    }

    /**
     * Moves to FAILED from any state but FAILED and CLOSED and tells the listeners (state change, then the cause).
     *
     * @param cause why
     * @param first run by the thread that made the change, before the listeners hear of it (record and log the
     *     failure once, however many threads fail at the same time)
     * @return the state it failed from, or null when it had already failed or closed (nothing changed)
     */
    PipelineState fail(Throwable cause, Runnable first) {
        while (true) {
            PipelineState previous = state.get();
            if (previous == PipelineState.FAILED || previous == PipelineState.CLOSED) {
                return null;
            }
            if (state.compareAndSet(previous, PipelineState.FAILED)) {
                first.run();
                notifyListeners(l -> l.onStateChanged(previous, PipelineState.FAILED));
                notifyListeners(l -> l.onFailed(cause));
                return previous;
            }
        }
    }

    /** Calls every listener; one that throws is logged and ignored. */
    void notifyListeners(Consumer<PipelineListener> event) {
        for (PipelineListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("Pipeline '{}': listener {} threw; ignored", name, l, e);
            }
        }
    }
}
