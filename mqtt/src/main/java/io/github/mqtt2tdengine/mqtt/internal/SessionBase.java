package io.github.mqtt2tdengine.mqtt.internal;

import io.github.mqtt2tdengine.spi.ConnectionState;
import io.github.mqtt2tdengine.spi.InboundMessage;
import io.github.mqtt2tdengine.spi.TransportContext;
import java.time.Instant;
import java.util.concurrent.Executor;

/**
 * What both client sessions share: the pipeline's context, the connection state, and the pause that stops reading
 * from the broker when the pipeline's in-flight bound is reached. Not API; may change in any release.
 *
 * <p>A pause is socket-level backpressure: the session stops reading from the connection, so unread messages stay in
 * the kernel's socket buffers and at the broker, not in the heap. A session that cannot stop reading (see
 * {@link #holdReads(boolean)}) drops QoS 0 messages that arrive while paused, reporting each; QoS 1/2 messages are
 * never dropped.
 */
abstract class SessionBase implements MqttSession {
    /** The validated settings. */
    final MqttSettings settings;
    /** The pipeline, set by start. */
    volatile TransportContext context;
    /** The last connection state. */
    volatile ConnectionState state = ConnectionState.DISCONNECTED;
    /** Set once close begins. */
    volatile boolean closing;
    private final Object readsLock = new Object();
    private volatile boolean paused;
    /**
     * Paused and reads could not be held: QoS 0 messages are dropped. One field, written once the hold was tried and
     * cleared before a resume, so a message delivered on the client's thread while another thread pauses or resumes
     * never sees a half-made change (paused, with reads not yet held) and is never dropped for it.
     */
    private volatile boolean dropQos0;

    /** Reads dead letters back as their originals; null without {@code deadLetterReplay}. */
    private final Replay replay;

    SessionBase(MqttSettings settings) {
        this.settings = settings;
        this.replay = settings.replayPrefix() == null ? null : new Replay(settings.replayPrefix());
    }

    /**
     * The message handed to the pipeline: as received, or, for a dead letter under the replay prefix, the original.
     *
     * @param topic the topic it arrived on
     * @param payload its payload
     * @param qos its QoS
     * @param properties its MQTT 5 user properties
     * @param ack acknowledges it to the broker
     * @param acks runs the acknowledgement, or null for the acknowledging thread
     * @return the message
     */
    final InboundMessage message(String topic, byte[] payload, int qos, UserProperties properties, Runnable ack,
            Executor acks) {
        Instant now = Instant.now();
        Replay.Original o = replay == null ? null : replay.unwrap(topic, payload, qos, properties, now);
        return o == null ? new Delivered(topic, payload, qos, now, ack, acks)
                : new Delivered(o.topic(), o.payload(), o.qos(), o.receivedAt(), ack, acks);
    }

    /**
     * Stops or restarts reading from the broker connection. Called on pause, on resume, and again by the session
     * whenever a new connection may have replaced the one that was held.
     *
     * @param hold true to stop reading
     * @return whether reading is (or will be, once connected) stopped; false when this session cannot stop it
     */
    abstract boolean holdReads(boolean hold);

    /**
     * Drops a QoS 0 message that arrives while paused when the session could not stop reading, reporting it.
     *
     * @return true when the message was dropped
     */
    final boolean droppedWhilePaused(String topic, int qos) {
        if (qos == 0 && dropQos0) {
            context.onDropped(topic, 0, "the pipeline's in-flight bound is reached and QoS 0 has no redelivery");
            return true;
        }
        return false;
    }

    /** Whether the pipeline asked for a pause. */
    final boolean paused() {
        return paused;
    }

    /** Called after {@link #resume()} (any thread); a session whose callbacks wait while paused wakes them here. */
    void onResumed() {
    }

    /**
     * Holds reads again if paused, under the same lock as pause and resume so that it never undoes a resume. For a
     * connection that may be new since the pause.
     */
    final void holdIfPaused() {
        if (paused) {
            synchronized (readsLock) {
                if (paused) {
                    dropQos0 = !holdReads(true);
                }
            }
        }
    }

    @Override
    public final void pause() {
        synchronized (readsLock) {
            // paused first: a new connection made meanwhile (holdIfPaused on the client's thread) then waits for this
            // lock and is held too; a message delivered before dropQos0 is set is kept, never dropped
            paused = true;
            dropQos0 = !holdReads(true);
        }
    }

    @Override
    public final void resume() {
        synchronized (readsLock) {
            dropQos0 = false;
            paused = false;
            holdReads(false);
        }
        onResumed();
    }

    @Override
    public final ConnectionState state() {
        return state;
    }
}
