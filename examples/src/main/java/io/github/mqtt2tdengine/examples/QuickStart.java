package io.github.mqtt2tdengine.examples;

import io.github.mqtt2tdengine.PipelineMetrics;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import java.time.Duration;

/**
 * The README quick start: a host application wiring a pipeline. The source and sink here are the demo's simulated
 * fleet and dry-run sink; with the MQTT and TDengine modules they become {@code HiveMqTransport} and
 * {@code TDengineSink}.
 */
public final class QuickStart {
    private QuickStart() {
    }

    /**
     * Builds, runs for a moment and closes a pipeline.
     *
     * @param args unused
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        SimulatedFleet fleet = new SimulatedFleet(10, 1_000, 0);
        SyncPipeline pipeline = SyncPipeline.builder()
                .name("plant-a-meters")
                .source(fleet)                                                 // MQTT: HiveMqTransport
                .payload(PayloadSpec.json()
                        .timestamp("$.ts", TimestampUnit.MILLISECONDS)         // message time is the primary key
                        .column("current", "$.current", ColumnType.FLOAT)
                        .column("voltage", "$.voltage", ColumnType.INT)
                        .tag("location", "$.site.location", ColumnType.varchar(32))
                        .tagFromTopicLevel("device_id", 1)                     // plant/<device_id>/meters
                        .build())
                .superTable("meters")
                .subTableTemplate("meter_{device_id}")                         // one sub-table per device
                .sink(new PrintingSink(System.out))                            // TDengine: TDengineSink
                .batching(500, Duration.ofSeconds(1))
                .build();
        pipeline.start();
        fleet.awaitPublished(30);
        pipeline.close();                                                      // write + ack the last batch
        PipelineMetrics m = pipeline.metrics();
        System.out.println("received=" + m.received() + " written=" + m.rowsWritten() + " acked=" + m.acked());
    }
}
