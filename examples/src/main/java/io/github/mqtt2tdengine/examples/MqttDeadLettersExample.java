package io.github.mqtt2tdengine.examples;

import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.deadletters.FileDeadLetters;
import io.github.mqtt2tdengine.mqtt.MqttDeadLetters;
import io.github.mqtt2tdengine.mqtt.MqttTransport;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import io.github.mqtt2tdengine.spi.Sink;
import java.nio.file.Path;

/**
 * docs/dead-letters-mqtt.md: dead letters kept on the MQTT broker, and replayed once the mapping is fixed. Run by
 * {@code MqttDeadLettersExampleIT} against a real mosquitto.
 */
public final class MqttDeadLettersExample {
    private MqttDeadLettersExample() {
    }

    /**
     * The mapping: energy counters in watt-hours, which passed 2^31 on some devices.
     *
     * @param energy the type of the counter column: {@code INT} at first, {@code BIGINT} once fixed
     * @return the mapping
     */
    static PayloadSpec mapping(ColumnType energy) {
        return PayloadSpec.json()
                .withoutReceiveTime()
                .timestamp("ts", "$.ts", TimestampUnit.MILLISECONDS)
                .column("energy_wh", "$.energy_wh", energy)
                .tagFromTopicLevel("device_id", 1)
                .build();
    }

    /**
     * The pipeline, its dead letters kept on the broker it reads from.
     *
     * @param endpoint the broker
     * @param sink where rows go
     * @return the pipeline, not started
     */
    public static SyncPipeline pipeline(String endpoint, Sink sink) {
        MqttTransport source = MqttTransport.builder()
                .endpoint(endpoint)
                .clientId("mqtt2td-plant-a").cleanSession(false)
                .subscribe("plant-a/+/meters")
                .build();
        return SyncPipeline.builder()
                .name("plant-a-meters")
                .source(source)
                .payload(mapping(ColumnType.INT))
                .superTable("meters")
                .subTableTemplate("meter_{device_id}")
                .sink(sink)
                .deadLetterHandler(MqttDeadLetters.builder()
                        .connection(source)        // the same broker, on a connection of its own
                        .build())                  // to mqtt2td/dead-letters/<topic>, kept for the keeper session
                .build();
    }

    /**
     * The replay, once the mapping is fixed: reads what the broker kept for the pipeline's keeper session.
     *
     * @param endpoint the broker
     * @param sink where rows go
     * @param stillBad where the replay keeps what is still bad
     * @return the pipeline, not started
     */
    public static SyncPipeline replay(String endpoint, Sink sink, Path stillBad) {
        return SyncPipeline.builder()
                .name("plant-a-meters-replay")
                .source(MqttTransport.builder()
                        .endpoint(endpoint)
                        .clientId(MqttDeadLetters.defaultKeeperClientId("plant-a-meters"))  // the keeper's session
                        .cleanSession(false).sessionExpiry(MqttDeadLetters.KEEPER_SESSION_EXPIRY)
                        .deadLetterReplay(MqttDeadLetters.DEFAULT_PREFIX)  // original topic, payload, QoS, time
                        .build())
                .payload(mapping(ColumnType.BIGINT))                        // the fixed mapping
                .superTable("meters")
                .subTableTemplate("meter_{device_id}")
                .sink(sink)
                .deadLetterHandler(FileDeadLetters.builder().directory(stillBad).build())  // not back to the queue
                .build();
    }
}
