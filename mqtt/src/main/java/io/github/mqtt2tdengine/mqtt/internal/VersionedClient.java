package io.github.mqtt2tdengine.mqtt.internal;

import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.MqttClientConnectionConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.auth.Mqtt3SimpleAuth;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscribe;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscription;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserPropertiesBuilder;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.github.mqtt2tdengine.errors.TransportException;
import io.github.mqtt2tdengine.mqtt.MqttProtocolVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;

/**
 * What differs between the HiveMQ client's MQTT 5.0 and 3.1.1 APIs, behind one interface, so that the session is
 * written once. Publishes are handed over on the client's network thread (no client-side queue that could drop QoS 0
 * messages). Not API; may change in any release.
 */
interface VersionedClient {

    /** Receives each PUBLISH on the network thread. */
    @FunctionalInterface
    interface Deliver {
        void accept(String topic, int qos, byte[] payload, UserProperties properties, Runnable acknowledge);
    }

    /**
     * Builds the client for the settings' protocol version and registers the publish callback (manual ack).
     *
     * @param settings the settings
     * @param builder the configured builder (identifier, transport, reconnect, listeners)
     * @param receiveMaximum the MQTT 5 receive maximum (ignored by 3.1.1)
     * @param deliver the publish callback
     * @return the client
     */
    static VersionedClient create(MqttSettings settings, MqttClientBuilder builder, int receiveMaximum,
            Deliver deliver) {
        return settings.version() == MqttProtocolVersion.V5 ? new V5(settings, builder, receiveMaximum, deliver)
                : new V3(settings, builder, deliver);
    }

    /** Sends CONNECT. */
    CompletableFuture<?> connect();

    /** Sends SUBSCRIBE; completes exceptionally with a {@link TransportException} when a filter is refused. */
    CompletableFuture<?> subscribe();

    /** Sends DISCONNECT. */
    CompletableFuture<Void> disconnect();

    /**
     * Publishes at QoS 1 without retain.
     *
     * @param topic the topic
     * @param payload the payload
     * @param properties MQTT 5 user properties as name, value pairs (ignored by MQTT 3.1.1)
     * @return completes with the PUBACK's reason code (always 0 with MQTT 3.1.1, which has none), or exceptionally
     *     when the publish was not acknowledged (connection lost, client closed)
     */
    CompletableFuture<Integer> publish(String topic, byte[] payload, List<String[]> properties);

    /** The current connection's config, empty while not connected. */
    Optional<MqttClientConnectionConfig> connectionConfig();

    /** The broker's refusal of CONNECT, if {@code cause} is one. */
    Optional<String> refusal(Throwable cause);

    /** Throws when any SUBACK code is an error, naming the refused filter. */
    static <C> void checkSubAck(MqttSettings settings, List<C> codes, Predicate<C> isError) {
        for (int i = 0; i < codes.size(); i++) {
            if (isError.test(codes.get(i))) {
                throw new TransportException("MQTT broker " + settings.endpoint() + " refused the subscription to '"
                        + settings.subscriptions().get(i).filter() + "': " + codes.get(i));
            }
        }
    }

    /** MQTT 5.0. */
    final class V5 implements VersionedClient {
        private final MqttSettings settings;
        private final Mqtt5AsyncClient client;
        private final int receiveMaximum;

        V5(MqttSettings settings, MqttClientBuilder builder, int receiveMaximum, Deliver deliver) {
            this.settings = settings;
            this.receiveMaximum = receiveMaximum;
            var b = builder.useMqttVersion5();
            if (settings.username() != null) {
                // on the client, not the CONNECT: the client's automatic reconnect reuses only what the client holds
                // (a CONNECT's credentials are not sent again: hivemq-mqtt-client#574)
                var auth = Mqtt5SimpleAuth.builder().username(settings.username());
                b.simpleAuth(settings.password() == null ? auth.build()
                        : auth.password(settings.password().reveal().getBytes(StandardCharsets.UTF_8)).build());
            }
            this.client = b.buildAsync();
            boolean replay = settings.replayPrefix() != null;
            client.publishes(MqttGlobalPublishFilter.ALL, p -> deliver.accept(p.getTopic().toString(),
                    p.getQos().getCode(), p.getPayloadAsBytes(), replay ? name -> property(p, name)
                            : UserProperties.NONE, p::acknowledge), Runnable::run, true);
        }

        private static String property(Mqtt5Publish publish, String name) {
            for (Mqtt5UserProperty p : publish.getUserProperties().asList()) {
                if (p.getName().toString().equals(name)) {
                    return p.getValue().toString();
                }
            }
            return null;
        }

