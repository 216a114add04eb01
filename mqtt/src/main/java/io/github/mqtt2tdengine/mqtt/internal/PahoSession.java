package io.github.mqtt2tdengine.mqtt.internal;

import io.github.mqtt2tdengine.errors.TransportException;
import io.github.mqtt2tdengine.spi.ConnectionState;
import io.github.mqtt2tdengine.spi.TransportContext;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport on Eclipse Paho, for MQTT 3.1 (which the HiveMQ client does not speak). Same options and the same
 * acknowledgement semantics: manual acks, acknowledged only after commit. Reconnects itself with capped exponential
 * backoff, logging every attempt, and resubscribes after each reconnect. Not API; may change in any release.
 */
public final class PahoSession extends SessionBase {
    private final Object pauseLock = new Object();
    private static final Logger LOG = LoggerFactory.getLogger(PahoSession.class);

    private final String uri;
    private volatile MqttAsyncClient client;
    private MqttConnectOptions options;
    private ScheduledExecutorService reconnector;
    private volatile int attempts;
    private volatile Thread reconnectThread;
    /** Guards the swap of {@link #client} and the connection state set by a reconnect against a loss of it. */
    private final Object clientLock = new Object();
    /** One reconnect attempt is scheduled at a time (a loss and a failed resubscribe may both ask for one). */
    private final AtomicBoolean reconnectPending = new AtomicBoolean();

    /**
     * Creates the session.
     *
     * @param settings validated settings
     */
    public PahoSession(MqttSettings settings) {
        super(settings);
        this.uri = uri(settings);
    }

    /**
     * The broker's URI as Paho takes it.
     *
     * @param settings the settings
     * @return {@code tcp://}, {@code ssl://}, {@code ws://} or {@code wss://} with host, port and path
     */
    static String uri(MqttSettings settings) {
        String host = settings.host().indexOf(':') >= 0 ? "[" + settings.host() + "]" : settings.host();
        boolean tls = settings.tls() != null;
        String scheme = settings.webSocketPath() != null ? (tls ? "wss" : "ws") : (tls ? "ssl" : "tcp");
        return scheme + "://" + host + ":" + settings.port()
                + (settings.webSocketPath() != null ? settings.webSocketPath() : "");
    }

