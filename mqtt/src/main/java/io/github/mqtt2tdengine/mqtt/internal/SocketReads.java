package io.github.mqtt2tdengine.mqtt.internal;

import com.hivemq.client.mqtt.MqttClientConnectionConfig;
import io.netty.channel.Channel;

/**
 * One of the library's two reaches into the HiveMQ MQTT Client's internals (the other is {@link Redeliveries}): the
 * Netty channel under a connection, whose auto-read flag holds reads for socket-level backpressure. The client's public
 * API has no way to stop reading; its connection config is implemented by {@code
 * com.hivemq.client.internal.mqtt.MqttClientConnectionConfig}, which holds the channel. {@link #supported()} tells
 * whether the client on the class path still has it (a unit test pins it, so an upgrade that removes it fails the
 * build); where it does not, the transport cannot stop reading and falls back as docs/delivery-guarantees.md says: QoS
 * 0 messages arriving at the bound are dropped and counted, QoS 1/2 are bounded by the broker only. Not API; may change
 * in any release.
 */
final class SocketReads {
    private static final String INTERNAL_CONFIG = "com.hivemq.client.internal.mqtt.MqttClientConnectionConfig";

    private SocketReads() {
    }

    /**
     * Tells whether the HiveMQ client on the class path exposes the channel this class relies on.
     *
     * @return true when {@link #hold} can work
     */
    static boolean supported() {
        try {
            Class<?> c = Class.forName(INTERNAL_CONFIG, false, SocketReads.class.getClassLoader());
            return MqttClientConnectionConfig.class.isAssignableFrom(c)
                    && Channel.class.isAssignableFrom(c.getMethod("getChannel").getReturnType());
        } catch (ClassNotFoundException | NoSuchMethodException | LinkageError e) {
            return false;
        }
    }

    /**
     * Stops or restarts reading a connection's socket.
     *
     * @param config the connection's config
     * @param hold true to stop reading, false to read again
     * @throws ClassCastException or {@link LinkageError} when the client no longer has the channel
     */
    static void hold(MqttClientConnectionConfig config, boolean hold) {
        Channel channel = ((com.hivemq.client.internal.mqtt.MqttClientConnectionConfig) config).getChannel();
        if (channel.config().isAutoRead() == hold) {
            channel.config().setAutoRead(!hold);
        }
    }
}
