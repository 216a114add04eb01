package io.github.mqtt2tdengine.examples;

import io.github.mqtt2tdengine.DeadLetterReason;
import io.github.mqtt2tdengine.PipelineMetrics;
import io.github.mqtt2tdengine.Preview;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.FieldTarget;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

/**
 * The runnable main ({@code java -jar examples/target/mqtt2tdengine-runner.jar}). For now it runs the demo: a
 * simulated fleet of meters, the seed's payload parser options, and a dry-run sink, then prints the summary line.
 * The config-file runner, MQTT and TDengine arrive with their issues.
 */
public final class Runner {
    private Runner() {
    }

    /**
     * Runs the demo.
     *
     * @param args {@code --messages N} (default 20000) and {@code --devices N} (default 100)
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        long messages = 20_000;
        int devices = 100;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--messages") && i + 1 < args.length) {
                messages = Long.parseLong(args[++i]);
            } else if (args[i].equals("--devices") && i + 1 < args.length) {
                devices = Integer.parseInt(args[++i]);
            } else {
                System.err.println("usage: java -jar mqtt2tdengine-runner.jar [--messages N] [--devices N]");
                System.exit(2);
            }
        }
        System.exit(runDemo(messages, devices, System.out));
    }

    /**
     * Runs the demo and prints its summary.
     *
     * @param messages messages the fleet publishes
     * @param devices meters in the fleet
     * @param out where to print
     * @return the exit code: 0 when every message was acknowledged
     * @throws InterruptedException if interrupted
     */
    static int runDemo(long messages, int devices, PrintStream out) throws InterruptedException {
        SimulatedFleet fleet = new SimulatedFleet(devices, messages, 500);
        PayloadSpec spec = PayloadSpec.json()
                .receiveTimeColumn("ts")                                   // seed row 1: receive time
                .topic(FieldTarget.TAG)                                    // seed row 2: topic as a tag
                .qos(FieldTarget.COLUMN)                                   // seed row 3: qos as a column
                .timestamp("mts", "$.ts", TimestampUnit.MILLISECONDS)     // message timestamp as primary key
                .tag("id", "$.id", ColumnType.INT)                         // custom fields
                .column("current", "$.current", ColumnType.FLOAT)
                .column("voltage", "$.voltage", ColumnType.INT)
                .tag("location", "$.site.location", ColumnType.varchar(32))
                .build();
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        SyncPipeline pipeline = SyncPipeline.builder()
                .name("demo")
                .source(fleet)
                .payload(spec)
                .superTable("meters")                                      // seed: super table name
                .subTableTemplate("d{id}")                                 // seed: "STable Name" d{id}
                .sink(new PrintingSink(quiet))
                .batching(1000, Duration.ofMillis(200))
                .deadLetterHandler(d -> { })                               // counted below; the default logs a WARN
                .build();

        Preview preview = pipeline.preview("plant/m7/meters",
                "{\"id\":7,\"ts\":1764000000123,\"current\":10.3,\"voltage\":219,\"site\":{\"location\":\"hall-1\"}}");
        out.println("demo: one message previews as " + preview.rows());
        Preview bad = pipeline.preview("plant/m7/meters", "{\"id\":7,\"ts\":1764000000123,\"current\":\"n/a\"}");
        out.println("demo: a bad one is dead-lettered: " + bad.error().map(Throwable::getMessage).orElse("?"));

        long t0 = System.nanoTime();
        pipeline.start();
        boolean published = fleet.awaitPublished(120);
        pipeline.close();
        double seconds = (System.nanoTime() - t0) / 1e9;
        PipelineMetrics m = pipeline.metrics();
        Map<DeadLetterReason, Long> reasons = m.deadLettersByReason();
        out.printf(java.util.Locale.ROOT, "demo: %d devices, %.1f s, %.0f msg/s, dead letters by reason %s%n", devices,
                seconds, m.received() / seconds, reasons);
        out.println("received=" + m.received() + " rows=" + m.rowsMapped() + " written=" + m.rowsWritten()
                + " deadLettered=" + m.deadLetters() + " acked=" + m.acked());
        return published && m.acked() == messages && fleet.acked() == messages ? 0 : 1;
    }
}
