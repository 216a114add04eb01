package io.github.mqtt2tdengine.internal.engine;

import io.github.mqtt2tdengine.BadMessagePolicy;
import io.github.mqtt2tdengine.DeadLetter;
import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.errors.PayloadException;
import io.github.mqtt2tdengine.spi.InboundMessage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completion: what happens to a message once its rows are done. A message whose rows were all committed is
 * acknowledged; one the sink rejected rows of, or that could not be mapped, becomes a dead letter, which its writer
 * stores at the dead-letter destinations before it is acknowledged ({@link #stored}) or, under
 * {@link BadMessagePolicy#FAIL}, fails the pipeline. Nothing is acknowledged once the pipeline failed. Called on
 * writer threads, and on transport threads for messages without rows (and for bad ones under policy FAIL). It reads
 * the phase (no acknowledgement once FAILED) and counts messages out of flight through {@link FlowControl#leave()}.
 * Not API.
 */
final class Completion {
    private static final Logger LOG = LoggerFactory.getLogger(Completion.class);

    private final String name;
    private final BadMessagePolicy policy;
    private final EngineMetrics metrics;
    private final FlowControl flow;
    private final Lifecycle lifecycle;
    private final Consumer<Throwable> fail;

    Completion(PipelineSettings settings, EngineMetrics metrics, FlowControl flow, Lifecycle lifecycle,
            Consumer<Throwable> fail) {
        this.name = settings.name();
        this.policy = settings.badMessagePolicy();
        this.metrics = metrics;
        this.flow = flow;
        this.lifecycle = lifecycle;
        this.fail = fail;
    }

    /**
     * All rows of a message are done: acknowledge it, or make it a dead letter when the sink rejected any.
     *
     * @return the dead letter to store before the message is acknowledged, or null (acknowledged, or failed)
     */
    DeadLetter complete(InFlightMessage m) {
        String rejection = m.rejection();
        if (rejection == null) {
            if (!lifecycle.isFailed()) {
                long now = System.nanoTime();
                metrics.commitLatency.record((now - m.intakeNanos) / 1000, now);
            }
            acknowledge(m.message);
            return null;
        }
        return deadLetter(m, new PayloadException(DeadLetterReason.SINK_REJECTED, "Pipeline '" + name + "': sink "
                + "rejected " + m.rejectedRows() + " of " + m.totalRows + " row(s): " + rejection
                + ", in message on topic '" + m.message.topic() + "'"));
    }

    /**
     * A message that cannot be written: counted, and made a dead letter or, under policy FAIL, the pipeline fails.
     *
     * @param m the message
     * @param e why, with its reason
     * @return the dead letter to store before the message is acknowledged, or null when the pipeline failed
     */
    DeadLetter deadLetter(InFlightMessage m, PayloadException e) {
        metrics.deadLetter(e.reason());
        if (policy == BadMessagePolicy.FAIL) {
            fail.accept(e);
            return null;
        }
        metrics.lastError(e.getMessage());
        InboundMessage msg = m.message;
        return new DeadLetter(name, msg.topic(), msg.payload(), msg.qos(), msg.receivedAt(), e.reason(),
                e.getMessage(), e.getCause());
    }

    /** Writer thread: every destination stored the dead letter: tell the listeners, acknowledge the message. */
    void stored(InFlightMessage m, DeadLetter d) {
        lifecycle.notifyListeners(l -> l.onDeadLetter(d));
        acknowledge(m.message);
    }

    /** Acknowledges a message (unless the pipeline failed) and counts it out of flight. */
    void acknowledge(InboundMessage message) {
        if (lifecycle.isFailed()) {
            return;
        }
        try {
            message.acknowledge();
        } catch (RuntimeException e) {
            LOG.warn("Pipeline '{}': acknowledging a message on '{}' failed; the broker will redeliver it", name,
                    message.topic(), e);
        }
        metrics.acked.increment();
        flow.leave();
    }
}
