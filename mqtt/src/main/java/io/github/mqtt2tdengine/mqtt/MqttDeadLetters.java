package io.github.mqtt2tdengine.mqtt;

import io.github.mqtt2tdengine.DeadLetter;
import io.github.mqtt2tdengine.DeadLetterHandler;
import io.github.mqtt2tdengine.deadletters.DeadLetterEnvelope;
import io.github.mqtt2tdengine.mqtt.internal.DeadLetterPublisher;
import io.github.mqtt2tdengine.mqtt.internal.DeadLetterTopics;
import io.github.mqtt2tdengine.mqtt.internal.MqttSettings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps dead letters on the MQTT broker: republishes each one to {@code <prefix>/<original topic>} at QoS 1 (retain
 * off) and counts it stored only once the broker acknowledged it (PUBACK).
 *
 * <p>What is published:
 * <ul>
 *   <li>MQTT 5.0: the original payload byte for byte, with the user properties {@code mqtt2td-pipeline},
 *       {@code mqtt2td-topic}, {@code mqtt2td-qos}, {@code mqtt2td-receivedAt} (ISO-8601, UTC), {@code
 *       mqtt2td-reason} (a {@link io.github.mqtt2tdengine.errors.DeadLetterReason} name) and {@code mqtt2td-detail}
 *       (the error sentence); the names are {@link DeadLetterEnvelope#PROPERTY_PREFIX} and the envelope's field
 *       names.</li>
 *   <li>MQTT 3.1.1 and 3.1, which have no user properties: the {@link DeadLetterEnvelope} (one JSON object, the
 *       payload in base64) as the payload.</li>
 * </ul>
 *
 * <p>Acknowledgement: {@link #handleAll} returns once the broker acknowledged every dead letter, within
 * {@code publishTimeout}. An MQTT 5 PUBACK with an error reason code (0x80 and above, such as 0x87 not authorized) is
 * a failure, and so is 0x10 "no matching subscribers": the broker discarded the message. Then, or when the broker
 * does not answer in time, it throws {@link io.github.mqtt2tdengine.errors.RetriableSinkException} naming the broker
 * and the topic, and the pipeline retries while the messages hold their places in flight (at {@code maxInFlight} the
 * source pauses). MQTT 3.1.1 and 3.1 cannot say no: mosquitto answers a publish its ACL denies with a PUBACK like any
 * other and drops the message, so there a denied dead-letter topic is indistinguishable from success. Give the user
 * write access to {@code <prefix>/#}, or use MQTT 5.
 *
 * <p>Connection: a connection of its own to the source's broker, never the source's connection: under backpressure
 * the source stops reading its socket, so a PUBACK on it would not be read while the pipeline waits for it. It connects
 * at the first dead letter (a broker that is down at start fails no pipeline: the store fails and is retried), and
 * again on a later attempt after the connection was lost. It never reconnects in the background.
 *
 * <p>Keeper: a QoS 1 message to a topic nobody subscribes is discarded by the broker. So, before the first publish on
 * each connection, the destination makes the broker keep the dead letters: it connects a <em>keeper</em> persistent
 * session (client id {@link #defaultKeeperClientId(String) mqtt2td-dead-letters-&lt;pipeline&gt;} unless set; MQTT 5
 * session expiry "never", MQTT 3 clean session false), subscribes it to {@code <prefix>/#} at QoS 1 and disconnects.
 * The broker then queues every dead letter for that session until someone connects with the keeper's client id and
 * reads them (see {@link MqttTransport.Builder#deadLetterReplay(String)}). Brokers bound such queues: mosquitto's
 * {@code max_queued_messages} is 1000 by default, HiveMQ CE's queue 1000, and beyond it the newest messages are
 * dropped while the publisher still gets its PUBACK. Raise the limit to what an outage may produce, or turn the
 * keeper off ({@link Builder#noKeeper()}) when another consumer subscribes to the dead-letter topics.
 *
 * <pre>{@code
 * MqttTransport source = MqttTransport.builder()....build();
 * SyncPipeline.builder()
 *         .source(source)
 *         ...
 *         .deadLetterHandler(MqttDeadLetters.builder().connection(source).build())
 * }</pre>
 *
 * <p>Threads: called on the writer threads, concurrently with several writers; thread-safe. Every wait is bounded
 * (connect timeout, {@code publishTimeout}). Immutable once built; {@link #toString()} hides the password.
 *
 * @since 0.1.0
 */
public final class MqttDeadLetters implements DeadLetterHandler {
    /** The topic prefix when none is set: {@value}. */
    public static final String DEFAULT_PREFIX = "mqtt2td/dead-letters";
    /** How long a store waits for the broker's acknowledgements when not set: 10 s. */
    public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(10);
    /** The start of the keeper's default client id, followed by the pipeline's name: {@value}. */
    public static final String KEEPER_CLIENT_ID_PREFIX = "mqtt2td-dead-letters-";
    /** The MQTT 5 session expiry of the keeper session: the protocol's "never expires" (4,294,967,295 s). */
    public static final Duration KEEPER_SESSION_EXPIRY = Duration.ofSeconds(DeadLetterPublisher.NEVER_EXPIRES);

    private final String prefix;
    private final String keeper;
    private final boolean keeperOn;
    private final DeadLetterPublisher publisher;
    private final String description;

    private MqttDeadLetters(Builder b, MqttSettings connection) {
        this.prefix = b.prefix;
        this.keeper = b.keeper;
        this.keeperOn = b.keeperOn;
        this.publisher = new DeadLetterPublisher(connection, prefix, keeperOn ? this::keeperFor : null,
                b.publishTimeout);
        this.description = "MqttDeadLetters{" + connection.endpoint() + ", MQTT " + connection.version().text()
                + ", clientId=" + connection.clientId() + ", prefix=" + prefix + ", keeper="
                + (!keeperOn ? "none" : keeper != null ? keeper : KEEPER_CLIENT_ID_PREFIX + "<pipeline>")
                + ", publishTimeout=" + b.publishTimeout + ", credentials=" + (connection.username() == null
                ? "anonymous" : connection.username() + "/" + (connection.password() == null ? "" : "****"))
                + ", tls=" + (connection.tls() != null) + '}';
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
     * Returns the keeper's client id a destination uses for a pipeline when none is set:
     * {@value #KEEPER_CLIENT_ID_PREFIX} and the pipeline's name. A replay connects with it to read what the broker
     * kept.
     *
     * @param pipelineName the pipeline's name
     * @return the client id
     */
    public static String defaultKeeperClientId(String pipelineName) {
        Objects.requireNonNull(pipelineName, "pipelineName must not be null");
        return KEEPER_CLIENT_ID_PREFIX + pipelineName;
    }

    /**
     * Returns the topic prefix.
     *
     * @return the prefix, without a trailing {@code /}
     */
    public String prefix() {
        return prefix;
    }

    /**
     * Returns the topic a dead letter of an original topic is published to.
     *
     * @param originalTopic the topic the message arrived on
     * @return {@code <prefix>/<originalTopic>}
     */
    public String topic(String originalTopic) {
        return DeadLetterTopics.topic(prefix, Objects.requireNonNull(originalTopic, "originalTopic must not be null"));
    }

    /**
     * Returns the keeper session's client id for a pipeline.
     *
     * @param pipelineName the pipeline's name
     * @return the client id set, or derived from the name; empty without a keeper
     */
    public Optional<String> keeperClientId(String pipelineName) {
        Objects.requireNonNull(pipelineName, "pipelineName must not be null");
        return keeperOn ? Optional.of(keeperFor(pipelineName)) : Optional.empty();
    }

    private String keeperFor(String pipelineName) {
        return keeper != null ? keeper : defaultKeeperClientId(pipelineName);
    }

    /**
     * Publishes one dead letter and returns once the broker acknowledged it; see {@link #handleAll}.
     *
     * @param deadLetter the dead letter
     * @throws io.github.mqtt2tdengine.errors.RetriableSinkException when it is not stored
     */
    @Override
    public void handle(DeadLetter deadLetter) {
        handleAll(List.of(Objects.requireNonNull(deadLetter, "deadLetter must not be null")));
    }

    /**
     * Publishes the dead letters and returns once the broker acknowledged every one. Connects (and sets up the keeper)
     * first when not connected, waiting at most the source's connect timeout for each; then waits at most
     * {@code publishTimeout} for the acknowledgements. Called on a writer thread; blocks within those bounds.
     *
     * @param deadLetters the dead letters, not empty
     * @throws io.github.mqtt2tdengine.errors.RetriableSinkException naming the pipeline, the broker and the topic when
     *     the broker is unreachable, refuses a dead letter (MQTT 5 reason code 0x10 or 0x80 and above) or does not
     *     acknowledge in time; the pipeline retries
     */
    @Override
    public void handleAll(List<DeadLetter> deadLetters) {
        if (deadLetters.isEmpty()) {
            return;
        }
        publisher.store(deadLetters);
    }

    /**
     * Returns {@code mqtt}, this destination's name in metrics.
     *
     * @return {@code mqtt}
     */
    @Override
    public String destination() {
        return "mqtt";
    }

    /** Disconnects and ends the client's threads; called once when the pipeline closes. */
    @Override
    public void close() {
        publisher.close();
    }

    @Override
    public String toString() {
        return description;
    }

    /** Builds a {@link MqttDeadLetters}; mutable, not thread-safe, reusable. */
    public static final class Builder {
        private MqttSettings source;
        private String clientId;
        private String prefix = DEFAULT_PREFIX;
        private Duration publishTimeout = DEFAULT_PUBLISH_TIMEOUT;
        private String keeper;
        private boolean keeperOn = true;

        private Builder() {
        }

        /**
         * Connects to the broker of a source transport, with its address, port, TLS, WebSocket path, credentials,
         * protocol version, keep alive and timeouts, on a connection of its own; required.
         *
         * @param source the pipeline's source (or any transport built for that broker)
         * @return this builder
         */
        public Builder connection(MqttTransport source) {
            this.source = Objects.requireNonNull(source, "connection must not be null").settings();
            return this;
        }

        /**
         * Sets the client id of the destination's connection; default the source's client id with {@code -dl}.
         *
         * @param clientId 1 to 65535 characters (at most 23 for MQTT 3.1)
         * @return this builder
         */
        public Builder clientId(String clientId) {
            Objects.requireNonNull(clientId, "clientId must not be null");
            if (clientId.isEmpty()) {
                throw new IllegalArgumentException("clientId must not be empty");
            }
            this.clientId = clientId;
            return this;
        }

        /**
         * Sets the topic prefix; default {@value MqttDeadLetters#DEFAULT_PREFIX}. Dead letters go to
         * {@code <prefix>/<original topic>}.
         *
         * @param prefix one or more topic levels, without wildcards, not starting with {@code $} or {@code /}
         * @return this builder
         */
        public Builder prefix(String prefix) {
            this.prefix = DeadLetterTopics.checkPrefix(prefix, "prefix");
            return this;
        }

        /**
         * Sets how long a store waits for the broker's acknowledgements before it throws (and is retried); default
         * 10 s.
         *
         * @param timeout greater than 0
         * @return this builder
         */
        public Builder publishTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "publishTimeout must not be null");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("publishTimeout must be greater than 0, but was " + timeout);
            }
            this.publishTimeout = timeout;
            return this;
        }

        /**
         * Sets the keeper session's client id (default {@value MqttDeadLetters#KEEPER_CLIENT_ID_PREFIX} and the
         * pipeline's name), or turns the keeper off with null (see {@link #noKeeper()}).
         *
         * @param clientId the keeper's client id, may be null
         * @return this builder
         */
        public Builder keeper(String clientId) {
            if (clientId == null) {
                return noKeeper();
            }
            if (clientId.isEmpty()) {
                throw new IllegalArgumentException("keeper client id must not be empty; keeper(null) turns it off");
            }
            this.keeper = clientId;
            this.keeperOn = true;
            return this;
        }

        /**
         * Turns the keeper off: for brokers where another consumer subscribes to {@code <prefix>/#}. Without any
         * subscriber the broker discards the dead letters; with MQTT 5 it says so (reason code 0x10) and the store is
         * retried until a subscriber is there, with MQTT 3 it does not.
         *
         * @return this builder
         */
        public Builder noKeeper() {
            this.keeper = null;
            this.keeperOn = false;
            return this;
        }

        /**
         * Builds the destination; nothing connects before the first dead letter.
         *
         * @return the destination
         * @throws IllegalStateException when the connection is not set, a client id is too long for MQTT 3.1, or the
         *     source subscribes to the dead-letter topics (its dead letters would come back to it)
         */
        public MqttDeadLetters build() {
            if (source == null) {
                throw new IllegalStateException("connection must be set: MqttDeadLetters.builder().connection(source)");
            }
            for (MqttSettings.Subscription s : source.subscriptions()) {
                if (DeadLetterTopics.takes(s.filter(), prefix)) {
                    throw new IllegalStateException("the source subscribes to '" + s.filter() + "', which takes the "
                            + "dead letters published to '" + prefix + "/...': each would come back to the pipeline "
                            + "and be dead-lettered again; set another prefix(..) for this pipeline's dead letters");
                }
            }
            String id = clientId != null ? clientId : source.clientId() + "-dl";
            if (source.version() == MqttProtocolVersion.V3_1) {
                if (id.length() > 23) {
                    throw new IllegalStateException("clientId '" + id + "' is " + id.length() + " characters; MQTT "
                            + "3.1 allows at most 23: set clientId(..) of the dead-letter destination");
                }
                if (keeperOn && (keeper == null || keeper.length() > 23)) {
                    throw new IllegalStateException("MQTT 3.1 allows client ids of at most 23 characters, so the "
                            + "keeper's " + (keeper == null ? "default '" + KEEPER_CLIENT_ID_PREFIX + "<pipeline>'"
                            : "'" + keeper + "'") + " does not fit: set keeper(\"<id>\") of at most 23, or noKeeper()");
                }
            }
            MqttSettings connection = source.forClient(id, true, source.sessionExpiry(), List.of(),
                    MqttTransport.Builder.DEFAULT_RECEIVE_MAXIMUM);
            return new MqttDeadLetters(this, connection);
        }
    }
}
