package io.github.mqtt2tdengine.internal.engine;

import io.github.mqtt2tdengine.BadMessagePolicy;
import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.errors.PayloadException;
import io.github.mqtt2tdengine.internal.payload.MappedMessage;
import io.github.mqtt2tdengine.internal.payload.Router;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.payload.TimestampCollisionPolicy;
import io.github.mqtt2tdengine.spi.ConnectionState;
import io.github.mqtt2tdengine.spi.InboundMessage;
import io.github.mqtt2tdengine.spi.Row;
import io.github.mqtt2tdengine.spi.TransportContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Intake, on the transport's threads: counts each message into flight, maps it to rows and hands them to the writers,
 * partitioned by sub-table (a message's rows may go to several writers; each sub-table's rows keep their order). A
 * message without rows is acknowledged here; one that cannot be mapped goes to a writer as a dead letter. Never blocks.
 * Not API.
 *
 * <p>Threads: every method is called by the transport (its callback threads, or the lifecycle thread inside
 * {@code Transport.start}). Whether a message is taken is read from the phase (STARTING, RUNNING, DRAINING): once a
 * close stops intake or the pipeline fails, messages are left unacknowledged for the broker.
 */
final class Intake implements TransportContext {
    private static final Logger LOG = LoggerFactory.getLogger(Intake.class);

    private final String name;
    private final Router router;
    private final int maxInFlight;
    private final BadMessagePolicy policy;
    private final TimePrecision precision;
    private final Writer[] writers;
    private final EngineMetrics metrics;
    private final FlowControl flow;
    private final Completion completion;
    private final Lifecycle lifecycle;
    private final Consumer<Throwable> fail;

    Intake(PipelineSettings settings, TimePrecision precision, Writer[] writers, EngineMetrics metrics,
            FlowControl flow, Completion completion, Lifecycle lifecycle, Consumer<Throwable> fail) {
        this.name = settings.name();
        this.router = settings.router();
        this.maxInFlight = settings.maxInFlight();
        this.policy = settings.badMessagePolicy();
        this.precision = precision;
        this.writers = writers;
        this.metrics = metrics;
        this.flow = flow;
        this.completion = completion;
        this.lifecycle = lifecycle;
        this.fail = fail;
    }

    @Override
    public void onMessage(InboundMessage message) {
        String previous = MDC.get(DefaultSyncPipeline.MDC_KEY);
        MDC.put(DefaultSyncPipeline.MDC_KEY, name);
        try {
            take(message);
        } finally {
            if (previous == null) {
                MDC.remove(DefaultSyncPipeline.MDC_KEY);
            } else {
                MDC.put(DefaultSyncPipeline.MDC_KEY, previous);
            }
        }
    }

    private void take(InboundMessage message) {
        try {
            admit(message);
        } finally {
            lifecycle.leaveIntake();
        }
    }

    private void admit(InboundMessage message) {
        if (!lifecycle.enterIntake()) {
            metrics.ignoredWhileClosing.increment();
            LOG.debug("Pipeline '{}': message on '{}' arrived after intake stopped; left for the broker", name,
                    message.topic());
            return;
        }
        metrics.received.increment();
        metrics.inFlight(flow.enter());
        if (LOG.isTraceEnabled()) {
            LOG.trace("Pipeline '{}': message on '{}', {} bytes, qos {}", name, message.topic(),
                    message.payload().length, message.qos());
        }
        MappedMessage mapped;
        try {
            mapped = router.map(message.topic(), message.payload(), message.qos(), message.receivedAt(), precision);
        } catch (PayloadException e) {
            unmappable(message, e);
            return;
        } catch (RuntimeException e) {
            unmappable(message, new PayloadException(DeadLetterReason.INVALID_PAYLOAD, "Pipeline '" + name
                    + "': mapping failed unexpectedly (" + e + "), in message on topic '" + message.topic() + "'", e));
            return;
        }
        List<Row> rows = mapped.rows();
        metrics.routed(mapped.mapping());
        metrics.rowsMapped.add(rows.size());
        if (mapped.filtered() > 0) {
            metrics.rowsFiltered.add(mapped.filtered());
        }
        if (rows.isEmpty()) {
            completion.acknowledge(message);
            return;
        }
        boolean eventTime = !mapped.mapping().receiveTimeIsPrimaryKey();
        InFlightMessage tracked = new InFlightMessage(message, rows.size(), eventTime);
        WorkItem.Collisions collisions = eventTime ? WorkItem.Collisions.NONE
                : mapped.mapping().collisionPolicy() == TimestampCollisionPolicy.SHIFT ? WorkItem.Collisions.SHIFT
                : WorkItem.Collisions.COUNT;
        if (writers.length == 1) {
            writers[0].offer(WorkItem.rows(tracked, rows, collisions));
            return;
        }
        List<List<Row>> parts = new ArrayList<>(writers.length);
        for (int i = 0; i < writers.length; i++) {
            parts.add(null);
        }
        for (Row row : rows) {
            int w = Math.floorMod(row.subTable().hashCode(), writers.length);
            if (parts.get(w) == null) {
                parts.set(w, new ArrayList<>());
            }
            parts.get(w).add(row);
        }
        for (int i = 0; i < writers.length; i++) {
            if (parts.get(i) != null) {
                writers[i].offer(WorkItem.rows(tracked, parts.get(i), collisions));
            }
        }
    }

    private void unmappable(InboundMessage message, PayloadException e) {
        InFlightMessage m = new InFlightMessage(message, 0, false);
        if (policy == BadMessagePolicy.FAIL) {
            completion.deadLetter(m, e);
            return;
        }
        // dead-lettered on a writer thread: destinations may block, a transport thread must not
        writers[Math.floorMod(message.topic().hashCode(), writers.length)].offer(WorkItem.unmappable(m, e));
    }

    @Override
    public int maxInFlight() {
        return maxInFlight;
    }

    @Override
    public void onDropped(String topic, int qos, String reason) {
        metrics.droppedByTransport.increment();
        long n = metrics.droppedByTransport.sum();
        if (n == 1 || n % 1000 == 0) {
            LOG.warn("Pipeline '{}': transport dropped a QoS {} message on '{}' ({}); {} dropped so far", name, qos,
                    topic, reason, n);
        }
    }

    @Override
    public void onRedelivered(String topic, int qos) {
        metrics.redelivered.increment();
    }

    @Override
    public void onSessionLost(String detail) {
        metrics.sessionsLost.increment();
        LOG.warn("Pipeline '{}': the broker did not keep the persistent session across a reconnect ({}): messages it "
                + "held for this client while it was away are lost; raise the broker's session expiry and queue limits "
                + "(docs/brokers.md)", name, detail);
    }

    @Override
    public void onConnectionStateChanged(ConnectionState connectionState, String detail) {
        metrics.connectionChanged(connectionState);
        lifecycle.notifyListeners(l -> l.onConnectionStateChanged(connectionState, detail));
    }

    @Override
    public void onTransportFailed(Throwable cause) {
        fail.accept(cause);
    }
}
