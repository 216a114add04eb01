package io.github.mqtt2tdengine.mqtt.internal;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.MqttClientConnectionConfig;
import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfigBuilder;
import com.hivemq.client.mqtt.MqttWebSocketConfig;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.lifecycle.Mqtt3ClientConnectedContext;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientConnectedContext;
import io.github.mqtt2tdengine.errors.TransportException;
import io.github.mqtt2tdengine.spi.ConnectionState;
import io.github.mqtt2tdengine.spi.TransportContext;
import io.netty.channel.MultithreadEventLoopGroup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport on the HiveMQ MQTT Client, MQTT 3.1.1 or 5.0. Not API; may change in any release.
 */
public final class HiveMqSession extends SessionBase {
    private static final Logger LOG = LoggerFactory.getLogger(HiveMqSession.class);

    private volatile boolean connectedOnce;
    private volatile boolean noSocketControl;
    /** Redeliveries cannot be seen with this client (see {@link Redeliveries}); set once, on the network thread. */
    private boolean noRedeliveryWatch;
    private VersionedClient client;
    private MultithreadEventLoopGroup eventLoop;
    private AckBatch acks;

    /**
     * Creates the session.
     *
     * @param settings validated settings
     */
    public HiveMqSession(MqttSettings settings) {
        super(settings);
    }

    @Override
    public void start(TransportContext h) {
        this.context = h;
        settings.logClientId(LOG);
        // the session owns the client's network thread, so close() can end it (see ClientEventLoop)
        eventLoop = ClientEventLoop.create("mqtt2td-mqtt-" + settings.clientId());
        acks = new AckBatch(eventLoop.next());
        MqttClientBuilder builder = MqttClient.builder()
                .identifier(settings.clientId())
                .executorConfig(MqttClientExecutorConfig.builder().nettyExecutor(eventLoop).build())
                .transportConfig(transportConfig())
                .automaticReconnect()
                .initialDelay(settings.reconnectInitial().toMillis(), TimeUnit.MILLISECONDS)
                .maxDelay(settings.reconnectMax().toMillis(), TimeUnit.MILLISECONDS)
                .applyAutomaticReconnect()
                .addConnectedListener(this::onConnected)
                .addDisconnectedListener(this::onDisconnected);
        // the receive maximum does not bound in flight (the pipeline stops reading at its bound): see docs/delivery-guarantees.md
        int receiveMaximum = settings.receiveMaximum() > 0 ? settings.receiveMaximum()
                : Math.max(1, Math.min(h.maxInFlight(), 65_535));
        client = VersionedClient.create(settings, builder, receiveMaximum, this::deliver);
        CompletableFuture<?> connected = client.connect();
        await(connected, "connect");
        connectedOnce = true;
        CompletableFuture<?> subscribed = client.subscribe();
        if (!awaitUnlessPaused(subscribed, "subscribe")) {
            // reads are held, so the SUBACK waits behind unread messages: check it once reading resumes
            LOG.info("MQTT: client '{}': the pipeline reached its in-flight bound before {} confirmed the subscription;"
                    + " it is checked when reading resumes", settings.clientId(), settings.endpoint());
            subscribed.whenComplete((r, e) -> {
                if (e != null && !closing) {
                    Throwable cause = Errors.unwrap(e);
                    context.onTransportFailed(cause instanceof TransportException ? cause
                            : new TransportException(failure("subscribe", cause), cause));
                }
            });
        }
        LOG.info("MQTT: client '{}' connected to {} (MQTT {}, clean session {}), subscribed to {}",
                settings.clientId(), settings.endpoint(), settings.version().text(), settings.cleanSession(),
                settings.subscriptions());
    }

    private MqttClientTransportConfig transportConfig() {
        return transportConfig(settings);
    }

