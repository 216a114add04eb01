package io.github.mqtt2tdengine.examples.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's publisher, run as its own process: {@code LoadPublisher PORT QOS MESSAGES DEVICES [ten|five]}.
 * Publishes as fast as the broker takes it (a window of outstanding publishes), then prints
 * {@code published=N ms=T}.
 */
public final class LoadPublisher {
    private LoadPublisher() {
    }

    /**
     * Publishes the load.
     *
     * @param args port, QoS, message count, device count, optionally the payload (ten fields by default)
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        MqttQos qos = MqttQos.fromCode(Integer.parseInt(args[1]));
        long messages = Long.parseLong(args[2]);
        int devices = Integer.parseInt(args[3]);
        boolean five = args.length > 4 && args[4].equals("five");
        Mqtt3AsyncClient client = MqttClient.builder().useMqttVersion3().identifier("mqtt2td-bench-publisher")
                .serverHost("127.0.0.1").serverPort(port).buildAsync();
        client.connect().join();
        Random random = new Random(7);
        int windowSize = qos == MqttQos.AT_MOST_ONCE ? 5_000 : 1_000;
        Semaphore window = new Semaphore(windowSize);
        long t0 = System.nanoTime();
        for (long n = 0; n < messages; n++) {
            window.acquire();
            client.publishWith().topic(BenchPayload.topic((int) (n % devices))).qos(qos)
                    .payload(BenchPayload.payload(five, n, devices, random)).send()
                    .whenComplete((r, e) -> window.release());
        }
        if (!window.tryAcquire(windowSize, 60, TimeUnit.SECONDS)) {
            System.err.println("publisher: the broker did not take the last messages within 60 s");
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        client.disconnect().join();
        System.out.println(String.format(Locale.ROOT, "published=%d ms=%d", messages, ms));
    }
}
