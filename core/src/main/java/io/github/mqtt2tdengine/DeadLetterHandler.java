package io.github.mqtt2tdengine;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A place where messages the pipeline could not map, or the sink rejected, are kept: a destination for dead letters.
 * A dead-lettered message is acknowledged to the broker only after every destination of the pipeline stored it.
 *
 * <p>Contract (the same at-least-once rule as {@code Sink.write}):
 * <ul>
 *   <li>{@link #handleAll} (and {@link #handle}) returning normally means every dead letter given is stored: written
 *       where it survives a restart of this process (a broker's PUBACK, a committed INSERT, a synced file). Only then
 *       are the messages acknowledged.</li>
 *   <li>Throwing any {@link RuntimeException} ({@link io.github.mqtt2tdengine.errors.RetriableSinkException} by
 *       convention) means none is counted as stored: the engine retries the same dead letters at this destination with
 *       the pipeline's retry back-off ({@code retryInitialBackoff}, {@code retryMaxBackoff}, {@code maxRetries}:
 *       forever by default), and the messages keep their places in flight meanwhile, so a destination that stays
 *       down pauses the transport at {@code maxInFlight} instead of losing data. Once {@code maxRetries} is used up
 *       the pipeline fails and nothing is acknowledged. A destination that stored part of a batch before it threw
 *       gets that part again: it must tolerate duplicates.</li>
 *   <li>With several destinations, each gets each dead letter; one that failed is retried alone (the others are not
 *       called again for the same dead letters).</li>
 * </ul>
 *
 * <p>Threads: called on the writer threads ({@code mqtt2td-<name>-writer-N}), in a writer's turn between its batches,
 * so a slow destination delays that writer's batches; with several writers it is called concurrently and must be
 * thread-safe. It should bound every wait (a broker's PUBACK, a connect) and throw when the bound passes, so a close
 * is not held up. {@link #close()} is called once, on the pipeline's lifecycle thread, after the writers ended.
 *
 * <p>Before 0.1.0 a handler that threw was logged and its message acknowledged anyway; now it is retried.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface DeadLetterHandler extends AutoCloseable {

    /**
     * Stores one dead letter; returning normally means it is stored.
     *
     * @param deadLetter the message, its topic and the reason
     */
    void handle(DeadLetter deadLetter);

    /**
     * Stores several dead letters (one writer's share of a batch) at once; returning normally means all are stored.
     * The default calls {@link #handle} for each; destinations that write in batches override it.
     *
     * @param deadLetters the dead letters, in arrival order; never empty
     */
    default void handleAll(List<DeadLetter> deadLetters) {
        for (DeadLetter d : deadLetters) {
            handle(d);
        }
    }

    /**
     * Names this destination in metrics, health and logs ({@code logging}, {@code tdengine}, {@code mqtt},
     * {@code file}, ...). The default is {@code custom}; a pipeline with several destinations of one name numbers
     * them ({@code custom-2}).
     *
     * @return a short, stable name
     */
    default String destination() {
        return "custom";
    }

    /** Releases what the destination holds (connections, files); called once when the pipeline closes. */
    @Override
    default void close() {
    }

    /**
     * Returns the library's default destination: one WARN line on logger
     * {@code io.github.mqtt2tdengine.DeadLetterHandler} with the topic, the reason and the first
     * {@value DeadLetter#PREVIEW_BYTES} payload bytes. It keeps nothing once the log is gone; the runner and the
     * Spring Boot starter keep dead letters in TDengine by default instead.
     *
     * @return the logging handler
     */
    static DeadLetterHandler logging() {
        return LoggingDeadLetterHandler.INSTANCE;
    }

    /** The default handler. */
    final class LoggingDeadLetterHandler implements DeadLetterHandler {
        static final LoggingDeadLetterHandler INSTANCE = new LoggingDeadLetterHandler();
        private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

        private LoggingDeadLetterHandler() {
        }

        @Override
        public void handle(DeadLetter d) {
            LOG.warn("Pipeline '{}': dead letter on topic '{}' ({}): {}; payload: {}", d.pipelineName(), d.topic(),
                    d.reason(), d.message(), d.payloadPreview());
        }

        @Override
        public String destination() {
            return "logging";
        }

        @Override
        public String toString() {
            return "DeadLetterHandler.logging()";
        }
    }
}
