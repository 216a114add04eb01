package io.github.mqtt2tdengine.settings;

/**
 * The {@code mqtt} section: the MQTT source ({@code MqttTransport.builder()}). Immutable; every component may be null
 * (not set: the builder's default); {@code toString()} hides the password.
 *
 * @param endpoint broker address host:port ([::1]:1883 for IPv6) or a URL (tcp, mqtt, ssl, tls, mqtts, ws, wss);
 *     required
 * @param protocolVersion MQTT protocol version: 3.1, 3.1.1 or 5.0; default 5.0
 * @param clientId MQTT client id; default a generated mqtt2td-&lt;12 hex&gt;; required with cleanSession false
 * @param keepAliveSeconds keep-alive interval in seconds; default 60
 * @param cleanSession false for a persistent session (the broker queues messages while the pipeline is down);
 *     default true
 * @param sessionExpirySeconds MQTT 5 session expiry of a persistent session, in seconds; default 86400 (1 day)
 * @param topics topic filters with QoS, e.g. plant/+/meters::1,plant/alarms/#::0 ($share/group/filter for shared
 *     subscriptions; QoS 1 when left out); required
 * @param username user name; anonymous when not set
 * @param password password, only with username; never logged
 * @param tls TLS for the broker connection; off when not set
 * @param webSocketPath MQTT over WebSocket at this path, e.g. /mqtt; plain TCP when not set
 * @param connectTimeoutSeconds how long start waits for the broker, in seconds; default 10
 * @param reconnectInitialMillis first delay of the capped exponential reconnect backoff, in ms; default 1000
 * @param reconnectMaxMillis longest delay of the reconnect backoff, in ms; default 30000
 * @param receiveMaximum MQTT 5 receive maximum; 0 ties it to the pipeline's maxInFlight; default 65535
 * @since 0.1.0
 */
public record MqttSettings(String endpoint, String protocolVersion, String clientId, Integer keepAliveSeconds,
        Boolean cleanSession, Integer sessionExpirySeconds, String topics, String username, String password,
        TlsSettings tls, String webSocketPath, Integer connectTimeoutSeconds, Integer reconnectInitialMillis,
        Integer reconnectMaxMillis, Integer receiveMaximum) {
    @Override
    public String toString() {
        return "MqttSettings[endpoint=" + endpoint + ", protocolVersion=" + protocolVersion + ", clientId=" + clientId
                + ", keepAliveSeconds=" + keepAliveSeconds + ", cleanSession=" + cleanSession
                + ", sessionExpirySeconds=" + sessionExpirySeconds + ", topics=" + topics + ", username=" + username
                + ", password=" + (password == null ? null : "****") + ", tls=" + tls + ", webSocketPath="
                + webSocketPath + ", connectTimeoutSeconds=" + connectTimeoutSeconds + ", reconnectInitialMillis="
                + reconnectInitialMillis + ", reconnectMaxMillis=" + reconnectMaxMillis + ", receiveMaximum="
                + receiveMaximum + "]";
    }
}
