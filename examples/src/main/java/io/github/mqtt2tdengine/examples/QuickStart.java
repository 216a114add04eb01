package io.github.mqtt2tdengine.examples;

import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.mqtt.MqttTransport;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import io.github.mqtt2tdengine.tdengine.TDengineSink;
import java.time.Duration;

/**
 * The README quick start: a host application wiring a pipeline from an MQTT broker into TDengine. Run in CI by
 * {@code QuickStartIT} against a real mosquitto and the TDengine REST test server; set {@code MQTT_ENDPOINT},
 * {@code MQTT_PASSWORD}, {@code TDENGINE_JDBC_URL} and {@code TD_PASSWORD} to point it at your own.
 */
public final class QuickStart {
    private QuickStart() {
    }

    /**
     * Runs the pipeline until the JVM is stopped.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        SyncPipeline pipeline = SyncPipeline.builder()
                .name("plant-a-meters")
                .source(MqttTransport.builder()
                        .endpoint(System.getenv().getOrDefault("MQTT_ENDPOINT", "broker.internal:1883"))
                        .clientId("mqtt2td-plant-a").cleanSession(false)          // persistent session
                        .credentials("ingest", System.getenv("MQTT_PASSWORD"))
                        .subscribe("plant-a/+/meters")                            // QoS 1, manual ack
                        .build())
                .payload(PayloadSpec.json()
                        .withoutReceiveTime()                                     // the message time is the key:
                        .timestamp("ts", "$.ts", TimestampUnit.MILLISECONDS)      // column ts, a replay is harmless
                        .column("current", "$.metrics.current", ColumnType.FLOAT)
                        .column("voltage", "$.metrics.voltage", ColumnType.INT)
                        .tag("location", "$.site.location", ColumnType.varchar(64))
                        .tagFromTopicLevel("device_id", 1)                        // plant-a/<device_id>/meters
                        .build())
                .superTable("meters")
                .subTableTemplate("meter_{device_id}")                            // one sub-table per device
                .sink(TDengineSink.builder()
                        .jdbcUrl(System.getenv().getOrDefault("TDENGINE_JDBC_URL",
                                "jdbc:TAOS-WS://tdengine:6041/power"))
                        .credentials("writer", System.getenv("TD_PASSWORD"))
                        .build())
                .batching(500, Duration.ofSeconds(1))                             // max rows, max age
                .build();                   // validates everything; nothing connects yet
        pipeline.start();                   // connects, subscribes, returns; work runs on library threads
        Runtime.getRuntime().addShutdownHook(new Thread(pipeline::close));       // write + ack the last batch
    }
}
