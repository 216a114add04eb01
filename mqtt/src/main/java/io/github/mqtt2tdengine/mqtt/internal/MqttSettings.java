package io.github.mqtt2tdengine.mqtt.internal;

import io.github.mqtt2tdengine.mqtt.MqttProtocolVersion;
import io.github.mqtt2tdengine.Secret;
import java.time.Duration;
import java.util.List;

/**
 * Everything the transport builder validated. Not API; may change in any release.
 *
 * @param host broker host (name or IP literal, without brackets)
 * @param port broker port
 * @param version the protocol version
 * @param clientId the client id, never null (generated when not given)
 * @param clientIdGenerated whether it was generated
 * @param keepAlive keep-alive interval
 * @param cleanSession clean session / clean start
 * @param sessionExpiry MQTT 5 session expiry when not clean
 * @param subscriptions filters and QoS as text and number
 * @param username may be null
 * @param password may be null
 * @param tls the TLS factories, or null without TLS
 * @param hostnameVerification whether TLS checks the host name
 * @param webSocketPath the WebSocket path, or null for plain TCP
 * @param connectTimeout how long start() waits for the connection
 * @param reconnectInitial first reconnect delay
 * @param reconnectMax reconnect delay cap
 * @param receiveMaximum MQTT 5 receive maximum, 0 for the pipeline's in-flight bound
 * @param replayPrefix the dead-letter prefix whose messages are replayed as the originals, or null
 */
public record MqttSettings(String host, int port, MqttProtocolVersion version, String clientId, boolean clientIdGenerated,
        Duration keepAlive, boolean cleanSession, Duration sessionExpiry, List<Subscription> subscriptions,
        String username, Secret password, TlsFactories tls, boolean hostnameVerification, String webSocketPath,
        Duration connectTimeout, Duration reconnectInitial, Duration reconnectMax, int receiveMaximum,
        String replayPrefix) {

    /**
     * One subscription.
     *
     * @param filter the topic filter
     * @param qos the maximum QoS
     */
    public record Subscription(String filter, int qos) {
    }

    /**
     * Returns the same broker, credentials, TLS and timeouts for another client: a connection of the dead-letter
     * destination or its keeper session. Nothing of the source's replay is kept.
     *
     * @param id the client id
     * @param clean clean session / clean start
     * @param expiry MQTT 5 session expiry when not clean
     * @param subs the subscriptions
     * @param receiveMax the MQTT 5 receive maximum (at least 1)
     * @return the settings
     */
    public MqttSettings forClient(String id, boolean clean, Duration expiry, List<Subscription> subs, int receiveMax) {
        return new MqttSettings(host, port, version, id, false, keepAlive, clean, expiry, List.copyOf(subs), username,
                password, tls, hostnameVerification, webSocketPath, connectTimeout, reconnectInitial, reconnectMax,
                receiveMax, null);
    }

    /**
     * Returns the endpoint as {@code host:port} ({@code [v6]:port} for IPv6), for logs.
     *
     * @return the endpoint
     */
    public String endpoint() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * Logs a generated client id at INFO (a persistent session never has one: the builder refuses it).
     *
     * @param log the session's logger
     */
    public void logClientId(org.slf4j.Logger log) {
        if (clientIdGenerated) {
            log.info("MQTT: no client id set, using generated '{}'", clientId);
        }
    }

    @Override
    public String toString() {
        return "MqttSettings{" + endpoint() + ", version=" + version.text() + ", clientId=" + clientId + ", username="
                + username + ", password=" + (password == null ? "none" : password) + '}';
    }
}
