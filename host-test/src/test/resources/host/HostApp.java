package host;

import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.mqtt.MqttTransport;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.tdengine.TDengineSink;

/** A host application that speaks MQTT 5 and has no Paho on its class path. */
public final class HostApp {
    private HostApp() {
    }

    public static void main(String[] args) {
        SyncPipeline p = SyncPipeline.builder().name("host")
                .source(MqttTransport.builder().endpoint("127.0.0.1:1883").subscribe("plant/+/meters").build())
                .payload(PayloadSpec.json().column("v", "$.v", ColumnType.DOUBLE).tagFromTopicLevel("device", 1)
                        .build())
                .superTable("meters").subTableTemplate("d{device}")
                .sink(TDengineSink.builder().jdbcUrl("jdbc:TAOS-WS://127.0.0.1:6041/power").build())
                .build();
        System.out.println("MQTT 5.0 pipeline built: " + p.tables());
        try {
            MqttTransport.builder().protocolVersion("3.1").subscribe("a").build();
            System.out.println("MQTT 3.1 built without Paho");
        } catch (IllegalStateException e) {
            System.out.println("MQTT 3.1: " + e.getMessage());
        }
    }
}
