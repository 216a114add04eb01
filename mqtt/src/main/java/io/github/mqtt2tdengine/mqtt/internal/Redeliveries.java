package io.github.mqtt2tdengine.mqtt.internal;

import com.hivemq.client.internal.mqtt.codec.decoder.MqttDecoder;
import com.hivemq.client.internal.mqtt.message.publish.MqttStatefulPublish;
import com.hivemq.client.mqtt.MqttClientConnectionConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;

/**
 * Sees the MQTT DUP flag of each PUBLISH the broker sends, which the HiveMQ MQTT Client's public API does not expose:
 * a handler right after the client's decoder in the connection's Netty pipeline reads it from the decoded packet
 * ({@code com.hivemq.client.internal.mqtt.message.publish.MqttStatefulPublish}) and passes the packet on unchanged.
 * Like {@link SocketReads}, a reach into the client's internals; {@link #supported()} is pinned by a unit test, and a
 * client without them only leaves redeliveries uncounted. Not API; may change in any release.
 */
final class Redeliveries {
    static final String HANDLER_NAME = "mqtt2td.redeliveries";

    /** Told of each redelivered PUBLISH, on the client's network thread. */
    @FunctionalInterface
    interface Listener {
        void onRedelivered(String topic, int qos);
    }

    private Redeliveries() {
    }

    /**
     * Tells whether the HiveMQ client on the class path has what this class relies on.
     *
     * @return true when {@link #watch} can work
     */
    static boolean supported() {
        try {
            Class<?> publish = Class.forName("com.hivemq.client.internal.mqtt.message.publish.MqttStatefulPublish", false,
                    Redeliveries.class.getClassLoader());
            Class.forName("com.hivemq.client.internal.mqtt.codec.decoder.MqttDecoder", false,
                    Redeliveries.class.getClassLoader()).getField("NAME");
            return publish.getMethod("isDup").getReturnType() == boolean.class
                    && SocketReads.supported();
        } catch (ClassNotFoundException | NoSuchMethodException | NoSuchFieldException | LinkageError e) {
            return false;
        }
    }

    /**
     * Watches the connection for redelivered PUBLISH packets. Call on the client's network thread once the connection
     * is up (its connected listener), before it reads any PUBLISH.
     *
     * @param config the connection's config
     * @param listener told of each redelivery
     * @throws ClassCastException or {@link LinkageError} when the client no longer has what this relies on
     */
    static void watch(MqttClientConnectionConfig config, Listener listener) {
        ChannelPipeline pipeline = ((com.hivemq.client.internal.mqtt.MqttClientConnectionConfig) config).getChannel()
                .pipeline();
        if (pipeline.get(HANDLER_NAME) == null && pipeline.get(MqttDecoder.NAME) != null) {
            pipeline.addAfter(MqttDecoder.NAME, HANDLER_NAME, new Handler(listener));
        }
    }

    /** Reads the DUP flag; one per connection. */
    private static final class Handler extends ChannelInboundHandlerAdapter {
        private final Listener listener;

        Handler(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof MqttStatefulPublish p && p.isDup()) {
                listener.onRedelivered(p.stateless().getTopic().toString(), p.stateless().getQos().getCode());
            }
            ctx.fireChannelRead(msg);
        }
    }
}
