package io.github.mqtt2tdengine.examples;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A simulated fleet of meters publishing JSON at QoS 1 on {@code plant/m<id>/meters}, one malformed message in every
 * {@code badEvery}; a separate MQTT client, as real devices would be.
 */
final class FleetPublisher {
    private final int port;
    private final int devices;
    private final long messages;
    private final int badEvery;

    FleetPublisher(int port, int devices, long messages, int badEvery) {
        this.port = port;
        this.devices = devices;
        this.messages = messages;
        this.badEvery = badEvery;
    }

    static String payload(long n, int devices, Random random) {
        int device = (int) (n % devices);
        return String.format(Locale.ROOT, "{\"id\":%d,\"ts\":%d,\"current\":%.2f,\"voltage\":%d,\"status\":\"%s\","
                + "\"site\":{\"location\":\"plant-a.hall-%d\"}}", device, 1_764_000_000_000L + n / devices * 1000,
                10 + random.nextGaussian(), 218 + random.nextInt(5), random.nextInt(50) == 0 ? "warn" : "ok",
                device % 3);
    }

    /** Publishes every message and waits for the broker's acknowledgements. */
    void run() throws InterruptedException {
        Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5().identifier("mqtt2td-demo-fleet")
                .serverHost("127.0.0.1").serverPort(port).buildAsync();
        client.connect().join();
        Random random = new Random(42);
        Semaphore window = new Semaphore(1000);
        for (long n = 0; n < messages; n++) {
            String payload = badEvery > 0 && n % badEvery == badEvery - 1
                    ? "{\"id\":" + (n % devices) + ",\"ts\":\"yesterday\"" : payload(n, devices, random);
            window.acquire();
            client.publishWith().topic("plant/m" + (n % devices) + "/meters").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload.getBytes(StandardCharsets.UTF_8)).send()
                    .whenComplete((r, e) -> window.release());
        }
        window.tryAcquire(1000, 30, TimeUnit.SECONDS);
        client.disconnect().join();
    }
}
