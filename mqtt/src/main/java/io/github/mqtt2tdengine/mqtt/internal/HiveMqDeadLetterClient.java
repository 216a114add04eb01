package io.github.mqtt2tdengine.mqtt.internal;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import io.github.mqtt2tdengine.errors.TransportException;
import io.netty.channel.MultithreadEventLoopGroup;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DeadLetterClient} on the HiveMQ MQTT Client, MQTT 5.0 or 3.1.1; the clients are built as the transport's
 * ({@link VersionedClient}, {@link HiveMqSession#transportConfig}) on one event loop of its own. Not API.
 */
final class HiveMqDeadLetterClient implements DeadLetterClient {
    private static final Logger LOG = LoggerFactory.getLogger(HiveMqDeadLetterClient.class);
    /** The keeper takes one message at a time: what the broker sends it stays queued, unacknowledged. */
    private static final int KEEPER_RECEIVE_MAXIMUM = 1;

    private final MqttSettings settings;
    /** Created at the first connect, ended by close. */
    private MultithreadEventLoopGroup eventLoop;
    private volatile VersionedClient client;

    HiveMqDeadLetterClient(MqttSettings settings) {
        this.settings = settings;
    }

    @Override
    public boolean connect() {
        VersionedClient c = client;
        if (c != null && c.connectionConfig().isPresent()) {
            return false;
        }
        drop();
        VersionedClient fresh = VersionedClient.create(settings, builder(settings), settings.receiveMaximum(),
                HiveMqDeadLetterClient::ignore);
        await(fresh.connect(), fresh, settings, "connect");
        client = fresh;
        return true;
    }

    @Override
    public void keep(MqttSettings keeper) {
        VersionedClient k = VersionedClient.create(keeper, builder(keeper), KEEPER_RECEIVE_MAXIMUM,
                HiveMqDeadLetterClient::ignore);
        try {
            await(k.connect(), k, keeper, "connect");
            await(k.subscribe(), k, keeper, "subscribe");
        } finally {
            disconnect(k, keeper);
        }
    }

    /** What the broker sends a client of the destination is never acknowledged: it stays queued for the session. */
    private static void ignore(String topic, int qos, byte[] payload, UserProperties properties, Runnable ack) {
    }

    private MqttClientBuilder builder(MqttSettings s) {
        if (eventLoop == null) {
            eventLoop = ClientEventLoop.create("mqtt2td-mqtt-" + settings.clientId());
        }
        return MqttClient.builder().identifier(s.clientId())
                .executorConfig(MqttClientExecutorConfig.builder().nettyExecutor(eventLoop).build())
                .transportConfig(HiveMqSession.transportConfig(s));
    }

    private static void await(CompletableFuture<?> future, VersionedClient c, MqttSettings s, String step) {
        long timeout = s.connectTimeout().toMillis() + 2_000;
        try {
            future.get(timeout, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            disconnect(c, s);
            throw new TransportException("MQTT: interrupted during the " + step + " of client '" + s.clientId()
                    + "' to " + s.endpoint(), e);
        } catch (TimeoutException e) {
            disconnect(c, s);
            throw new TransportException("MQTT broker " + s.endpoint() + " did not answer the " + step + " of client '"
                    + s.clientId() + "' within " + timeout + " ms", e);
        } catch (ExecutionException e) {
            disconnect(c, s);
            Throwable cause = Errors.unwrap(e);
            if (cause instanceof TransportException t) {
                throw t;
            }
            throw new TransportException(c.refusal(cause).map(code -> "MQTT broker " + s.endpoint()
                    + " refused the connection of client '" + s.clientId() + "': " + code)
                    .orElse("MQTT " + step + " of client '" + s.clientId() + "' to " + s.endpoint() + " failed: "
                            + Errors.describe(cause)), cause);
        }
    }

    @Override
    public CompletableFuture<Integer> publish(String topic, byte[] payload, List<String[]> properties) {
        VersionedClient c = client;
        if (c == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
        }
        return c.publish(topic, payload, properties);
    }

    @Override
    public void drop() {
        VersionedClient c = client;
        client = null;
        if (c != null) {
            disconnect(c, settings);
        }
    }

    private static void disconnect(VersionedClient c, MqttSettings s) {
        try {
            c.disconnect().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("MQTT: disconnect of client '{}' from {}: {}", s.clientId(), s.endpoint(), e.toString());
        }
    }

    @Override
    public void close() {
        drop();
        ClientEventLoop.shutdown(eventLoop);
        eventLoop = null;
    }
}