        @Override
        public CompletableFuture<Integer> publish(String topic, byte[] payload, List<String[]> properties) {
            Mqtt5UserPropertiesBuilder props = Mqtt5UserProperties.builder();
            for (String[] p : properties) {
                props.add(p[0], p[1]);
            }
            Mqtt5Publish publish = Mqtt5Publish.builder().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload)
                    .retain(false).userProperties(props.build()).build();
            return client.publish(publish).handle((result, error) -> {
                Throwable e = error != null ? Errors.unwrap(error) : result.getError().orElse(null);
                if (e instanceof Mqtt5PubAckException refused) {
                    return refused.getMqttMessage().getReasonCode().getCode();
                }
                if (e != null) {
                    throw e instanceof CompletionException c ? c : new CompletionException(e);
                }
                return result instanceof Mqtt5PublishResult.Mqtt5Qos1Result q1
                        ? q1.getPubAck().getReasonCode().getCode() : 0;
            });
        }

        @Override
        public CompletableFuture<?> connect() {
            var b = Mqtt5Connect.builder()
                    .keepAlive((int) settings.keepAlive().getSeconds())
                    .cleanStart(settings.cleanSession())
                    .sessionExpiryInterval(settings.cleanSession() ? 0 : settings.sessionExpiry().getSeconds())
                    .restrictions().receiveMaximum(receiveMaximum).applyRestrictions();
            return client.connect(b.build());
        }

        @Override
        public CompletableFuture<?> subscribe() {
            List<Mqtt5Subscription> subs = new ArrayList<>();
            for (MqttSettings.Subscription s : settings.subscriptions()) {
                subs.add(Mqtt5Subscription.builder().topicFilter(s.filter()).qos(MqttQos.fromCode(s.qos())).build());
            }
            return client.subscribe(Mqtt5Subscribe.builder().addSubscriptions(subs).build())
                    .thenAccept(ack -> checkSubAck(settings, ack.getReasonCodes(), Mqtt5SubAckReasonCode::isError));
        }

        @Override
        public CompletableFuture<Void> disconnect() {
            return client.disconnect();
        }

        @Override
        public Optional<MqttClientConnectionConfig> connectionConfig() {
            return client.getConfig().getConnectionConfig().map(c -> c);
        }

        @Override
        public Optional<String> refusal(Throwable cause) {
            return cause instanceof Mqtt5ConnAckException e
                    ? Optional.of(e.getMqttMessage().getReasonCode().toString()) : Optional.empty();
        }
    }

    /** MQTT 3.1.1. */
    final class V3 implements VersionedClient {
        private final MqttSettings settings;
        private final Mqtt3AsyncClient client;

        V3(MqttSettings settings, MqttClientBuilder builder, Deliver deliver) {
            this.settings = settings;
            var b = builder.useMqttVersion3();
            if (settings.username() != null) {
                // on the client, not the CONNECT, so that the automatic reconnect sends them too (see V5)
                var auth = Mqtt3SimpleAuth.builder().username(settings.username());
                b.simpleAuth(settings.password() == null ? auth.build()
                        : auth.password(settings.password().reveal().getBytes(StandardCharsets.UTF_8)).build());
            }
            this.client = b.buildAsync();
            client.publishes(MqttGlobalPublishFilter.ALL, p -> deliver.accept(p.getTopic().toString(),
                    p.getQos().getCode(), p.getPayloadAsBytes(), UserProperties.NONE, p::acknowledge), Runnable::run,
                    true);
        }

        @Override
        public CompletableFuture<Integer> publish(String topic, byte[] payload, List<String[]> properties) {
            return client.publish(Mqtt3Publish.builder().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload)
                    .retain(false).build()).thenApply(published -> 0);
        }

        @Override
        public CompletableFuture<?> connect() {
            var connect = client.connectWith()
                    .keepAlive((int) settings.keepAlive().getSeconds())
                    .cleanSession(settings.cleanSession());
            return connect.send();
        }

        @Override
        public CompletableFuture<?> subscribe() {
            List<Mqtt3Subscription> subs = new ArrayList<>();
            for (MqttSettings.Subscription s : settings.subscriptions()) {
                subs.add(Mqtt3Subscription.builder().topicFilter(s.filter()).qos(MqttQos.fromCode(s.qos())).build());
            }
            return client.subscribe(Mqtt3Subscribe.builder().addSubscriptions(subs).build())
                    .thenAccept(ack -> checkSubAck(settings, ack.getReturnCodes(), Mqtt3SubAckReturnCode::isError));
        }

        @Override
        public CompletableFuture<Void> disconnect() {
            return client.disconnect();
        }

        @Override
        public Optional<MqttClientConnectionConfig> connectionConfig() {
            return client.getConfig().getConnectionConfig().map(c -> c);
        }

        @Override
        public Optional<String> refusal(Throwable cause) {
            return cause instanceof Mqtt3ConnAckException e
                    ? Optional.of(e.getMqttMessage().getReturnCode().toString()) : Optional.empty();
        }
    }
}
