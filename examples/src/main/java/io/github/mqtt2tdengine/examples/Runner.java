package io.github.mqtt2tdengine.examples;

import io.github.mqtt2tdengine.PipelineMetrics;
import io.github.mqtt2tdengine.PipelineState;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.examples.bench.CpuMeter;
import io.github.mqtt2tdengine.mqtt.HiveMqTransport;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.FieldTarget;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import io.github.mqtt2tdengine.spi.InboundMessage;
import io.github.mqtt2tdengine.spi.MessageHandler;
import io.github.mqtt2tdengine.tdengine.TDengineSink;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The runner ({@code java -jar examples/target/mqtt2tdengine-runner.jar}): with no arguments the demo, with
 * {@code --config FILE} the pipeline a config file describes. Exit codes: 0 clean stop, 2 bad config or arguments,
 * 1 runtime failure.
 */
public final class Runner {
    static final String USAGE = "usage: java -jar mqtt2tdengine-runner.jar [--config FILE [--dry-run | --check | "
            + "--sink discard]] [--max-messages N] [--duration SECONDS] [--log-level error|warn|info|debug|trace]";
    private static final long PROGRESS_EVERY_MS = 5_000;

    private static final CountDownLatch STOP = new CountDownLatch(1);
    private static final CountDownLatch DONE = new CountDownLatch(1);
    private static final AtomicBoolean HOOK = new AtomicBoolean();
    private static final AtomicInteger EXIT = new AtomicInteger(1);

    private Runner() {
    }

    /** The parsed command line. */
    record Options(Path config, boolean dryRun, boolean check, long maxMessages, long durationSeconds,
            String logLevel, boolean discard) {
    }

