package io.github.mqtt2tdengine.internal.engine;

import io.github.mqtt2tdengine.PayloadException;
import io.github.mqtt2tdengine.payload.TimePrecision;

/** What a writer tells and asks its pipeline, and nothing more. Called on the writer's thread. Not API. */
interface WriterCallbacks {
    /** Whether the pipeline failed: the writer stops, acknowledging nothing more. */
    boolean failed();

    /** Whether {@code close()} gave up waiting: the writer abandons its batch (left for the broker). */
    boolean aborted();

    /** Whether {@code close()} is draining: batches are cut at once. */
    boolean draining();

    /** Fails the pipeline. */
    void fail(Throwable cause);

    /** All rows of a message are done (committed or rejected). */
    void completed(InFlightMessage message);

    /** A message that could not be mapped reached this writer in its turn. */
    void unmappable(InFlightMessage message, PayloadException error);

    /** A sink call is starting (the stall watch looks at it). */
    void sinkCallStarted();

    /** The sink's precision, once it is open: the unit of the rows' timestamps. */
    TimePrecision precision();
}
