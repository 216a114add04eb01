package io.github.mqtt2tdengine.mqtt.internal;

import io.github.mqtt2tdengine.spi.ConnectionState;
import io.github.mqtt2tdengine.spi.MessageHandler;

/**
 * What both client sessions share: the pipeline's handler, the connection state, and the pause flag under which QoS 0
 * messages are dropped (and reported) rather than queued. Not API; may change in any release.
 */
abstract class SessionBase implements MqttSession {
    /** The validated settings. */
    final MqttSettings settings;
    /** The pipeline, set by start. */
    volatile MessageHandler handler;
    /** The last connection state. */
    volatile ConnectionState state = ConnectionState.DISCONNECTED;
    /** Set once close begins. */
    volatile boolean closing;
    private volatile boolean paused;

    SessionBase(MqttSettings settings) {
        this.settings = settings;
    }

    /**
     * Drops a QoS 0 message that arrives while the pipeline is at its in-flight bound, reporting it; QoS 1/2 messages
     * are never dropped.
     *
     * @return true when the message was dropped
     */
    final boolean droppedWhilePaused(String topic, int qos) {
        if (qos == 0 && paused) {
            handler.onDropped(topic, 0, "the pipeline's in-flight bound is reached and QoS 0 has no redelivery");
            return true;
        }
        return false;
    }

    @Override
    public final void pause() {
        paused = true;
    }

    @Override
    public final void resume() {
        paused = false;
    }

    @Override
    public final ConnectionState state() {
        return state;
    }
}
