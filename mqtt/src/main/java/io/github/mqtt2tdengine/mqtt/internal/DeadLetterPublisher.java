package io.github.mqtt2tdengine.mqtt.internal;

import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.github.mqtt2tdengine.DeadLetter;
import io.github.mqtt2tdengine.deadletters.DeadLetterEnvelope;
import io.github.mqtt2tdengine.errors.RetriableSinkException;
import io.github.mqtt2tdengine.errors.TransportException;
import io.github.mqtt2tdengine.mqtt.MqttProtocolVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code MqttDeadLetters} does: publishes dead letters to {@code <prefix>/<original topic>} at QoS 1 on a
 * connection of its own and returns once the broker acknowledged each one, setting up the keeper session first.
 * Not API; may change in any release.
 *
 * <p>Thread-safe: writers publish concurrently; connecting and the keeper run under one lock, waited for at most the
 * time a connect and a keeper may take.
 */
public final class DeadLetterPublisher {
    /** MQTT 5 session expiry that means "never" (the protocol's largest). */
    public static final long NEVER_EXPIRES = 4_294_967_295L;
    /** How many publishes one store has unacknowledged at once. */
    static final int WINDOW = 256;
    /** The longest MQTT string (a user property's value), in UTF-8 bytes. */
    private static final int MAX_STRING_BYTES = 65_535;
    private static final int NO_MATCHING_SUBSCRIBERS = 0x10;
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);

    private final MqttSettings connection;
    private final String prefix;
    /** The keeper's client id for a pipeline's name, or null without a keeper. */
    private final Function<String, String> keeperId;
    private final Duration publishTimeout;
    private final DeadLetterClient client;
    private final ReentrantLock lock = new ReentrantLock();
    /** Keeper client ids set up since the current connection was made; guarded by lock. */
    private final Set<String> kept = new HashSet<>();
    private volatile boolean closed;

    /**
     * Creates the publisher; nothing connects before the first {@link #store}.
     *
     * @param connection the connection's settings (its own client id, clean session)
     * @param prefix the checked prefix
     * @param keeperId the keeper's client id for a pipeline's name, or null for no keeper
     * @param publishTimeout how long a store waits for the broker's acknowledgements
     */
    public DeadLetterPublisher(MqttSettings connection, String prefix, Function<String, String> keeperId,
            Duration publishTimeout) {
        this.connection = connection;
        this.prefix = prefix;
        this.keeperId = keeperId;
        this.publishTimeout = publishTimeout;
        this.client = DeadLetterClient.create(connection);
    }

    /**
     * Publishes the dead letters and returns once the broker acknowledged every one.
     *
     * @param letters the dead letters, not empty
     * @throws RetriableSinkException naming the pipeline, the broker and what failed; nothing is then counted as
     *     stored (some may have been, and are published again on the retry)
     */
    public void store(List<DeadLetter> letters) {
        String pipeline = letters.get(0).pipelineName();
        ready(pipeline, letters);
        long deadline = System.nanoTime() + publishTimeout.toNanos();
        int refused = 0;
        int notSubscribed = 0;
        String firstRefusal = null;
        for (int from = 0; from < letters.size(); from += WINDOW) {
            List<DeadLetter> window = letters.subList(from, Math.min(letters.size(), from + WINDOW));
            List<CompletableFuture<Integer>> acks = new ArrayList<>(window.size());
            for (DeadLetter d : window) {
                acks.add(publish(d));
            }
            for (int i = 0; i < acks.size(); i++) {
                String topic = DeadLetterTopics.topic(prefix, window.get(i).topic());
                int code = await(acks.get(i), deadline, pipeline, topic, letters.size());
                if (code == NO_MATCHING_SUBSCRIBERS || code >= 0x80) {
                    refused++;
                    notSubscribed += code == NO_MATCHING_SUBSCRIBERS ? 1 : 0;
                    if (firstRefusal == null) {
                        firstRefusal = "the first on '" + topic + "': " + describe(code);
                    }
                }
            }
        }
        if (refused > 0) {
            String keeper = notSubscribed > 0 && keeperId != null ? forgetKeeper(letters) : "";
            throw new RetriableSinkException("Pipeline '" + pipeline + "': MQTT broker " + connection.endpoint()
                    + " refused " + refused + " of " + letters.size() + " dead letter(s), " + firstRefusal + keeper);
        }
    }

    private CompletableFuture<Integer> publish(DeadLetter d) {
        String topic = DeadLetterTopics.topic(prefix, d.topic());
        try {
            if (connection.version() == MqttProtocolVersion.V5) {
                return client.publish(topic, d.payload(), properties(d));
            }
            return client.publish(topic, DeadLetterEnvelope.encode(d), List.of());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The PUBACK's reason code, or throws after dropping the connection, so that the next attempt connects anew. */
    private int await(CompletableFuture<Integer> ack, long deadline, String pipeline, String topic, int count) {
        try {
            return ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableSinkException("Pipeline '" + pipeline + "': interrupted while MQTT broker "
                    + connection.endpoint() + " acknowledged dead letters", e);
        } catch (TimeoutException e) {
            dropConnection();
            throw new RetriableSinkException("Pipeline '" + pipeline + "': MQTT broker " + connection.endpoint()
                    + " did not acknowledge the dead letter on '" + topic + "' (of " + count + ") within "
                    + publishTimeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            dropConnection();
            Throwable cause = Errors.unwrap(e);
            throw new RetriableSinkException("Pipeline '" + pipeline + "': MQTT publish of the dead letter on '" + topic
                    + "' (of " + count + ") to " + connection.endpoint() + " failed: " + Errors.describe(cause), cause);
        }
    }

    /** Connects if needed and sets up the keeper of each pipeline among the letters, once per connection. */
    private void ready(String pipeline, List<DeadLetter> letters) {
        long wait = readyMillis();
        try {
            if (!lock.tryLock(wait, TimeUnit.MILLISECONDS)) {
                throw new RetriableSinkException("Pipeline '" + pipeline + "': the MQTT dead-letter connection to "
                        + connection.endpoint() + " was not ready within " + wait + " ms (another writer is connecting)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableSinkException("Pipeline '" + pipeline + "': interrupted while waiting for the MQTT "
                    + "dead-letter connection to " + connection.endpoint(), e);
        }
        try {
            if (closed) {
                throw new RetriableSinkException("Pipeline '" + pipeline + "': the MQTT dead-letter destination is "
                        + "closed");
            }
            if (client.connect()) {
                kept.clear();
                LOG.info("MQTT: dead-letter client '{}' connected to {} (MQTT {}), publishing to '{}/...'",
                        connection.clientId(), connection.endpoint(), connection.version().text(), prefix);
            }
            if (keeperId == null) {
                return;
            }
            Set<String> pipelines = new LinkedHashSet<>();
            for (DeadLetter d : letters) {
                pipelines.add(d.pipelineName());
            }
            for (String p : pipelines) {
                String id = keeperId.apply(p);
                if (!kept.contains(id)) {
                    client.keep(keeper(id));
                    kept.add(id);
                    LOG.info("MQTT: keeper session '{}' subscribes to '{}/#' at {}: the broker keeps the dead letters "
                            + "for it until they are read", id, prefix, connection.endpoint());
                }
            }
        } catch (TransportException e) {
            throw new RetriableSinkException("Pipeline '" + pipeline + "': MQTT dead-letter destination: "
                    + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** The longest a connect and a keeper take (with a margin): how long a writer waits for another's. */
    private long readyMillis() {
        return 3 * (connection.connectTimeout().toMillis() + 2_000);
    }

    /** The keeper's settings: the same broker, a persistent session that never expires, {@code <prefix>/#}. */
    private MqttSettings keeper(String id) {
        return connection.forClient(id, false, Duration.ofSeconds(NEVER_EXPIRES),
                List.of(new MqttSettings.Subscription(prefix + "/#", 1)), 1);
    }

    /** After NO_MATCHING_SUBSCRIBERS: the keeper session is gone (expired, or the broker lost it); set it up again. */
    private String forgetKeeper(List<DeadLetter> letters) {
        boolean locked = false;
        try {
            locked = lock.tryLock(readyMillis(), TimeUnit.MILLISECONDS);
            if (locked) {
                for (DeadLetter d : letters) {
                    kept.remove(keeperId.apply(d.pipelineName()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (locked) {
                lock.unlock();
            }
        }
        return "; nobody subscribes, so the broker discarded them: the keeper session is set up again before the retry";
    }

    private void dropConnection() {
        if (lock.tryLock()) {
            try {
                client.drop();
            } finally {
                lock.unlock();
            }
        }
    }

    /** The MQTT 5 user properties of a dead letter: {@code mqtt2td-<envelope field>}. */
    static List<String[]> properties(DeadLetter d) {
        String p = DeadLetterEnvelope.PROPERTY_PREFIX;
        return List.of(
                new String[] {p + DeadLetterEnvelope.PIPELINE, text(d.pipelineName())},
                new String[] {p + DeadLetterEnvelope.TOPIC, text(d.topic())},
                new String[] {p + DeadLetterEnvelope.QOS, Integer.toString(d.qos())},
                new String[] {p + DeadLetterEnvelope.RECEIVED_AT, d.receivedAt().toString()},
                new String[] {p + DeadLetterEnvelope.REASON, d.reason().name()},
                new String[] {p + DeadLetterEnvelope.DETAIL, text(d.message())});
    }

    /**
     * A string MQTT can carry: U+0000 and lone surrogates replaced by {@code ?}, cut to 65,535 UTF-8 bytes.
     */
    static String text(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1));
            boolean bad = c == '\u0000' || (Character.isSurrogate(c) && !pair);
            if (bad && sb == null) {
                sb = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (sb != null) {
                sb.append(bad ? '?' : c);
                if (pair) {
                    sb.append(s.charAt(i + 1));
                }
            }
            if (pair) {
                i++;
            }
        }
        String t = sb == null ? s : sb.toString();
        String cut = DeadLetterTopics.cut(t, MAX_STRING_BYTES);
        return cut.length() == t.length() ? t : DeadLetterTopics.cut(t, MAX_STRING_BYTES - 3) + "...";
    }

    /** A PUBACK reason code as MQTT 5 names it: {@code NOT_AUTHORIZED (0x87)}. */
    static String describe(int code) {
        Mqtt5PubAckReasonCode known = Mqtt5PubAckReasonCode.fromCode(code);
        return (known == null ? "reason code" : known.name()) + String.format(" (0x%02x)", code);
    }

    /** Disconnects and ends the client's threads; a later store throws. */
    public void close() {
        closed = true;
        boolean locked = false;
        try {
            locked = lock.tryLock(readyMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            client.close();
        } finally {
            if (locked) {
                lock.unlock();
            }
        }
    }
}
