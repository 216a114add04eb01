package io.github.mqtt2tdengine.examples;

import io.github.mqtt2tdengine.PipelineMetrics;
import io.github.mqtt2tdengine.PipelineState;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.mqtt.MqttTransport;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.FieldTarget;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import io.github.mqtt2tdengine.tdengine.TDengineSink;
import io.github.mqtt2tdengine.runner.internal.ProcessExit;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo ({@code java -jar examples/target/mqtt2tdengine-demo.jar}): an embedded broker, a simulated fleet of 100
 * meters and a pipeline into TDengine when {@code TDENGINE_JDBC_URL} is set, otherwise a dry run that prints the
 * statements. Stops by itself and ends with the summary line. Exit codes: 0 every message acknowledged, 1 otherwise,
 * 2 bad arguments.
 */
public final class Demo {
    static final String USAGE = "usage: java -jar mqtt2tdengine-demo.jar [--max-messages N] "
            + "[--log-level error|warn|info|debug|trace]";

    private static final ProcessExit PROCESS = new ProcessExit();

    private Demo() {
    }

    /**
     * Runs the demo, then exits with 0, 1 or 2.
     *
     * @param args {@code [--max-messages N] [--log-level LEVEL]}
     */
    public static void main(String[] args) {
        long maxMessages = 0;
        String level = "warn";
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--max-messages" -> maxMessages = Long.parseLong(args[++i]);
                    case "--log-level" -> level = args[++i];
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
            if (maxMessages < 0) {
                throw new IllegalArgumentException("--max-messages must not be negative");
            }
        } catch (RuntimeException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        // before the first logger exists (logback.xml reads it)
        System.setProperty("mqtt2td.log.level", level.toUpperCase(Locale.ROOT));
        // System.out is flushed by the work's own println before it returns; the hook halts with its code
        long messages = maxMessages;
        PROCESS.runAndExit("mqtt2td-demo-shutdown", () -> run(messages, System.out, System.err));
    }

    /** Messages the demo sends unless told otherwise, whichever broker runs. */
    static final long DEFAULT_MESSAGES = 20_000;

    /** Which connection a URL names, for the demo's first lines (never the URL's query: it may hold a password). */
    private static String connection(String url) {
        return url.startsWith("jdbc:TAOS-WS:") ? "WebSocket" : url.startsWith("jdbc:TAOS-RS:") ? "REST" : "the native "
                + "connection";
    }

    /** The demo: embedded broker, simulated fleet, pipeline into TDengine or a dry run. */
    static int run(long maxMessages, PrintStream out, PrintStream err) {
        String url = System.getenv("TDENGINE_JDBC_URL");
        try (DemoBroker broker = new DemoBroker()) {
            long messages = maxMessages > 0 ? maxMessages : DEFAULT_MESSAGES;
            out.println("demo: broker " + broker + " on 127.0.0.1:" + broker.port() + ", " + messages
                    + " messages from 100 simulated meters (one malformed in every 500)");
            AtomicLong printed = new AtomicLong();
            TDengineSink sink = url != null && !url.isBlank()
                    ? TDengineSink.builder().jdbcUrl(url).database("mqtt2td_demo")
                            .createDatabase(TimePrecision.MILLISECONDS).build()
                    : TDengineSink.builder().database("mqtt2td_demo").dryRun(sql -> {
                        long n = printed.incrementAndGet();
                        if (n <= 3) {
                            out.println("[dry-run] " + (sql.length() > 300 ? sql.substring(0, 300) + "... ("
                                    + sql.length() + " chars)" : sql));
                        }
                    }).build();
            out.println(url != null && !url.isBlank() ? "demo: writing to TDengine database mqtt2td_demo over "
                    + connection(url) : "demo: TDENGINE_JDBC_URL is not set, so statements are printed (dry run), not "
                    + "written");
            // the TDengine Cloud MQTT data source form, row by row
            SyncPipeline pipeline = SyncPipeline.builder()
                    .name("demo")
                    .source(MqttTransport.builder().endpoint("127.0.0.1:" + broker.port())
                            .clientId("mqtt2td-demo").topics("plant/+/meters::1").build())
                    .payload(PayloadSpec.json()
                            .receiveTimeColumn("ts")                                // form row 1: receive time
                            .topic(FieldTarget.COLUMN)                              // form row 2: topic
                            .qos(FieldTarget.COLUMN)                                // form row 3: qos
                            .timestamp("mts", "$.ts", TimestampUnit.MILLISECONDS)   // message time as primary key
                            .tag("id", "$.id", ColumnType.INT)
                            .column("current", "$.current", ColumnType.FLOAT)
                            .column("voltage", "$.voltage", ColumnType.INT)
                            .column("status", "$.status", ColumnType.varchar(8))
                            .tag("location", "$.site.location", ColumnType.varchar(32))
                            .build())
                    .superTable("meters")
                    .subTableTemplate("d{id}")                                      // form: "STable Name" d{id}
                    .sink(sink)
                    .batching(1000, Duration.ofMillis(200))
                    .deadLetterHandler(d -> { })                                    // counted in the summary
                    .build();
            pipeline.start();
            long t0 = System.nanoTime();
            new FleetPublisher(broker.port(), 100, messages, 500).run();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (pipeline.metrics().acked() < messages && System.nanoTime() < deadline
                    && pipeline.state() == PipelineState.RUNNING && !PROCESS.awaitStop(100)) {
                // wait for the last acknowledgements
                continue;
            }
            pipeline.close();
            double seconds = (System.nanoTime() - t0) / 1e9;
            PipelineMetrics m = pipeline.metrics();
            out.printf(Locale.ROOT, "demo: %d messages in %.1f s (%.0f msg/s), %d statements, dead letters %s%n",
                    m.received(), seconds, m.received() / seconds, printed.get(), m.deadLettersByReason());
            // the runner's summary line
            out.println("received=" + m.received() + " rows=" + m.rowsMapped() + " written=" + m.rowsWritten()
                    + " deadLettered=" + m.deadLetters() + " acked=" + m.acked());
            return m.state() == PipelineState.FAILED || m.acked() < messages ? 1 : 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (RuntimeException e) {
            err.println("error: demo failed: " + e.getMessage());
            return 1;
        }
    }
}