    /**
     * Paho's connect options for the settings: MQTT 3.1, session, keep alive, timeout, credentials, TLS; no automatic
     * reconnect.
     *
     * @param settings the settings
     * @param maxInflight how many QoS 1/2 messages may be in flight at once
     * @return the options
     */
    static MqttConnectOptions options(MqttSettings settings, int maxInflight) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1);
        options.setCleanSession(settings.cleanSession());
        options.setKeepAliveInterval((int) settings.keepAlive().getSeconds());
        options.setConnectionTimeout((int) Math.max(1, settings.connectTimeout().getSeconds()));
        options.setAutomaticReconnect(false);
        options.setMaxInflight(maxInflight);
        if (settings.username() != null) {
            options.setUserName(settings.username());
            if (settings.password() != null) {
                options.setPassword(settings.password().reveal().toCharArray());
            }
        }
        if (settings.tls() != null) {
            options.setSocketFactory(settings.tls().sslContext().getSocketFactory());
            options.setHttpsHostnameVerificationEnabled(settings.hostnameVerification());
        }
        return options;
    }

    @Override
    public void start(TransportContext h) {
        this.context = h;
        settings.logClientId(LOG);
        options = options(settings, Math.max(10, Math.min(h.maxInFlight(), 65_535)));
        // before connecting: a connection lost right after the connect schedules its reconnect here
        reconnector = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mqtt2td-paho-reconnect-" + settings.clientId());
            t.setDaemon(true);
            reconnectThread = t;
            return t;
        });
        client = newClient();
        try {
            client.connect(options).waitForCompletion(settings.connectTimeout().toMillis() + 2_000);
            subscribe();
        } catch (MqttException e) {
            // the session is done, as HiveMqSession's after a failed connect: close() also stops a reconnect that a
            // loss during the subscribe scheduled, and makes a later close() return at once (Paho's close() of the
            // same client twice throws NullPointerException)
            close();
            throw new TransportException(failure(e), e);
        }
        if (markConnected(client)) {
            h.onConnectionStateChanged(ConnectionState.CONNECTED, settings.endpoint());
        }
        LOG.info("MQTT: client '{}' connected to {} (MQTT 3.1 through Paho, clean session {}), subscribed to {}",
                settings.clientId(), uri, settings.cleanSession(), settings.subscriptions());
    }

    /** A fresh client per connection: Paho message ids are per connection, so acks must never cross over. */
    private MqttAsyncClient newClient() {
        try {
            MqttAsyncClient c = new MqttAsyncClient(uri, settings.clientId(), new MemoryPersistence());
            c.setManualAcks(true);
            c.setCallback(new Callback(c));
            return c;
        } catch (MqttException | IllegalArgumentException e) {
            throw new TransportException("MQTT client for " + uri + " cannot be created: " + e.getMessage(), e);
        }
    }

    private void subscribe() throws MqttException {
        int n = settings.subscriptions().size();
        String[] filters = new String[n];
        int[] qos = new int[n];
        for (int i = 0; i < n; i++) {
            filters[i] = settings.subscriptions().get(i).filter();
            qos[i] = settings.subscriptions().get(i).qos();
        }
        IMqttToken token = client.subscribe(filters, qos);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.connectTimeout().toMillis() + 2_000);
        while (!token.isComplete()) {
            if (paused()) {
                // the callback thread waits, so Paho reads the SUBACK only when the pipeline has room again
                LOG.info("MQTT: client '{}': the pipeline reached its in-flight bound before {} confirmed the "
                        + "subscription; it is checked when reading resumes", settings.clientId(), settings.endpoint());
                checkLater(token, filters);
                return;
            }
            if (System.nanoTime() >= deadline) {
                throw new MqttException(MqttException.REASON_CODE_CLIENT_TIMEOUT);
            }
            try {
                token.waitForCompletion(20);
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttException.REASON_CODE_CLIENT_TIMEOUT) {
                    throw e;
                }
            }
        }
        if (token.getException() != null) {
            throw token.getException();
        }
        String refused = refused(token, filters);
        if (refused != null) {
            throw new MqttException(MqttException.REASON_CODE_SUBSCRIBE_FAILED, new IllegalStateException(
                    "refused the subscription to '" + refused + "'"));
        }
    }

    private static String refused(IMqttToken token, String[] filters) {
        int[] granted = token.getGrantedQos();
        for (int i = 0; granted != null && i < granted.length; i++) {
            if (granted[i] == 0x80) {
                return filters[Math.min(i, filters.length - 1)];
            }
        }
        return null;
    }

    /** Reports a subscription that fails after start returned; runs on Paho's callback thread. */
    private void checkLater(IMqttToken token, String[] filters) {
        AtomicBoolean checked = new AtomicBoolean();
        Runnable check = () -> {
            if (!token.isComplete() || !checked.compareAndSet(false, true) || closing) {
                return;
            }
            String refused = token.getException() == null ? refused(token, filters) : null;
            if (token.getException() != null || refused != null) {
                context.onTransportFailed(new TransportException("MQTT broker " + settings.endpoint() + " "
                        + (refused != null ? "refused the subscription to '" + refused + "'"
                                : "did not confirm the subscription: " + Errors.describe(token.getException()))));
            }
        };
        token.setActionCallback(new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken t) {
                check.run();
            }

            @Override
            public void onFailure(IMqttToken t, Throwable e) {
                check.run();
            }
        });
        check.run(); // it may have completed before the listener was set
    }

    private String failure(MqttException e) {
        switch (e.getReasonCode()) {
            case MqttException.REASON_CODE_FAILED_AUTHENTICATION:
                return "MQTT broker " + settings.endpoint() + " refused the connection of client '"
                        + settings.clientId() + "': bad user name or password";
            case MqttException.REASON_CODE_NOT_AUTHORIZED:
                return "MQTT broker " + settings.endpoint() + " refused the connection of client '"
                        + settings.clientId() + "': not authorized";
            case MqttException.REASON_CODE_INVALID_CLIENT_ID:
                return "MQTT broker " + settings.endpoint() + " refused client id '" + settings.clientId() + "'";
            case MqttException.REASON_CODE_CLIENT_TIMEOUT:
                return "MQTT broker " + settings.endpoint() + " did not answer within "
                        + settings.connectTimeout().toMillis() + " ms";
            case MqttException.REASON_CODE_SUBSCRIBE_FAILED:
                return "MQTT broker " + settings.endpoint() + " " + e.getCause().getMessage();
            default:
                return "MQTT connect to " + settings.endpoint() + " failed: "
                        + (e.getCause() != null ? Errors.describe(e.getCause()) : e.getMessage());
        }
    }

    private void messageArrived(MqttAsyncClient receivedOn, String topic, MqttMessage message) {
        TransportContext h = context;
        int qos = message.getQos();
        int id = message.getId();
        Runnable ack = () -> {
            try {
                receivedOn.messageArrivedComplete(id, qos);
            } catch (MqttException e) {
                throw new IllegalStateException(e);
            }
        };
        if (paused()) {
            awaitResume(() -> receivedOn == client);
        }
        if (message.isDuplicate()) {
            h.onRedelivered(topic, qos);
        }
        h.onMessage(message(topic, message.getPayload(), qos, UserProperties.NONE, ack, null));
    }

    private void connectionLost(MqttAsyncClient lost, Throwable cause) {
        synchronized (clientLock) {
            if (closing || lost != client) {
                return;
            }
            state = ConnectionState.RECONNECTING;
        }
        String why = cause == null ? "connection lost" : Errors.describe(cause);
        TransportContext h = context;
        if (h != null) {
            h.onConnectionStateChanged(ConnectionState.RECONNECTING, settings.endpoint() + ": " + why);
        }
        attempts = 0;
        scheduleReconnect(why);
    }

    private void scheduleReconnect(String why) {
        if (closing || !reconnectPending.compareAndSet(false, true)) {
            return;
        }
        long initial = settings.reconnectInitial().toMillis();
        long delay = Math.min(settings.reconnectMax().toMillis(), attempts >= 20 ? Long.MAX_VALUE : initial << attempts);
        delay = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
        attempts++;
        LOG.warn("MQTT: client '{}' is not connected to {} ({}); reconnect attempt {} in {} ms", settings.clientId(),
                settings.endpoint(), why, attempts, delay);
        try {
            reconnector.schedule(this::reconnect, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            reconnectPending.set(false); // closed meanwhile
        }
    }

    /**
     * Sets CONNECTED unless the connection was lost again since (connectionLost has said RECONNECTING and scheduled
     * the next attempt; Paho marks a client disconnected before it calls connectionLost) or the session is closing.
     *
     * @return whether it did (the caller then tells the pipeline)
     */
    private boolean markConnected(MqttAsyncClient connected) {
        synchronized (clientLock) {
            if (closing || client != connected || !connected.isConnected()) {
                return false;
            }
            state = ConnectionState.CONNECTED;
            return true;
        }
    }

    private void reconnect() {
        reconnectPending.set(false);
        MqttAsyncClient old;
        MqttAsyncClient fresh;
        try {
            synchronized (clientLock) {
                if (closing) {
                    return;
                }
                old = client;
                fresh = newClient();
                client = fresh;
            }
            closeQuietly(old);
            // closing: close() closes fresh (the current client) once this attempt has ended; an interrupt swallowed
            // by Paho's token waits must not leave it connecting and subscribing first
            if (closing) {
                return;
            }
            fresh.connect(options).waitForCompletion(settings.connectTimeout().toMillis() + 2_000);
            if (closing) {
                return;
            }
            subscribe();
            if (!markConnected(fresh)) {
                return;
            }
            LOG.info("MQTT: client '{}' reconnected to {} after {} attempt(s)", settings.clientId(), settings.endpoint(),
                    attempts);
            attempts = 0;
            TransportContext h = context;
            if (h != null) {
                h.onConnectionStateChanged(ConnectionState.CONNECTED, settings.endpoint());
            }
        } catch (MqttException | TransportException e) {
            scheduleReconnect(e instanceof MqttException ? failure((MqttException) e) : e.getMessage());
        }
    }

    /**
     * Paho reads on its own thread and hands messages to its callback thread through a queue of ten; blocking the
     * callback in {@link #awaitResume} while paused fills that queue and stops the reader. Acknowledgements do not
     * need the callback thread. A pause longer than about the keep alive ends in a ping timeout and a reconnect.
     */
    @Override
    boolean holdReads(boolean hold) {
        return true;
    }

    /** Callbacks of one client instance; those of replaced clients are ignored. */
    private final class Callback implements MqttCallbackExtended {
        private final MqttAsyncClient owner;

        Callback(MqttAsyncClient owner) {
            this.owner = owner;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            PahoSession.this.messageArrived(owner, topic, message);
        }

        @Override
        public void connectionLost(Throwable cause) {
            PahoSession.this.connectionLost(owner, cause);
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            // state is set by start() and reconnect(), which also resubscribe
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // the transport never publishes
        }
    }

    @Override
    void onResumed() {
        wakePaused();
    }

    /**
     * Blocks the calling client thread while paused, which stops that client's socket reader once its small internal
     * queue is full. Returns on resume, on close, when {@code current} turns false (the connection was replaced) or
     * on interrupt (the client is shutting the connection down; the interrupt is kept).
     *
     * @param current whether the caller's connection is still the session's
     */
    private void awaitResume(BooleanSupplier current) {
        synchronized (pauseLock) {
            while (paused() && !closing && current.getAsBoolean()) {
                try {
                    pauseLock.wait(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Wakes threads blocked in {@link #awaitResume}; called on close. */
    private void wakePaused() {
        synchronized (pauseLock) {
            pauseLock.notifyAll();
        }
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        wakePaused();
        stopReconnects();
        MqttAsyncClient c;
        synchronized (clientLock) {
            c = client;
        }
        closeQuietly(c);
        state = ConnectionState.DISCONNECTED;
        TransportContext h = context;
        if (h != null) {
            h.onConnectionStateChanged(ConnectionState.DISCONNECTED, settings.endpoint() + " (closed)");
        }
    }

    /**
     * Stops reconnecting. A reconnect under way may have swapped in a new client: it is let end (interrupted, it fails
     * fast), so that the client closed next is the last one and none outlives the session. Not waited for when called
     * on the reconnect thread itself (close() from a listener of the reconnect's state change).
     */
    private void stopReconnects() {
        ScheduledExecutorService r = reconnector;
        if (r == null) {
            return;
        }
        r.shutdownNow();
        try {
            if (Thread.currentThread() != reconnectThread
                    && !r.awaitTermination(settings.connectTimeout().toMillis() + 6_000, TimeUnit.MILLISECONDS)) {
                LOG.warn("MQTT: client '{}': a reconnect to {} is still under way at close", settings.clientId(),
                        settings.endpoint());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeQuietly(MqttAsyncClient c) {
        closeQuietly(c, uri);
    }

    /** Disconnects (or drops) a Paho client and closes it, logging at DEBUG what fails; also for the dead letters'. */
    static void closeQuietly(MqttAsyncClient c, String uri) {
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                c.disconnect(2_000).waitForCompletion(3_000);
            } else {
                c.disconnectForcibly(0, 100, false);
            }
        } catch (MqttException e) {
            LOG.debug("MQTT: disconnect from {}: {}", uri, e.toString());
        }
        try {
            c.close(true);
        } catch (MqttException e) {
            LOG.debug("MQTT: close of client for {}: {}", uri, e.toString());
        }
    }

    @Override
    public String toString() {
        return "PahoSession{" + uri + ", clientId=" + settings.clientId() + '}';
    }

}