    /**
     * The HiveMQ client's transport configuration for the settings: address, timeouts, TLS, WebSocket.
     *
     * @param settings the settings
     * @return the configuration
     */
    static MqttClientTransportConfig transportConfig(MqttSettings settings) {
        MqttClientTransportConfigBuilder b = MqttClientTransportConfig.builder()
                .serverHost(settings.host())
                .serverPort(settings.port())
                .socketConnectTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .mqttConnectTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (settings.tls() != null) {
            MqttClientSslConfigBuilder ssl = MqttClientSslConfig.builder();
            if (settings.tls().trustManagers() != null) {
                ssl.trustManagerFactory(settings.tls().trustManagers());
            }
            if (settings.tls().keyManagers() != null) {
                ssl.keyManagerFactory(settings.tls().keyManagers());
            }
            if (!settings.hostnameVerification()) {
                ssl.hostnameVerifier((hostname, session) -> true);
            }
            b.sslConfig(ssl.build());
        }
        if (settings.webSocketPath() != null) {
            b.webSocketConfig(MqttWebSocketConfig.builder().serverPath(settings.webSocketPath().substring(1)).build());
        }
        return b.build();
    }

    /**
     * Like {@link #await} but stops waiting, returning false, when the pipeline pauses first: reads are then held and
     * the broker's answer waits behind unread messages.
     */
    private boolean awaitUnlessPaused(CompletableFuture<?> future, String step) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.connectTimeout().toMillis() + 2_000);
        while (!future.isDone() && System.nanoTime() < deadline) {
            if (paused()) {
                return false;
            }
            try {
                future.get(20, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // await below reports it
                break;
            } catch (ExecutionException e) {
                break; // reported by await below
            }
        }
        // done (returns or throws at once), or the deadline passed (times out at once), or interrupted
        await(future, step, 1);
        return true;
    }

    private void await(CompletableFuture<?> future, String step) {
        await(future, step, settings.connectTimeout().toMillis() + 2_000);
    }

    private void await(CompletableFuture<?> future, String step, long waitMillis) {
        long timeout = settings.connectTimeout().toMillis() + 2_000;
        try {
            future.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new TransportException("MQTT: interrupted during " + step + " to " + settings.endpoint(), e);
        } catch (TimeoutException e) {
            close();
            throw new TransportException("MQTT broker " + settings.endpoint() + " did not answer the " + step
                    + " within " + timeout + " ms", e);
        } catch (ExecutionException e) {
            close();
            Throwable cause = Errors.unwrap(e);
            if (cause instanceof TransportException) {
                throw (TransportException) cause;
            }
            throw new TransportException(failure(step, cause), cause);
        }
    }

    private String failure(String step, Throwable cause) {
        return client == null ? "MQTT " + step + " to " + settings.endpoint() + " failed: " + Errors.describe(cause)
                : client.refusal(cause).map(code -> "MQTT broker " + settings.endpoint() + " refused the connection of "
                        + "client '" + settings.clientId() + "': " + code)
                        .orElse("MQTT " + step + " to " + settings.endpoint() + " failed: " + Errors.describe(cause));
    }

    private void onConnected(MqttClientConnectedContext ctx) {
        state = ConnectionState.CONNECTED;
        // a new connection starts reading: hold it as the pause asks. The client sets the connection config (and so
        // the channel) before it calls this listener, on the network thread, before any PUBLISH of the connection is
        // delivered
        holdIfPaused();
        watchRedeliveries();
        TransportContext h = context;
        if (connectedOnce) {
            LOG.info("MQTT: client '{}' reconnected to {}", settings.clientId(), settings.endpoint());
            if (!settings.cleanSession() && !sessionPresent(ctx) && h != null) {
                h.onSessionLost(settings.endpoint() + ", client '" + settings.clientId() + "', MQTT "
                        + settings.version().text());
            }
        }
        if (h != null) {
            h.onConnectionStateChanged(ConnectionState.CONNECTED, settings.endpoint());
        }
    }

    private static boolean sessionPresent(MqttClientConnectedContext ctx) {
        if (ctx instanceof Mqtt5ClientConnectedContext c) {
            return c.getConnAck().isSessionPresent();
        }
        if (ctx instanceof Mqtt3ClientConnectedContext c) {
            return c.getConnAck().isSessionPresent();
        }
        return true; // unknown: not reported
    }

    /** Counts the PUBLISH packets of this connection that the broker marks as redelivered (DUP). */
    private void watchRedeliveries() {
        if (noRedeliveryWatch) {
            return;
        }
        try {
            client.connectionConfig().ifPresent(config -> Redeliveries.watch(config, (topic, qos) -> {
                TransportContext h = context;
                if (h != null) {
                    h.onRedelivered(topic, qos);
                }
            }));
        } catch (LinkageError | RuntimeException e) {
            noRedeliveryWatch = true;
            LOG.info("MQTT: client '{}' cannot see the DUP flag of redelivered messages ({}): they are not counted",
                    settings.clientId(), e.toString());
        }
    }

    private void onDisconnected(MqttClientDisconnectedContext ctx) {
        TransportContext h = context;
        if (closing || ctx.getSource() == MqttDisconnectSource.USER) {
            ctx.getReconnector().reconnect(false);
            state = ConnectionState.DISCONNECTED;
            if (h != null) {
                h.onConnectionStateChanged(ConnectionState.DISCONNECTED, settings.endpoint() + " (closed)");
            }
            return;
        }
        if (!connectedOnce) {
            // the first connect failed: start() reports it, no background retries
            ctx.getReconnector().reconnect(false);
            return;
        }
        state = ConnectionState.RECONNECTING;
        String why = Errors.describe(ctx.getCause());
        LOG.warn("MQTT: client '{}' is not connected to {} ({}); reconnect attempt {} in {} ms", settings.clientId(),
                settings.endpoint(), why, ctx.getReconnector().getAttempts() + 1,
                ctx.getReconnector().getDelay(TimeUnit.MILLISECONDS));
        if (h != null) {
            h.onConnectionStateChanged(ConnectionState.RECONNECTING, settings.endpoint() + ": " + why);
        }
    }

    private void deliver(String topic, int qos, byte[] payload, UserProperties properties, Runnable ack) {
        if (droppedWhilePaused(topic, qos)) {
            ack.run();
            return;
        }
        context.onMessage(message(topic, payload, qos, properties, ack, acks));
    }

    /**
     * Holds reads through Netty's auto-read flag of the client's channel ({@link SocketReads}: an internal class of the
     * client, so a client that changes it degrades to dropping QoS 0 while paused instead of failing). With auto-read
     * off, the client still delivers the messages of the socket reads already under way: one 64 KiB buffer with Java
     * NIO, up to two with Netty's native epoll transport (a read scheduled by the last resume runs once more). Then the
     * connection is not read until resume.
     *
     * <p>While reads are held, the client cannot read the broker's PINGRESP either: a pause longer than about the keep
     * alive ends in a ping timeout and a reconnect, after which the new connection is held too. Messages in flight
     * on the old connection are written and then redelivered by the broker (duplicates, never loss).
     */
    @Override
    boolean holdReads(boolean hold) {
        if (noSocketControl) {
            return false;
        }
        MqttClientConnectionConfig config;
        try {
            config = client == null ? null : client.connectionConfig().orElse(null);
        } catch (RuntimeException e) {
            config = null;
        }
        if (config == null) {
            return true; // not connected: onConnected applies the hold
        }
        try {
            SocketReads.hold(config, hold);
            return true;
        } catch (ClassCastException | LinkageError e) {
            noSocketControl = true;
            LOG.warn("MQTT: client '{}' cannot stop reading its connection ({}): while the pipeline is at its in-flight "
                    + "bound, QoS 0 messages are dropped and counted, and QoS 1/2 are bounded by the broker only",
                    settings.clientId(), e.toString());
            return false;
        }
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        // the engine pauses the transport to drain before it closes it, so reads may be held: the client completes
        // the disconnect only when it reads that the broker closed the connection (else after its own 10 s timeout,
        // longer than the wait below). What arrives meanwhile is not acknowledged: the broker sends it again
        holdReads(false);
        try {
            CompletableFuture<Void> done = client != null ? client.disconnect()
                    : CompletableFuture.completedFuture(null);
            done.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("MQTT: disconnect of client '{}' from {}: {}", settings.clientId(), settings.endpoint(),
                    e.toString());
        }
        ClientEventLoop.shutdown(eventLoop);
        state = ConnectionState.DISCONNECTED;
    }
}
