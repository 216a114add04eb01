package io.github.mqtt2tdengine.mqtt.testing;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** A separate MQTT 5 client that publishes test messages: {"id":..,"seq":..,"ts":..}. */
public final class Publisher implements AutoCloseable {
    public static final long BASE_TS = 1_764_000_000_000L;
    private final Mqtt5BlockingClient client;
    private final int port;

    public Publisher(int port) {
        this(port, null, null);
    }

    /** A publisher that logs in with the given user and password (both null: anonymous). */
    public Publisher(int port, String user, String password) {
        this.port = port;
        client = MqttClient.builder().useMqttVersion5().identifier("test-publisher-" + System.nanoTime())
                .serverHost("127.0.0.1").serverPort(port)
                .automaticReconnect().initialDelay(50, TimeUnit.MILLISECONDS).maxDelay(500, TimeUnit.MILLISECONDS)
                .applyAutomaticReconnect().buildBlocking();
        if (user == null) {
            client.connect();
        } else {
            client.connectWith().simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth().send();
        }
    }

    public static String payload(int seq, int devices) {
        return "{\"id\":" + (seq % devices) + ",\"seq\":" + seq + ",\"ts\":" + (BASE_TS + seq) + "}";
    }

    public void publish(String topic, String payload, int qos) {
        client.publishWith().topic(topic).qos(MqttQos.fromCode(qos)).payload(payload.getBytes(StandardCharsets.UTF_8))
                .send();
    }

    /** Publishes seq from..to-1 on topic, retrying each one until the broker takes it (across broker restarts). */
    public void publishRange(String topic, int from, int to, int qos, int devices) {
        for (int seq = from; seq < to; seq++) {
            while (true) {
                try {
                    publish(topic, payload(seq, devices), qos);
                    break;
                } catch (RuntimeException brokerDown) {
                    try {
                        TimeUnit.MILLISECONDS.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /**
     * Leaves a persistent session for {@code clientId} subscribed to {@code filter} at QoS 1 (MQTT 3.1.1, clean
     * session false), so that what is published next waits in the broker for that client.
     */
    public void subscribeSession(String clientId, String filter) {
        Mqtt3BlockingClient c = MqttClient.builder().useMqttVersion3().identifier(clientId).serverHost("127.0.0.1")
                .serverPort(port).buildBlocking();
        c.connectWith().cleanSession(false).send();
        c.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
        c.disconnect();
    }

    @Override
    public void close() {
        try {
            client.disconnect();
        } catch (RuntimeException ignored) {
            // already gone
        }
    }
}
