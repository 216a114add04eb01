package io.github.mqtt2tdengine.internal.engine;

import io.github.mqtt2tdengine.DeadLetter;
import io.github.mqtt2tdengine.errors.PayloadException;
import io.github.mqtt2tdengine.payload.TimePrecision;

/** What a writer tells and asks its pipeline, and nothing more. Called on the writer's thread. Not API. */
interface WriterCallbacks {
    /** The pipeline's phase, read (never written) by the writer: when to cut batches at once, when to end. */
    Phase phase();

    /** Whether no transport thread is inside intake, about to hand this writer an item (read after the phase). */
    boolean intakeQuiet();

    /** The pipeline's messages in flight: received, not yet acknowledged (all writers' rows, and intake's). */
    int inFlight();

    /**
     * The pipeline's in-flight count when the latest message arrived: where arrivals stopped, even when another writer
     * has acknowledged some since.
     */
    int inFlightAtLastArrival();

    /** Whether the transport is paused (at {@code maxInFlight}, or for a drain): nothing more is coming for now. */
    boolean transportPaused();

    /** Fails the pipeline. */
    void fail(Throwable cause);

    /**
     * All rows of a message are done (committed or rejected).
     *
     * @return the dead letter to store before the message is acknowledged, or null when it was acknowledged
     */
    DeadLetter completed(InFlightMessage message);

    /**
     * A message that could not be mapped reached this writer in its turn.
     *
     * @return the dead letter to store before the message is acknowledged, or null when the pipeline failed
     */
    DeadLetter unmappable(InFlightMessage message, PayloadException error);

    /** Every destination stored a message's dead letter: acknowledge the message. */
    void deadLetterStored(InFlightMessage message, DeadLetter deadLetter);

    /** A sink call is starting (the stall watch looks at it). */
    void sinkCallStarted();

    /** The sink's precision, once it is open: the unit of the rows' timestamps. */
    TimePrecision precision();
}
