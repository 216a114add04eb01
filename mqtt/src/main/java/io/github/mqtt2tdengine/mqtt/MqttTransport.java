package io.github.mqtt2tdengine.mqtt;

import io.github.mqtt2tdengine.Secret;
import io.github.mqtt2tdengine.errors.TransportException;
import io.github.mqtt2tdengine.mqtt.internal.DeadLetterTopics;
import io.github.mqtt2tdengine.mqtt.internal.HiveMqSession;
import io.github.mqtt2tdengine.mqtt.internal.MqttSession;
import io.github.mqtt2tdengine.mqtt.internal.MqttSettings;
import io.github.mqtt2tdengine.mqtt.internal.PahoCheck;
import io.github.mqtt2tdengine.mqtt.internal.PahoSession;
import io.github.mqtt2tdengine.spi.ConnectionState;
import io.github.mqtt2tdengine.spi.Transport;
import io.github.mqtt2tdengine.spi.TransportContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The MQTT source: subscribes with manual acknowledgement on the HiveMQ MQTT Client (MQTT 3.1.1 and 5.0) or Eclipse
 * Paho (MQTT 3.1), and acknowledges each message only when the pipeline says its rows are committed.
 *
 * <p>Messages are handed to the pipeline on the client's own network thread (never through the HiveMQ client's
 * queueing callback pool, which drops QoS 0 messages silently when it falls behind). When the pipeline reaches its
 * in-flight bound it pauses the transport, which stops reading the connection, so a slow sink leaves the backlog in
 * the socket buffers and the broker whatever the broker's delivery window; only the messages of the socket reads under
 * way (at most two of 64 KiB) are still delivered. The client reconnects
 * by itself with capped exponential backoff, logging every attempt at WARN, and resubscribes when the broker lost the
 * session. Immutable once built; {@link #toString()} hides the password.
 *
 * @since 0.1.0
 */
public final class MqttTransport implements Transport {
    private final MqttSettings settings;
    private final String description;
    private volatile MqttSession session;

    private MqttTransport(MqttSettings settings, String description) {
        this.settings = settings;
        this.description = description;
    }

    /**
     * Starts a builder.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects, subscribes and starts delivering to the context; blocks at most the connect timeout.
     * Called once, by {@code SyncPipeline.start()}.
     *
     * @param context the pipeline
     * @throws TransportException naming the broker and what failed: unreachable, refused credentials, TLS, refused
     *     subscription, timeout
     */
    @Override
    public synchronized void start(TransportContext context) {
        Objects.requireNonNull(context, "context must not be null");
        if (session != null) {
            throw new IllegalStateException("transport to " + settings.endpoint() + " is already started");
        }
        MqttSession s = settings.version() == MqttProtocolVersion.V3_1 ? new PahoSession(settings)
                : new HiveMqSession(settings);
        session = s;
        s.start(context);
    }

    @Override
    public void pause() {
        MqttSession s = session;
        if (s != null) {
            s.pause();
        }
    }

    @Override
    public void resume() {
        MqttSession s = session;
        if (s != null) {
            s.resume();
        }
    }

    /**
     * Returns the connection state.
     *
     * @return the state; DISCONNECTED before start
     */
    public ConnectionState connectionState() {
        MqttSession s = session;
        return s == null ? ConnectionState.DISCONNECTED : s.state();
    }

    /**
     * Returns the client id (generated when none was set).
     *
     * @return the client id
     */
    public String clientId() {
        return settings.clientId();
    }

    /**
     * Returns the filters of the topics the pipeline sees, for the pipeline builder's checks: the subscribed filters,
     * where a subscription under the {@linkplain Builder#deadLetterReplay(String) replay prefix} stands for the
     * original topics it replays ({@code mqtt2td/dead-letters/#} for {@code #}, {@code
     * mqtt2td/dead-letters/plant/+/meters} for {@code plant/+/meters}).
     *
     * @return the filters, in the order given
     */
    @Override
    public List<String> topicFilters() {
        List<String> filters = new ArrayList<>();
        for (MqttSettings.Subscription s : settings.subscriptions()) {
            filters.add(DeadLetterTopics.original(s.filter(), settings.replayPrefix()));
        }
        return List.copyOf(filters);
    }

    /** The validated settings, for the dead-letter destination that connects to the same broker. */
    MqttSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        MqttSession s = session;
        if (s != null) {
            s.close();
        }
    }

    @Override
    public String toString() {
        return description;
    }

    /** The URL schemes {@link Builder#endpoint(String)} takes. */
    private enum Scheme {
        TCP(false, false, 1883), MQTT(false, false, 1883), SSL(true, false, 8883), TLS(true, false, 8883),
        MQTTS(true, false, 8883), WS(false, true, 80), WSS(true, true, 443);

        final boolean tls;
        final boolean webSocket;
        final int defaultPort;

        Scheme(boolean tls, boolean webSocket, int defaultPort) {
            this.tls = tls;
            this.webSocket = webSocket;
            this.defaultPort = defaultPort;
        }

        static Scheme of(String name) {
            for (Scheme s : values()) {
                if (s.name().equalsIgnoreCase(name)) {
                    return s;
                }
            }
            return null;
        }
    }

    /** Builds a {@link MqttTransport}; mutable, not thread-safe, reusable. */
    public static final class Builder {
        /** Broker host when none is set: {@value}. */
        public static final String DEFAULT_HOST = "localhost";
        /** Broker port without TLS when none is set: {@value}. */
        public static final int DEFAULT_PORT = 1883;
        /** Broker port with TLS when none is set: {@value}. */
        public static final int DEFAULT_TLS_PORT = 8883;
        /** Protocol version when none is set: 5.0. */
        public static final MqttProtocolVersion DEFAULT_VERSION = MqttProtocolVersion.V5;
        /** Keep-alive interval when none is set: 60 s (the default of the TDengine Cloud MQTT data source form). */
        public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(60);
        /** Clean session when not set: {@value} (the default of the TDengine Cloud MQTT data source form). */
        public static final boolean DEFAULT_CLEAN_SESSION = true;
        /** MQTT 5 session expiry of a persistent session when none is set: 1 day. */
        public static final Duration DEFAULT_SESSION_EXPIRY = Duration.ofDays(1);
        /** How long {@code start()} waits for the broker when not set: 10 s. */
        public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
        /** First reconnect delay when not set: 1 s. */
        public static final Duration DEFAULT_RECONNECT_INITIAL = Duration.ofSeconds(1);
        /** Longest reconnect delay when not set: 30 s. */
        public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(30);
        /** MQTT 5 receive maximum when not set: {@value}, the protocol's largest (see {@link #receiveMaximum}). */
        public static final int DEFAULT_RECEIVE_MAXIMUM = 65_535;

        private String host = DEFAULT_HOST;
        private Integer port;
        private MqttProtocolVersion version = DEFAULT_VERSION;
        private String clientId;
        private Duration keepAlive = DEFAULT_KEEP_ALIVE;
        private boolean cleanSession = DEFAULT_CLEAN_SESSION;
        private Duration sessionExpiry = DEFAULT_SESSION_EXPIRY;
        private final List<TopicSubscription> subscriptions = new ArrayList<>();
        private String username;
        private Secret password;
        private TlsConfig tls;
        private String webSocketPath;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration reconnectInitial = DEFAULT_RECONNECT_INITIAL;
        private Duration reconnectMax = DEFAULT_RECONNECT_MAX;
        private int receiveMaximum = DEFAULT_RECEIVE_MAXIMUM;
        private Scheme scheme;
        private final Set<String> replayPrefixes = new LinkedHashSet<>();

        private Builder() {
        }

        /**
         * Sets the broker host: a name, an IPv4 literal or an IPv6 literal (with or without brackets); default
         * {@value #DEFAULT_HOST}.
         *
         * @param host the host
         * @return this builder
         */
        public Builder serverHost(String host) {
            Objects.requireNonNull(host, "serverHost must not be null");
            String h = host.trim();
            if (h.startsWith("[") && h.endsWith("]")) {
                h = h.substring(1, h.length() - 1);
            }
            if (h.isEmpty()) {
                throw new IllegalArgumentException("serverHost must not be empty");
            }
            this.host = h;
            return this;
        }

        /**
         * Sets the broker port; default {@value #DEFAULT_PORT}, or {@value #DEFAULT_TLS_PORT} with TLS.
         *
         * @param port 1 to 65535
         * @return this builder
         */
        public Builder serverPort(int port) {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("serverPort must be between 1 and 65535, but was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Sets host and port from the "MQTT Server Endpoint" of the TDengine Cloud MQTT data source form:
         * {@code 192.168.1.10:1883}, {@code broker.local:8883}, {@code [::1]:1883}; without a port the default
         * applies. A URL form is taken with its meaning: {@code tcp://} and {@code mqtt://} plain TCP;
         * {@code ssl://}, {@code tls://} and {@code mqtts://} TLS (with the JVM's trust store unless
         * {@link #tls(TlsConfig)} says otherwise); {@code ws://} and {@code wss://} MQTT over WebSocket at the URL's
         * path ({@code /mqtt} when it has none), default ports 80 and 443.
         *
         * @param endpoint {@code host:port} or {@code scheme://host:port[/path]}
         * @return this builder
         * @throws IllegalArgumentException naming the endpoint when it cannot be read, with the forms it takes
         */
        public Builder endpoint(String endpoint) {
            Objects.requireNonNull(endpoint, "endpoint must not be null");
            String e = endpoint.trim();
            Scheme scheme = null;
            int sep = e.indexOf("://");
            if (sep >= 0) {
                String name = e.substring(0, sep).toLowerCase(java.util.Locale.ROOT);
                scheme = Scheme.of(name);
                if (scheme == null) {
                    throw new IllegalArgumentException("endpoint '" + endpoint + "': unknown scheme '" + name
                            + "'; write host:port, or a URL with tcp://, mqtt://, ssl://, tls://, mqtts://, ws:// or "
                            + "wss://");
                }
                e = e.substring(sep + 3);
                int slash = e.indexOf('/');
                String path = slash < 0 ? "" : e.substring(slash);
                e = slash < 0 ? e : e.substring(0, slash);
                if (!scheme.webSocket && !path.isEmpty() && !path.equals("/")) {
                    throw new IllegalArgumentException("endpoint '" + endpoint + "': a " + name + ":// endpoint has "
                            + "no path; for MQTT over WebSocket write ws://host:port" + path);
                }
                if (scheme.webSocket) {
                    webSocket(path.isEmpty() || path.equals("/") ? "/mqtt" : path);
                } else {
                    webSocket(null);
                }
            }
            String h;
            String p = null;
            if (e.startsWith("[")) {
                int close = e.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("endpoint '" + endpoint + "' has '[' without ']'");
                }
                h = e.substring(1, close);
                String rest = e.substring(close + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) {
                        throw new IllegalArgumentException("endpoint '" + endpoint + "' must be [ipv6]:port");
                    }
                    p = rest.substring(1);
                }
            } else {
                int colon = e.lastIndexOf(':');
                if (colon >= 0 && e.indexOf(':') != colon) {
                    throw new IllegalArgumentException("endpoint '" + endpoint + "': write IPv6 addresses in brackets, "
                            + "like [::1]:1883");
                }
                h = colon < 0 ? e : e.substring(0, colon);
                p = colon < 0 ? null : e.substring(colon + 1);
            }
            if (h.isEmpty()) {
                throw new IllegalArgumentException("endpoint '" + endpoint + "' has no host");
            }
            serverHost(h);
            this.scheme = scheme;
            if (scheme != null && p == null) {
                this.port = scheme.defaultPort;
            }
            if (p != null) {
                try {
                    serverPort(Integer.parseInt(p));
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException("endpoint '" + endpoint + "': port must be a number, but was '"
                            + p + "'", ex);
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException("endpoint '" + endpoint + "': " + ex.getMessage(), ex);
                }
            }
            return this;
        }

        /**
         * Sets the protocol version; default 5.0. Version 3.1 is spoken through Eclipse Paho.
         *
         * @param version the version
         * @return this builder
         */
        public Builder protocolVersion(MqttProtocolVersion version) {
            this.version = Objects.requireNonNull(version, "protocolVersion must not be null");
            return this;
        }

        /**
         * Sets the protocol version as the TDengine Cloud MQTT data source form writes it: {@code 3.1}, {@code 3.1.1}
         * or {@code 5.0}.
         *
         * @param version the version text
         * @return this builder
         */
        public Builder protocolVersion(String version) {
            return protocolVersion(MqttProtocolVersion.parse(Objects.requireNonNull(version,
                    "protocolVersion must not be null")));
        }

        /**
         * Sets the client id; when absent one is generated ({@code mqtt2td-} and 12 hex digits) and logged. A
         * persistent session ({@code cleanSession(false)}) needs a fixed id to find its session after a restart.
         *
         * @param clientId 1 to 65535 characters (at most 23 for MQTT 3.1)
         * @return this builder
         */
        public Builder clientId(String clientId) {
            Objects.requireNonNull(clientId, "clientId must not be null");
            if (clientId.isEmpty()) {
                throw new IllegalArgumentException("clientId must not be empty; leave it unset to generate one");
            }
            this.clientId = clientId;
            return this;
        }

        /**
         * Sets the keep-alive interval; default 60 s.
         *
         * @param keepAlive 0 (off) to 65535 s
         * @return this builder
         */
        public Builder keepAlive(Duration keepAlive) {
            Objects.requireNonNull(keepAlive, "keepAlive must not be null");
            if (keepAlive.isNegative() || keepAlive.getSeconds() > 65_535) {
                throw new IllegalArgumentException("keepAlive must be between 0 and 65535 s, but was " + keepAlive);
            }
            this.keepAlive = keepAlive;
            return this;
        }

        /**
         * Sets whether the session is clean (MQTT 5: clean start, session expiry 0); default true. With false, the
         * broker keeps the subscription and queues messages while the pipeline is down (needs a fixed client id).
         *
         * @param clean whether to start clean
         * @return this builder
         */
        public Builder cleanSession(boolean clean) {
            this.cleanSession = clean;
            return this;
        }

        /**
         * Sets how long an MQTT 5 broker keeps a persistent session after a disconnect; default 1 day. Ignored with
         * a clean session and by MQTT 3 brokers (they keep it until the next clean connect).
         *
         * @param expiry 1 s to about 136 years
         * @return this builder
         */
        public Builder sessionExpiry(Duration expiry) {
            Objects.requireNonNull(expiry, "sessionExpiry must not be null");
            if (expiry.getSeconds() < 1 || expiry.getSeconds() > 4_294_967_295L) {
                throw new IllegalArgumentException("sessionExpiry must be between 1 s and 4294967295 s, but was "
                        + expiry);
            }
            this.sessionExpiry = expiry;
            return this;
        }

        /**
         * Subscribes to a topic filter at QoS 1.
         *
         * @param filter a filter with optional {@code +}/{@code #} wildcards, or {@code $share/group/filter}
         * @return this builder
         */
        public Builder subscribe(String filter) {
            return subscribe(filter, 1);
        }

        /**
         * Subscribes to a topic filter at a QoS.
         *
         * @param filter the filter
         * @param qos 0, 1 or 2
         * @return this builder
         */
        public Builder subscribe(String filter, int qos) {
            subscriptions.add(TopicSubscription.of(filter, qos));
            return this;
        }

        /**
         * Subscribes to the "Topic QoS Config" of the TDengine Cloud MQTT data source form: {@code
         * plant/+/meters::1,plant/alarms/#::0}.
         *
         * @param config comma-separated {@code filter::qos} entries
         * @return this builder
         * @throws IllegalArgumentException naming the bad entry
         */
        public Builder topics(String config) {
            subscriptions.addAll(TopicSubscription.parseList(config));
            return this;
        }

        /**
         * Replays the dead letters that {@link MqttDeadLetters} kept under a prefix: subscribes to {@code <prefix>/#}
         * at QoS 1 and hands each message there to the pipeline as the message it first received, with its original
         * topic, payload, QoS and receive time (MQTT 5: from the user properties, the payload as it is; MQTT 3.1.1
         * and 3.1: decoded from the envelope; an MQTT 5 dead letter read over MQTT 3, which drops user properties:
         * the topic without the prefix). Routes, topic-level fields and sub-table templates then see the original
         * topic, so the pipeline's normal mapping applies unchanged; {@link #topicFilters()} reports {@code #} for
         * the subscription. A message under the prefix that cannot be read (a damaged envelope) is delivered as it
         * is, on its dead-letter topic, so the pipeline dead-letters it again: nothing is dropped.
         *
         * <p>To receive what the broker kept, connect with the keeper's client id and a persistent session: {@code
         * .clientId(MqttDeadLetters.defaultKeeperClientId("plant-a")).cleanSession(false)}. Do not give such a
         * pipeline an {@link MqttDeadLetters} with the same prefix: its dead letters would come back to it (that
         * destination's {@code build()} refuses it).
         *
         * @param prefix the prefix the dead letters were published under, for example {@value
         *     MqttDeadLetters#DEFAULT_PREFIX}
         * @return this builder
         * @throws IllegalArgumentException when the prefix is not a topic without wildcards
         * @since 0.1.0
         */
        public Builder deadLetterReplay(String prefix) {
            return deadLetterReplay(prefix, "#");
        }

        /**
         * Replays the part of the dead letters under a prefix whose original topics match a filter: subscribes to
         * {@code <prefix>/<originalFilter>} (see {@link #deadLetterReplay(String)}). {@link #topicFilters()} reports
         * {@code originalFilter}, so the pipeline builder checks topic-level fields against it.
         *
         * @param prefix the prefix the dead letters were published under
         * @param originalFilter a filter of original topics, for example {@code plant/+/meters}
         * @return this builder
         * @throws IllegalArgumentException when the prefix or the filter is not valid
         * @since 0.1.0
         */
        public Builder deadLetterReplay(String prefix, String originalFilter) {
            DeadLetterTopics.checkPrefix(prefix, "deadLetterReplay prefix");
            Objects.requireNonNull(originalFilter, "originalFilter must not be null");
            if (originalFilter.startsWith("$share/")) {
                throw new IllegalArgumentException("originalFilter '" + originalFilter + "' must be a filter of "
                        + "original topics, without $share/");
            }
            TopicSubscription s = TopicSubscription.of(prefix + "/" + originalFilter, 1);
            replayPrefixes.add(prefix);
            subscriptions.add(s);
            return this;
        }

        /**
         * Sets username and password; without them the connection is anonymous. The password is never logged.
         *
         * @param username the username
         * @param password the password, may be null for a username alone
         * @return this builder
         */
        public Builder credentials(String username, String password) {
            return credentials(username, password == null ? null : Secret.of(password));
        }

        /**
         * Sets username and password.
         *
         * @param username the username
         * @param password the password, may be null
         * @return this builder
         */
        public Builder credentials(String username, Secret password) {
            this.username = Objects.requireNonNull(username, "username must not be null");
            this.password = password;
            return this;
        }

        /**
         * Turns TLS on with the given settings (CA only: server authentication; CA, certificate and key: mutual TLS).
         *
         * @param tls the settings, or null to turn TLS off
         * @return this builder
         */
        public Builder tls(TlsConfig tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Connects over WebSocket (ws, or wss with TLS) at the given path instead of plain TCP.
         *
         * @param path the HTTP path, for example {@code /mqtt}; null for plain TCP
         * @return this builder
         */
        public Builder webSocket(String path) {
            this.webSocketPath = path == null ? null : (path.startsWith("/") ? path : "/" + path);
            return this;
        }

        /**
         * Sets how long {@code start()} waits for the broker; default 10 s.
         *
         * @param timeout greater than 0
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "connectTimeout must not be null");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be greater than 0, but was " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Sets the capped exponential backoff between reconnect attempts; default 1 s to 30 s.
         *
         * @param initial the first delay, greater than 0
         * @param max the cap, at least initial
         * @return this builder
         */
        public Builder reconnectBackoff(Duration initial, Duration max) {
            Objects.requireNonNull(initial, "initial must not be null");
            Objects.requireNonNull(max, "max must not be null");
            if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("reconnect backoff must satisfy 0 < initial <= max, but was "
                        + initial + " and " + max);
            }
            this.reconnectInitial = initial;
            this.reconnectMax = max;
            return this;
        }

        /**
         * Sets the MQTT 5 receive maximum: how many unacknowledged QoS 1/2 messages the broker may send. Default
         * {@value #DEFAULT_RECEIVE_MAXIMUM}, leaving the window to the broker's own setting (mosquitto
         * {@code max_inflight_messages}, EMQX {@code max_inflight}); {@link #receiveMaximumFromPipeline()} ties it
         * to the pipeline's {@code maxInFlight}. Memory does not depend on it (the transport stops reading at the
         * pipeline's bound). Only tie it on brokers that honour it exactly: mosquitto 2.0.11 (Debian 12) was measured
         * sending about twice the window once acknowledgements flow, and the HiveMQ client then drops the connection
         * (RECEIVE_MAXIMUM_EXCEEDED). Ignored for MQTT 3.
         *
         * @param max 1 to 65535
         * @return this builder
         */
        public Builder receiveMaximum(int max) {
            if (max < 1 || max > 65_535) {
                throw new IllegalArgumentException("receiveMaximum must be between 1 and 65535, but was " + max
                        + "; receiveMaximumFromPipeline() ties it to the pipeline's in-flight bound");
            }
            this.receiveMaximum = max;
            return this;
        }

        /**
         * Ties the MQTT 5 receive maximum to the pipeline's {@code maxInFlight} (at most 65535); only for brokers
         * that honour it exactly (see {@link #receiveMaximum(int)}). Ignored for MQTT 3.
         *
         * @return this builder
         */
        public Builder receiveMaximumFromPipeline() {
            this.receiveMaximum = 0; // MqttSettings: 0 = the context's maxInFlight
            return this;
        }

        /**
         * Builds the transport; nothing connects until the pipeline starts.
         *
         * @return the transport
         * @throws IllegalStateException when no topic is subscribed or options contradict (a persistent session
         *     without a client id, two replay prefixes)
         */
        public MqttTransport build() {
            if (subscriptions.isEmpty()) {
                throw new IllegalStateException("at least one topic must be subscribed (subscribe(...) or topics(...))");
            }
            if (replayPrefixes.size() > 1) {
                throw new IllegalStateException("deadLetterReplay is set with the prefixes " + replayPrefixes
                        + "; one transport replays one prefix");
            }
            String replayPrefix = replayPrefixes.isEmpty() ? null : replayPrefixes.iterator().next();
            if (!cleanSession && clientId == null) {
                throw new IllegalStateException("cleanSession(false) needs a fixed clientId(..): a generated id is new "
                        + "at every start, so the broker would keep the old session, queueing messages for nobody "
                        + "until it expires; set clientId(\"mqtt2td-<site>\"), or keep cleanSession(true)");
            }
            if (version == MqttProtocolVersion.V3_1 && !PahoCheck.present()) {
                throw new IllegalStateException("MQTT 3.1 is spoken through Eclipse Paho, which is not on the class "
                        + "path: add the dependency org.eclipse.paho:org.eclipse.paho.client.mqttv3 (its version is "
                        + "managed by mqtt2tdengine-bom), or use protocolVersion(\"3.1.1\") or \"5.0\"");
            }
            TlsConfig tls = this.tls;
            if (scheme != null && scheme.tls && tls == null) {
                tls = TlsConfig.builder().build();
            }
            if (scheme != null && !scheme.tls && tls != null) {
                throw new IllegalStateException("endpoint " + scheme.name().toLowerCase(java.util.Locale.ROOT)
                        + "://" + host + " says plain TCP, but tls(..) is set; write ssl://, mqtts:// or wss://, or "
                        + "host:port");
            }
            boolean generated = clientId == null;
            String id = generated ? "mqtt2td-" + String.format("%012x",
                    ThreadLocalRandom.current().nextLong() & 0xffff_ffff_ffffL) : clientId;
            if (version == MqttProtocolVersion.V3_1 && id.length() > 23) {
                throw new IllegalStateException("clientId '" + id + "' is " + id.length()
                        + " characters; MQTT 3.1 allows at most 23");
            }
            int p = port != null ? port : tls != null ? DEFAULT_TLS_PORT : DEFAULT_PORT;
            List<MqttSettings.Subscription> subs = new ArrayList<>();
            for (TopicSubscription s : subscriptions) {
                subs.add(new MqttSettings.Subscription(s.filter(), s.qos()));
            }
            MqttSettings settings = new MqttSettings(host, p, version, id, generated, keepAlive, cleanSession,
                    sessionExpiry, List.copyOf(subs), username, password, tls == null ? null : tls.factories(),
                    tls == null || tls.hostnameVerification(), webSocketPath, connectTimeout, reconnectInitial,
                    reconnectMax, receiveMaximum, replayPrefix);
            String description = "MqttTransport{" + (webSocketPath != null ? (tls != null ? "wss://" : "ws://") : "")
                    + settings.endpoint() + (webSocketPath != null ? webSocketPath : "") + ", MQTT " + version.text()
                    + ", clientId=" + id + ", cleanSession=" + cleanSession + ", topics=" + subscriptions
                    + ", credentials=" + (username == null ? "anonymous" : username + "/" + (password == null ? ""
                    : password)) + ", tls=" + tls + (replayPrefix == null ? "" : ", deadLetterReplay=" + replayPrefix)
                    + '}';
            return new MqttTransport(settings, description);
        }
    }
}
