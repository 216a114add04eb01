package io.github.mqtt2tdengine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives messages the pipeline could not map or the sink rejected; the message is acknowledged after this returns.
 *
 * <p>Called on a writer thread ({@code mqtt2td-<name>-writer-N}); it may block briefly (a file append, a queue
 * publish), which delays that writer's batches. If it throws, the exception is logged at WARN with the topic and
 * reason, and the message is acknowledged anyway, so a broken handler cannot stall the pipeline.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface DeadLetterHandler {

    /**
     * Handles one dead letter.
     *
     * @param deadLetter the message, its topic and the reason
     */
    void handle(DeadLetter deadLetter);

    /**
     * Returns the default handler: one WARN line on logger {@code io.github.mqtt2tdengine.DeadLetterHandler} with
     * the topic, the reason and the first {@value DeadLetter#PREVIEW_BYTES} payload bytes.
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
        public String toString() {
            return "DeadLetterHandler.logging()";
        }
    }
}
