package io.github.mqtt2tdengine.mqtt.testing;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import io.github.mqtt2tdengine.DeadLetter;
import io.github.mqtt2tdengine.deadletters.DeadLetterEnvelope;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A separate MQTT client that reads dead letters back, as an operator would: connects with a client id on a
 * persistent session (the keeper's, to receive what the broker kept), subscribes to a filter at QoS 1 and
 * acknowledges what it receives. MQTT 5 (user properties) or 3.1.1 (envelope).
 */
public final class DeadLetterReader implements AutoCloseable {
    /** One message as received: topic, payload, the MQTT 5 user properties (empty with 3.1.1). */
    public record Received(String topic, byte[] payload, Map<String, String> properties) {
        /** The envelope in the payload (MQTT 3.1.1 dead letters). */
        public DeadLetter envelope() {
            return DeadLetterEnvelope.decode(payload);
        }

        /** The original topic: from the user property (MQTT 5) or the envelope (3.1.1). */
        public String originalTopic() {
            String t = properties.get(DeadLetterEnvelope.PROPERTY_PREFIX + DeadLetterEnvelope.TOPIC);
            return t != null ? t : envelope().topic();
        }

        /** The original payload: as received (MQTT 5) or from the envelope (3.1.1). */
        public byte[] originalPayload() {
            return properties.isEmpty() ? envelope().payload() : payload;
        }

        /** The reason's name: from the user property (MQTT 5) or the envelope (3.1.1). */
        public String reason() {
            String r = properties.get(DeadLetterEnvelope.PROPERTY_PREFIX + DeadLetterEnvelope.REASON);
            return r != null ? r : envelope().reason().name();
        }
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Mqtt5AsyncClient client5;
    private final Mqtt3AsyncClient client3;

    private DeadLetterReader(int port, String user, String password, boolean mqtt5, String clientId, String filter)
            throws Exception {
        if (mqtt5) {
            client3 = null;
            var b = MqttClient.builder().useMqttVersion5().identifier(clientId).serverHost("127.0.0.1")
                    .serverPort(port);
            if (user != null) {
                b.simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth();
            }
            client5 = b.buildAsync();
            client5.publishes(MqttGlobalPublishFilter.ALL, p -> {
                Map<String, String> props = new LinkedHashMap<>();
                for (Mqtt5UserProperty u : p.getUserProperties().asList()) {
                    props.put(u.getName().toString(), u.getValue().toString());
                }
                received.add(new Received(p.getTopic().toString(), p.getPayloadAsBytes(), props));
            });
            client5.connectWith().cleanStart(false).sessionExpiryInterval(4_294_967_295L).send()
                    .get(10, TimeUnit.SECONDS);
            client5.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS);
        } else {
            client5 = null;
            var b = MqttClient.builder().useMqttVersion3().identifier(clientId).serverHost("127.0.0.1")
                    .serverPort(port);
            if (user != null) {
                b.simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth();
            }
            client3 = b.buildAsync();
            client3.publishes(MqttGlobalPublishFilter.ALL, p -> received.add(new Received(p.getTopic().toString(),
                    p.getPayloadAsBytes(), Map.of())));
            client3.connectWith().cleanSession(false).send().get(10, TimeUnit.SECONDS);
            client3.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS);
        }
    }

    /** Connects as {@code clientId} on a persistent session and subscribes to {@code filter}. */
    public static DeadLetterReader open(int port, String user, String password, String version, String clientId,
            String filter) throws Exception {
        return new DeadLetterReader(port, user, password, "5.0".equals(version), clientId, filter);
    }

    /** Anonymous. */
    public static DeadLetterReader open(int port, String version, String clientId, String filter) throws Exception {
        return open(port, null, null, version, clientId, filter);
    }

    /** What was received so far, in order. */
    public List<Received> received() {
        return received;
    }

    /** Disconnects; the session stays with the broker. */
    @Override
    public void close() {
        try {
            (client5 != null ? client5.disconnect() : client3.disconnect()).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("disconnect failed", e);
        }
    }
}
