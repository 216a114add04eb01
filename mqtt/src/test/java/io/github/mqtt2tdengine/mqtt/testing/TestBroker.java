package io.github.mqtt2tdengine.mqtt.testing;

import io.github.mqtt2tdengine.mqtt.MqttTransport;
import java.util.List;

/**
 * A real MQTT broker the tests start on 127.0.0.1 (a child process or embedded in the test JVM), with what it can do,
 * so that one test runs against every broker that supports its case (BrokerMatrixIT).
 */
public interface TestBroker extends AutoCloseable {
    /** The broker's name in test reports: mosquitto, hivemq-ce, rabbitmq, ejabberd. */
    String name();

    /** The plain TCP listener on 127.0.0.1. */
    int port();

    /** The TLS listener on 127.0.0.1 (certificate {@code server.crt} of the {@link TestCerts}), or -1 without one. */
    int tlsPort();

    /** The MQTT protocol versions the broker speaks, of "3.1", "3.1.1" and "5.0". */
    List<String> protocolVersions();

    /** Whether the broker serves MQTT 5 shared subscriptions ({@code $share/<group>/<filter>}). */
    boolean sharedSubscriptions();

    /** Whether a persistent session (clean session false) and its queued messages survive a restart of the broker. */
    boolean sessionsSurviveRestart();

    /** The user name clients log in with, or null for anonymous clients. */
    default String user() {
        return null;
    }

    /** The password clients log in with, or null for anonymous clients. */
    default String password() {
        return null;
    }

    /** Stops the broker gracefully and starts it again on the same ports with the same persistent state. */
    void restart();

    /** The broker's own log, for a failure message. */
    String log();

    /**
     * A transport builder for this broker: its plain port, its credentials, MQTT 5 where the broker speaks it and
     * MQTT 3.1.1 otherwise.
     */
    default MqttTransport.Builder transport() {
        MqttTransport.Builder b = MqttTransport.builder().endpoint("127.0.0.1:" + port())
                .protocolVersion(protocolVersions().contains("5.0") ? "5.0" : "3.1.1");
        if (user() != null) {
            b.credentials(user(), password());
        }
        return b;
    }

    /** A publisher for this broker: MQTT 5 where the broker speaks it, MQTT 3.1.1 otherwise. */
    default Publisher publisher() {
        return new Publisher(port(), user(), password(), !protocolVersions().contains("5.0"));
    }

    /** Stops the broker; nothing it started outlives this call. Idempotent. */
    @Override
    void close();
}