    /**
     * Runs the demo or a config file, then exits with 0, 1 or 2.
     *
     * @param args see {@link #USAGE}
     */
    public static void main(String[] args) {
        Options options;
        try {
            options = parse(args);
        } catch (ConfigException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            HOOK.set(true);
            STOP.countDown();
            try {
                DONE.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.flush();
            Runtime.getRuntime().halt(EXIT.get());
        }, "mqtt2td-runner-shutdown"));
        int code = run(options, System.out, System.err);
        EXIT.set(code);
        DONE.countDown();
        if (!HOOK.get()) {
            System.exit(code);
        }
    }

    static Options parse(String[] args) {
        Path config = null;
        boolean dryRun = false;
        boolean check = false;
        long maxMessages = 0;
        long duration = 0;
        String level = null;
        boolean discard = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--config" -> config = Path.of(value(args, ++i, a));
                case "--dry-run" -> dryRun = true;
                case "--check" -> check = true;
                case "--sink" -> {
                    String sink = value(args, ++i, a);
                    if (!sink.equals("discard")) {
                        throw new ConfigException("--sink must be 'discard' (map, batch and build statements, write "
                                + "nowhere), but was '" + sink + "'");
                    }
                    discard = true;
                }
                case "--max-messages" -> maxMessages = positive(value(args, ++i, a), a);
                case "--duration" -> duration = positive(value(args, ++i, a), a);
                case "--log-level" -> {
                    level = value(args, ++i, a).toLowerCase(Locale.ROOT);
                    if (!List.of("error", "warn", "info", "debug", "trace").contains(level)) {
                        throw new ConfigException("--log-level must be error, warn, info, debug or trace, but was '"
                                + level + "'");
                    }
                }
                case "--help", "-h" -> throw new ConfigException("help");
                default -> throw new ConfigException("unknown argument '" + a + "'");
            }
        }
        if (config == null && (dryRun || check || discard)) {
            throw new ConfigException((dryRun ? "--dry-run" : check ? "--check" : "--sink") + " needs --config FILE");
        }
        if ((dryRun ? 1 : 0) + (check ? 1 : 0) + (discard ? 1 : 0) > 1) {
            throw new ConfigException("--dry-run, --check and --sink discard exclude each other");
        }
        return new Options(config, dryRun, check, maxMessages, duration, level, discard);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new ConfigException(flag + " needs a value");
        }
        return args[i];
    }

    private static long positive(String text, String flag) {
        try {
            long v = Long.parseLong(text);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(flag + " must be a whole number greater than 0, but was '" + text + "'");
    }

    /**
     * Runs what the options say and returns the exit code.
     *
     * @param o the options
     * @param out where progress and the summary go
     * @param err where errors go
     * @return 0, 1 or 2
     */
    static int run(Options o, PrintStream out, PrintStream err) {
        if (o.config() == null) {
            logLevel(o.logLevel() != null ? o.logLevel() : "warn");
            return demo(o, out, err);
        }
        RunnerConfig config;
        SyncPipeline pipeline;
        TDengineSink sink;
        HiveMqTransport transport;
        try {
            // the level must be set before the first logger exists, so before any library class is loaded
            logLevel(o.logLevel() != null ? o.logLevel() : RunnerConfig.peekLogLevel(o.config()));
            config = RunnerConfig.load(o.config());
            transport = config.mqtt().build();
            sink = o.dryRun() ? config.tdengine().dryRun(out::println).build()
                    : o.discard() ? config.tdengine().dryRun(sql -> { }).build() : config.tdengine().build();
            pipeline = config.pipeline().source(transport).sink(sink).build();
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("error: config: " + e.getMessage());
            return 2;
        }
        if (o.check()) {
            return check(pipeline, transport, sink, out, err);
        }
        return runPipeline(pipeline, o, out, err);
    }

    private static void logLevel(String level) {
        System.setProperty("mqtt2td.log.level", level.toUpperCase(Locale.ROOT));
    }

    private static int check(SyncPipeline pipeline, HiveMqTransport transport, TDengineSink sink, PrintStream out,
            PrintStream err) {
        int code = 0;
        out.println("config: valid; pipeline '" + pipeline.name() + "' writes " + pipeline.tables());
        try {
            transport.start(new MessageHandler() {
                @Override
                public void onMessage(InboundMessage message) {
                    // not acknowledged: the broker keeps it for the real run
                }
            });
            out.println("mqtt: connected and subscribed: " + transport);
        } catch (RuntimeException e) {
            err.println("mqtt: " + e.getMessage());
            code = 1;
        } finally {
            transport.close();
        }
        try {
            for (String line : sink.check(pipeline.tables())) {
                out.println("tdengine: " + line);
            }
        } catch (RuntimeException e) {
            err.println("tdengine: " + e.getMessage());
            code = 1;
        }
        return code;
    }

    static int runPipeline(SyncPipeline pipeline, Options o, PrintStream out, PrintStream err) {
        try {
            pipeline.start();
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            pipeline.close();
            return 1;
        }
        out.println("started: pipeline '" + pipeline.name() + "'" + (o.discard() ? " (sink: discard)" : ""));
        CpuMeter meter = CpuMeter.start(() -> pipeline.metrics().received());
        long start = System.nanoTime();
        long lastProgress = start;
        long lastReceived = 0;
        try {
            while (true) {
                if (STOP.await(200, TimeUnit.MILLISECONDS)) {
                    break;
                }
                PipelineMetrics m = pipeline.metrics();
                if (m.state() == PipelineState.FAILED) {
                    break;
                }
                if (o.maxMessages() > 0 && m.received() >= o.maxMessages()) {
                    break;
                }
                long now = System.nanoTime();
                if (o.durationSeconds() > 0 && now - start >= TimeUnit.SECONDS.toNanos(o.durationSeconds())) {
                    break;
                }
                if (now - lastProgress >= TimeUnit.MILLISECONDS.toNanos(PROGRESS_EVERY_MS)) {
                    double rate = (m.received() - lastReceived) / ((now - lastProgress) / 1e9);
                    out.printf(Locale.ROOT, "progress: %.0f msg/s, received=%d written=%d deadLettered=%d "
                            + "inFlight=%d connection=%s%n", rate, m.received(), m.rowsWritten(), m.deadLetters(),
                            m.inFlight(), m.connectionState());
                    lastProgress = now;
                    lastReceived = m.received();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String figures = meter.stop();
        pipeline.close();
        PipelineMetrics m = pipeline.metrics();
        out.println(summary(m) + " " + figures);
        if (m.state() == PipelineState.FAILED) {
            err.println("error: pipeline failed: " + m.lastErrorMessage().orElse("see the log"));
            return 1;
        }
        return 0;
    }

    static String summary(PipelineMetrics m) {
        return "received=" + m.received() + " rows=" + m.rowsMapped() + " written=" + m.rowsWritten()
                + " deadLettered=" + m.deadLetters() + " acked=" + m.acked();
    }

    /** The demo: embedded broker, simulated fleet, pipeline into TDengine or a dry run. */
    static int demo(Options o, PrintStream out, PrintStream err) {
        String url = System.getenv("TDENGINE_JDBC_URL");
        try (DemoBroker broker = new DemoBroker()) {
            // HiveMQ CE embedded delivers QoS 1 to a manually acknowledging subscriber at ~50 msg/s here: fewer then
            long messages = o.maxMessages() > 0 ? o.maxMessages() : broker.isMosquitto() ? 20_000 : 1_000;
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
            out.println(url != null && !url.isBlank() ? "demo: writing to TDengine database mqtt2td_demo"
                    : "demo: TDENGINE_JDBC_URL is not set, so statements are printed (dry run), not written");
            SyncPipeline pipeline = SyncPipeline.builder()
                    .name("demo")
                    .source(HiveMqTransport.builder().endpoint("127.0.0.1:" + broker.port())
                            .clientId("mqtt2td-demo").topics("plant/+/meters::1").build())
                    .payload(PayloadSpec.json()
                            .receiveTimeColumn("ts")                                // seed row 1: receive time
                            .topic(FieldTarget.COLUMN)                              // seed row 2: topic
                            .qos(FieldTarget.COLUMN)                                // seed row 3: qos
                            .timestamp("mts", "$.ts", TimestampUnit.MILLISECONDS)   // message time as primary key
                            .tag("id", "$.id", ColumnType.INT)
                            .column("current", "$.current", ColumnType.FLOAT)
                            .column("voltage", "$.voltage", ColumnType.INT)
                            .column("status", "$.status", ColumnType.varchar(8))
                            .tag("location", "$.site.location", ColumnType.varchar(32))
                            .build())
                    .superTable("meters")
                    .subTableTemplate("d{id}")                                      // seed: "STable Name" d{id}
                    .sink(sink)
                    .batching(1000, Duration.ofMillis(200))
                    .deadLetterHandler(d -> { })                                    // counted in the summary
                    .build();
            pipeline.start();
            long t0 = System.nanoTime();
            new FleetPublisher(broker.port(), 100, messages, 500).run();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (pipeline.metrics().acked() < messages && System.nanoTime() < deadline
                    && pipeline.state() == PipelineState.RUNNING && !STOP.await(100, TimeUnit.MILLISECONDS)) {
                // wait for the last acknowledgements
                continue;
            }
            pipeline.close();
            double seconds = (System.nanoTime() - t0) / 1e9;
            PipelineMetrics m = pipeline.metrics();
            out.printf(Locale.ROOT, "demo: %d messages in %.1f s (%.0f msg/s), %d statements, dead letters %s%n",
                    m.received(), seconds, m.received() / seconds, printed.get(), m.deadLettersByReason());
            out.println(summary(m));
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
