package io.github.mqtt2tdengine.internal.engine;

import io.github.mqtt2tdengine.PipelineState;

/**
 * The engine's states: one state machine, changed only by {@link Lifecycle#move}. Each phase shows as one public
 * {@link PipelineState}; the three phases of a close (drain, stop, abandon) all show as
 * {@link PipelineState#CLOSING}, so listeners and hosts see the public states they always saw. Not API.
 *
 * <pre>
 * NEW ──start──▶ STARTING ──▶ RUNNING ──close──▶ DRAINING ──▶ STOPPING ──▶ CLOSED
 *  │                                                             └──▶ ABANDONING ──▶ CLOSED
 *  └──close (never started)──▶ CLOSED
 * every phase but CLOSED and FAILED ──fail──▶ FAILED
 * </pre>
 */
enum Phase {
    /** Built, not started. */
    NEW(PipelineState.NEW),
    /** The lifecycle thread opens the sink (on writer 0) and starts the transport; messages are taken. */
    STARTING(PipelineState.STARTING),
    /** Messages are taken, written and acknowledged. */
    RUNNING(PipelineState.RUNNING),
    /** Close, step 1: the transport is paused for good, writers cut batches at once, the in-flight count drains. */
    DRAINING(PipelineState.CLOSING),
    /** Close, step 2: intake refuses messages (left for the broker); writers end once their queue is empty. */
    STOPPING(PipelineState.CLOSING),
    /** Close, step 3 when the shutdown timeout ran out: writers drop their batches (unacknowledged) and end. */
    ABANDONING(PipelineState.CLOSING),
    /** Closed; final. */
    CLOSED(PipelineState.CLOSED),
    /** Failed; final. Nothing is acknowledged any more. */
    FAILED(PipelineState.FAILED);

    private final PipelineState visible;

    Phase(PipelineState visible) {
        this.visible = visible;
    }

    /** The public state this phase shows as. */
    PipelineState visible() {
        return visible;
    }

    /** Whether no other phase can follow. */
    boolean isFinal() {
        return this == CLOSED || this == FAILED;
    }

    /** Whether intake takes messages from the transport. */
    boolean accepting() {
        return this == STARTING || this == RUNNING || this == DRAINING;
    }

    /** Whether a close is under way: writers write what they hold at once instead of waiting for a full batch. */
    boolean closing() {
        return this == DRAINING || this == STOPPING || this == ABANDONING;
    }

    /** Whether nothing more will reach the writers' queues: a writer with nothing left ends. */
    boolean intakeStopped() {
        return this == STOPPING || this == ABANDONING || isFinal();
    }

    /** Whether a writer must drop what it holds and end now (close gave up, or the pipeline is over). */
    boolean writersMustEnd() {
        return this == ABANDONING || isFinal();
    }

    /**
     * Whether the state machine allows the move from this phase to {@code next}.
     *
     * @param next the phase after
     * @return true for an edge of the diagram above
     */
    boolean canMoveTo(Phase next) {
        if (next == FAILED) {
            return !isFinal();
        }
        return switch (this) {
            case NEW -> next == STARTING || next == CLOSED;
            case STARTING -> next == RUNNING;
            case RUNNING -> next == DRAINING;
            case DRAINING -> next == STOPPING;
            case STOPPING -> next == ABANDONING || next == CLOSED;
            case ABANDONING -> next == CLOSED;
            case CLOSED, FAILED -> false;
        };
    }
}
