package io.github.mqtt2tdengine.mqtt.internal;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfigBuilder;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.MqttWebSocketConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.auth.Mqtt3SimpleAuth;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscribe;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscription;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAck;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.github.mqtt2tdengine.TransportException;
import io.github.mqtt2tdengine.spi.ConnectionState;
import io.github.mqtt2tdengine.spi.MessageHandler;
import io.netty.channel.Channel;
import io.netty.channel.MultithreadEventLoopGroup;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
    private Mqtt5AsyncClient client5;
    private Mqtt3AsyncClient client3;
    private MultithreadEventLoopGroup eventLoop;

    /**
     * Creates the session.
     *
     * @param settings validated settings
     */
    public HiveMqSession(MqttSettings settings) {
        super(settings);
    }

    @Override
    public void start(MessageHandler h) {
        this.handler = h;
        settings.logClientId(LOG);
        // the session owns the client's network thread, so close() can end it (see ClientEventLoop)
        eventLoop = ClientEventLoop.create("mqtt2td-mqtt-" + settings.clientId());
        MqttClientBuilder builder = MqttClient.builder()
                .identifier(settings.clientId())
                .executorConfig(MqttClientExecutorConfig.builder().nettyExecutor(eventLoop).build())
                .transportConfig(transportConfig())
                .automaticReconnect()
                .initialDelay(settings.reconnectInitial().toMillis(), TimeUnit.MILLISECONDS)
                .maxDelay(settings.reconnectMax().toMillis(), TimeUnit.MILLISECONDS)
                .applyAutomaticReconnect()
                .addConnectedListener(ctx -> onConnected())
                .addDisconnectedListener(this::onDisconnected);
        CompletableFuture<?> connected;
        if (settings.version().equals("5.0")) {
            client5 = builder.useMqttVersion5().buildAsync();
            // the network thread runs the handler: no HiveMQ callback queue that could drop QoS 0 messages
            client5.publishes(MqttGlobalPublishFilter.ALL, this::on5, Runnable::run, true);
            connected = client5.connect(connect5(h));
        } else {
            client3 = builder.useMqttVersion3().buildAsync();
            client3.publishes(MqttGlobalPublishFilter.ALL, this::on3, Runnable::run, true);
            var connect = client3.connectWith()
                    .keepAlive((int) settings.keepAlive().getSeconds())
                    .cleanSession(settings.cleanSession());
            if (settings.username() != null) {
                var auth = Mqtt3SimpleAuth.builder().username(settings.username());
                connect.simpleAuth(settings.password() == null ? auth.build()
                        : auth.password(settings.password().reveal().getBytes(StandardCharsets.UTF_8)).build());
            }
            connected = connect.send();
        }
        await(connected, "connect");
        connectedOnce = true;
        CompletableFuture<?> subscribed = subscribe();
        if (!awaitUnlessPaused(subscribed, "subscribe")) {
            // reads are held, so the SUBACK waits behind unread messages: check it once reading resumes
            LOG.info("MQTT: client '{}': the pipeline reached its in-flight bound before {} confirmed the subscription;"
                    + " it is checked when reading resumes", settings.clientId(), settings.endpoint());
            subscribed.whenComplete((r, e) -> {
                if (e != null && !closing) {
                    Throwable cause = Errors.unwrap(e);
                    handler.onTransportFailed(cause instanceof TransportException ? cause
                            : new TransportException(failure("subscribe", cause), cause));
                }
            });
        }
        LOG.info("MQTT: client '{}' connected to {} (MQTT {}, clean session {}), subscribed to {}",
                settings.clientId(), settings.endpoint(), settings.version(), settings.cleanSession(),
                settings.subscriptions());
    }

    private Mqtt5Connect connect5(MessageHandler h) {
        var b = Mqtt5Connect.builder()
                .keepAlive((int) settings.keepAlive().getSeconds())
                .cleanStart(settings.cleanSession())
                .sessionExpiryInterval(settings.cleanSession() ? 0 : settings.sessionExpiry().getSeconds())
                .restrictions().receiveMaximum(settings.receiveMaximum() > 0 ? settings.receiveMaximum()
                        : Math.max(1, Math.min(h.maxInFlight(), 65_535))).applyRestrictions();
        if (settings.username() != null) {
            var auth = Mqtt5SimpleAuth.builder().username(settings.username());
            b.simpleAuth(settings.password() == null ? auth.build()
                    : auth.password(settings.password().reveal().getBytes(StandardCharsets.UTF_8)).build());
        }
        return b.build();
    }

    private MqttClientTransportConfig transportConfig() {
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

    private CompletableFuture<?> subscribe() {
        if (client5 != null) {
            List<Mqtt5Subscription> subs = new ArrayList<>();
            for (MqttSettings.Subscription s : settings.subscriptions()) {
                subs.add(Mqtt5Subscription.builder().topicFilter(s.filter()).qos(MqttQos.fromCode(s.qos())).build());
            }
            return client5.subscribe(Mqtt5Subscribe.builder().addSubscriptions(subs).build())
                    .thenApply(this::check5);
        }
        List<Mqtt3Subscription> subs = new ArrayList<>();
        for (MqttSettings.Subscription s : settings.subscriptions()) {
            subs.add(Mqtt3Subscription.builder().topicFilter(s.filter()).qos(MqttQos.fromCode(s.qos())).build());
        }
        return client3.subscribe(Mqtt3Subscribe.builder().addSubscriptions(subs).build()).thenApply(this::check3);
    }

    private Mqtt5SubAck check5(Mqtt5SubAck ack) {
        List<Mqtt5SubAckReasonCode> codes = ack.getReasonCodes();
        for (int i = 0; i < codes.size(); i++) {
            if (codes.get(i).isError()) {
                throw new TransportException("MQTT broker " + settings.endpoint() + " refused the subscription to '"
                        + settings.subscriptions().get(i).filter() + "': " + codes.get(i));
            }
        }
        return ack;
    }

    private Mqtt3SubAck check3(Mqtt3SubAck ack) {
        List<Mqtt3SubAckReturnCode> codes = ack.getReturnCodes();
        for (int i = 0; i < codes.size(); i++) {
            if (codes.get(i).isError()) {
                throw new TransportException("MQTT broker " + settings.endpoint() + " refused the subscription to '"
                        + settings.subscriptions().get(i).filter() + "': " + codes.get(i));
            }
        }
        return ack;
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
        if (cause instanceof Mqtt5ConnAckException) {
            return "MQTT broker " + settings.endpoint() + " refused the connection of client '" + settings.clientId()
                    + "': " + ((Mqtt5ConnAckException) cause).getMqttMessage().getReasonCode();
        }
        if (cause instanceof Mqtt3ConnAckException) {
            return "MQTT broker " + settings.endpoint() + " refused the connection of client '" + settings.clientId()
                    + "': " + ((Mqtt3ConnAckException) cause).getMqttMessage().getReturnCode();
        }
        return "MQTT " + step + " to " + settings.endpoint() + " failed: " + Errors.describe(cause);
    }

    private void onConnected() {
        state = ConnectionState.CONNECTED;
        // a new connection starts reading: hold it as the pause asks. The client sets the connection config (and so
        // the channel) before it calls this listener, on the network thread, before any PUBLISH of the connection is
        // delivered
        holdIfPaused();
        MessageHandler h = handler;
        if (connectedOnce) {
            LOG.info("MQTT: client '{}' reconnected to {}", settings.clientId(), settings.endpoint());
        }
        if (h != null) {
            h.onConnectionStateChanged(ConnectionState.CONNECTED, settings.endpoint());
        }
    }

    private void onDisconnected(MqttClientDisconnectedContext ctx) {
        MessageHandler h = handler;
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

    private void on5(Mqtt5Publish p) {
        deliver(p.getTopic().toString(), p.getQos().getCode(), p.getPayloadAsBytes(), p::acknowledge);
    }

    private void on3(Mqtt3Publish p) {
        deliver(p.getTopic().toString(), p.getQos().getCode(), p.getPayloadAsBytes(), p::acknowledge);
    }

    private void deliver(String topic, int qos, byte[] payload, Runnable ack) {
        if (droppedWhilePaused(topic, qos)) {
            ack.run();
            return;
        }
        handler.onMessage(new Delivered(topic, payload, qos, Instant.now(), ack));
    }

    /**
     * Holds reads through Netty's auto-read flag of the client's channel, reached through the HiveMQ client's
     * connection config (an internal class of the client; checked at run time, so a client that changes it degrades
     * to dropping QoS 0 while paused instead of failing). With auto-read off, the client still delivers the messages
     * of the socket reads already under way: one 64 KiB buffer with Java NIO, up to two with Netty's native epoll
     * transport (a read scheduled by the last resume runs once more). Then the connection is not read until resume.
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
        Object config;
        try {
            config = client5 != null ? client5.getConfig().getConnectionConfig().orElse(null)
                    : client3 != null ? client3.getConfig().getConnectionConfig().orElse(null) : null;
        } catch (RuntimeException e) {
            config = null;
        }
        if (config == null) {
            return true; // not connected: onConnected applies the hold
        }
        try {
            Channel channel = ((com.hivemq.client.internal.mqtt.MqttClientConnectionConfig) config).getChannel();
            if (channel.config().isAutoRead() == hold) {
                channel.config().setAutoRead(!hold);
            }
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
        try {
            CompletableFuture<Void> done = client5 != null ? client5.disconnect()
                    : client3 != null ? client3.disconnect() : CompletableFuture.completedFuture(null);
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
