package io.github.mqtt2tdengine.mqtt.testing;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.FieldTarget;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A separate MQTT client that publishes test messages: {"id":..,"seq":..,"ts":..}. It speaks MQTT 5 by default, or
 * MQTT 3.1.1 for brokers that speak nothing newer (RabbitMQ 3.10).
 */
public final class Publisher implements AutoCloseable {
    public static final long BASE_TS = 1_764_000_000_000L;
    private final Mqtt5BlockingClient client;
    private final Mqtt3BlockingClient client3;
    private final int port;
    private final String user;
    private final String password;

    public Publisher(int port) {
        this(port, null, null);
    }

    /** A publisher that logs in with the given user and password (both null: anonymous). */
    public Publisher(int port, String user, String password) {
        this(port, user, password, false);
    }

    /**
     * A publisher that logs in with the given user and password (both null: anonymous), over MQTT 3.1.1 when
     * {@code mqtt3} is true, otherwise over MQTT 5.
     */
    public Publisher(int port, String user, String password, boolean mqtt3) {
        this.port = port;
        this.user = user;
        this.password = password;
        String id = "test-publisher-" + System.nanoTime();
        if (mqtt3) {
            client = null;
            // credentials on the client, not the CONNECT: its automatic reconnect sends only the client's
            var b3 = MqttClient.builder().useMqttVersion3().identifier(id).serverHost("127.0.0.1").serverPort(port)
                    .automaticReconnect().initialDelay(50, TimeUnit.MILLISECONDS).maxDelay(500, TimeUnit.MILLISECONDS)
                    .applyAutomaticReconnect();
            if (user != null) {
                b3.simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth();
            }
            client3 = b3.buildBlocking();
            client3.connect();
            return;
        }
        client3 = null;
        var b5 = MqttClient.builder().useMqttVersion5().identifier(id)
                .serverHost("127.0.0.1").serverPort(port)
                .automaticReconnect().initialDelay(50, TimeUnit.MILLISECONDS).maxDelay(500, TimeUnit.MILLISECONDS)
                .applyAutomaticReconnect();
        if (user != null) {
            b5.simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth();
        }
        client = b5.buildBlocking();
        client.connect();
    }

    /** The mapping of {@link #payload}: message time as primary key, tag id, column seq, topic and QoS columns. */
    public static PayloadSpec spec() {
        return PayloadSpec.json()
                .timestamp("$.ts", TimestampUnit.MILLISECONDS)
                .tag("id", "$.id", ColumnType.INT)
                .column("seq", "$.seq", ColumnType.BIGINT)
                .topic(FieldTarget.COLUMN)
                .qos(FieldTarget.COLUMN)
                .build();
    }

    public static String payload(int seq, int devices) {
        return "{\"id\":" + (seq % devices) + ",\"seq\":" + seq + ",\"ts\":" + (BASE_TS + seq) + "}";
    }

    public void publish(String topic, String payload, int qos) {
        if (client3 != null) {
            client3.publishWith().topic(topic).qos(MqttQos.fromCode(qos))
                    .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
            return;
        }
        client.publishWith().topic(topic).qos(MqttQos.fromCode(qos)).payload(payload.getBytes(StandardCharsets.UTF_8))
                .send();
    }

    /** Publishes raw bytes. */
    public void publish(String topic, byte[] payload, int qos) {
        if (client3 != null) {
            client3.publishWith().topic(topic).qos(MqttQos.fromCode(qos)).payload(payload).send();
            return;
        }
        client.publishWith().topic(topic).qos(MqttQos.fromCode(qos)).payload(payload).send();
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
        if (user == null) {
            c.connectWith().cleanSession(false).send();
        } else {
            c.connectWith().cleanSession(false).simpleAuth().username(user)
                    .password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();
        }
        c.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
        c.disconnect();
    }

    @Override
    public void close() {
        try {
            if (client3 != null) {
                client3.disconnect();
            } else {
                client.disconnect();
            }
        } catch (RuntimeException ignored) {
            // already gone
        }
    }
}
