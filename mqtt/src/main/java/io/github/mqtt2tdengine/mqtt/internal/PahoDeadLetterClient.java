package io.github.mqtt2tdengine.mqtt.internal;

import io.github.mqtt2tdengine.errors.TransportException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DeadLetterClient} on Eclipse Paho, for MQTT 3.1; options as the transport's ({@link PahoSession#options}).
 * Not API.
 */
final class PahoDeadLetterClient implements DeadLetterClient {
    private static final Logger LOG = LoggerFactory.getLogger(PahoDeadLetterClient.class);
    /** QoS 1 publishes one connection may have unacknowledged (Paho refuses more). */
    static final int MAX_INFLIGHT = 1_000;

    private final MqttSettings settings;
    private final String uri;
    private volatile MqttAsyncClient client;

    PahoDeadLetterClient(MqttSettings settings) {
        this.settings = settings;
        this.uri = PahoSession.uri(settings);
    }

    @Override
    public boolean connect() {
        MqttAsyncClient c = client;
        if (c != null && c.isConnected()) {
            return false;
        }
        drop();
        MqttAsyncClient fresh = open(settings);
        try {
            fresh.connect(PahoSession.options(settings, MAX_INFLIGHT)).waitForCompletion(timeout(settings));
        } catch (MqttException e) {
            closeQuietly(fresh);
            throw failure(settings, "connect", e);
        }
        client = fresh;
        return true;
    }

    @Override
    public void keep(MqttSettings keeper) {
        MqttAsyncClient k = open(keeper);
        try {
            k.connect(PahoSession.options(keeper, 10)).waitForCompletion(timeout(keeper));
            IMqttToken t = k.subscribe(keeper.subscriptions().get(0).filter(), keeper.subscriptions().get(0).qos());
            t.waitForCompletion(timeout(keeper));
            int[] granted = t.getGrantedQos();
            if (granted != null && granted.length > 0 && granted[0] == 0x80) {
                throw new TransportException("MQTT broker " + keeper.endpoint() + " refused the subscription of client '"
                        + keeper.clientId() + "' to '" + keeper.subscriptions().get(0).filter() + "'");
            }
        } catch (MqttException e) {
            throw failure(keeper, "connect", e);
        } finally {
            closeQuietly(k);
        }
    }

    private MqttAsyncClient open(MqttSettings s) {
        try {
            MqttAsyncClient c = new MqttAsyncClient(uri, s.clientId(), new MemoryPersistence());
            c.setManualAcks(true); // what the broker sends is never acknowledged: it stays queued for the session
            c.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                    LOG.debug("MQTT: client '{}' lost its connection to {}: {}", s.clientId(), s.endpoint(),
                            String.valueOf(cause));
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    // not acknowledged: kept for the session
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                    // publish() completes through its token's listener
                }
            });
            return c;
        } catch (MqttException | IllegalArgumentException e) {
            throw new TransportException("MQTT client for " + uri + " cannot be created: " + e.getMessage(), e);
        }
    }

    private static long timeout(MqttSettings s) {
        return s.connectTimeout().toMillis() + 2_000;
    }

    private static TransportException failure(MqttSettings s, String step, MqttException e) {
        String why = switch (e.getReasonCode()) {
            case MqttException.REASON_CODE_FAILED_AUTHENTICATION -> "refused the connection of client '"
                    + s.clientId() + "': bad user name or password";
            case MqttException.REASON_CODE_NOT_AUTHORIZED -> "refused the connection of client '" + s.clientId()
                    + "': not authorized";
            case MqttException.REASON_CODE_INVALID_CLIENT_ID -> "refused client id '" + s.clientId() + "'";
            case MqttException.REASON_CODE_CLIENT_TIMEOUT -> "did not answer client '" + s.clientId() + "' within "
                    + timeout(s) + " ms";
            default -> null;
        };
        return new TransportException(why != null ? "MQTT broker " + s.endpoint() + " " + why
                : "MQTT " + step + " of client '" + s.clientId() + "' to " + s.endpoint() + " failed: "
                        + (e.getCause() != null ? Errors.describe(e.getCause()) : e.getMessage()), e);
    }

    @Override
    public CompletableFuture<Integer> publish(String topic, byte[] payload, List<String[]> properties) {
        MqttAsyncClient c = client;
        if (c == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
        }
        CompletableFuture<Integer> done = new CompletableFuture<>();
        try {
            c.publish(topic, payload, 1, false, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    done.complete(0);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (MqttException | RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    @Override
    public void drop() {
        MqttAsyncClient c = client;
        client = null;
        closeQuietly(c);
    }

    private void closeQuietly(MqttAsyncClient c) {
        PahoSession.closeQuietly(c, uri);
    }

    @Override
    public void close() {
        drop();
    }
}
