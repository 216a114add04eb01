package io.github.mqtt2tdengine.runner;

import io.github.mqtt2tdengine.PipelineMetrics;
import io.github.mqtt2tdengine.PipelineState;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.mqtt.MqttTransport;
import io.github.mqtt2tdengine.runner.internal.CpuMeter;
import io.github.mqtt2tdengine.runner.internal.DeadLetterReplayCommand;
import io.github.mqtt2tdengine.runner.internal.MetricsServer;
import io.github.mqtt2tdengine.runner.internal.ProcessExit;
import io.github.mqtt2tdengine.settings.ConfigException;
import io.github.mqtt2tdengine.settings.PipelineConfig;
import io.github.mqtt2tdengine.spi.InboundMessage;
import io.github.mqtt2tdengine.spi.TransportContext;
import io.github.mqtt2tdengine.tdengine.TDengineSink;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The command-line runner ({@code java -jar runner/target/mqtt2tdengine-runner.jar --config FILE}): runs the pipeline
 * a config file describes ({@link PipelineConfig}) until SIGINT/SIGTERM or a limit, then closes it gracefully and
 * prints the summary. Exit codes: 0 clean stop, 2 bad config or arguments, 1 runtime failure. See {@link #main} for
 * the arguments.
 *
 * <p>Logging: the runner jar carries logback as its SLF4J binding. Unless {@code -Dlogback.configurationFile} is
 * given, the runner configures it with its own {@code io/github/mqtt2tdengine/runner/logback-runner.xml} (stderr,
 * level from {@code --log-level} or the file's {@code logLevel}); the library jar has no {@code logback.xml}, so it
 * never configures a host's logging.
 *
 * @since 0.1.0
 */
public final class Runner {
    /** The database the statements of {@code --dry-run} and {@code --sink discard} name without a tdengine section. */
    static final String DRY_RUN_DATABASE = "mqtt2td";
    /** The error without a tdengine section and without a flag that does without it. */
    static final String NO_TDENGINE = "config has no tdengine section: add one, or run with --sink discard / --dry-run";
    /** The runner's logback configuration, a classpath resource (not named logback.xml: never picked up by itself). */
    static final String LOGBACK_CONFIG = "io/github/mqtt2tdengine/runner/logback-runner.xml";
    static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar mqtt2tdengine-runner.jar --config FILE [--dry-run | --check | --sink discard]",
            "       [--max-messages N] [--duration SECONDS] [--log-level error|warn|info|debug|trace]",
            "       [--metrics-port N]   (Prometheus text at /metrics, health at /health; 0 = any free port)",
            "   or: java -jar mqtt2tdengine-runner.jar --config FILE --replay-dead-letters [--since T] [--reason R]",
            "       (the pipeline's dead letters kept in TDengine, through the current mapping into the same sink;",
            "       T an ISO-8601 instant or date, R a dead-letter reason such as TYPE_MISMATCH)",
            "The config's tdengine section may be left out with --sink discard and --dry-run (statements then name",
            "database '" + DRY_RUN_DATABASE + "'), and with --check (which then checks MQTT only).");
    private static final long PROGRESS_EVERY_MS = 5_000;

    private static final ProcessExit PROCESS = new ProcessExit();

    private Runner() {
    }

    /** The parsed command line. */
    record Options(Path config, boolean dryRun, boolean check, long maxMessages, long durationSeconds,
            String logLevel, boolean discard, Integer metricsPort, DeadLetterReplayCommand.Selection replay) {
    }

    /**
     * Runs the pipeline of a config file, then exits the JVM with 0 (clean stop), 1 (runtime failure) or 2 (bad
     * config or arguments; no arguments print the usage). Arguments: {@code --config FILE} (required) and at most one
     * of {@code --dry-run} (print the statements instead of sending them), {@code --check} (validate, connect, compare
     * the schema, exit) and {@code --sink discard} (map, batch and build statements, write nowhere); then
     * {@code --max-messages N}, {@code --duration SECONDS}, {@code --log-level error|warn|info|debug|trace} and
     * {@code --metrics-port N} (the metrics endpoint; overrides the config's {@code metrics.port}). With
     * {@code --replay-dead-letters [--since T] [--reason R]} it replays the pipeline's dead letters kept in TDengine
     * instead, through the current mapping into the same sink, and exits once all were written again or dead-lettered
     * again. Blocks until the pipeline stops.
     *
     * @param args the command line
     * @since 0.1.0
     */
    public static void main(String[] args) {
        // a command line's user interface is the process's own streams: bound here, and nowhere else in the module
        PrintStream out = System.out;
        PrintStream err = System.err;
        PROCESS.runAndExit("mqtt2td-runner-shutdown", () -> execute(args, out, err));
    }

    /**
     * Parses the command line and runs it.
     *
     * @return the exit code: 0, 1, or 2 for bad arguments (with the usage)
     */
    static int execute(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = parse(args);
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        return run(options, out, err);
    }

    static Options parse(String[] args) {
        Path config = null;
        boolean dryRun = false;
        boolean check = false;
        long maxMessages = 0;
        long duration = 0;
        String level = null;
        boolean discard = false;
        Integer metricsPort = null;
        boolean replay = false;
        Instant since = null;
        DeadLetterReason reason = null;
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
                    if (!PipelineConfig.LOG_LEVELS.contains(level)) {
                        throw new ConfigException("--log-level must be error, warn, info, debug or trace, but was '"
                                + level + "'");
                    }
                }
                case "--metrics-port" -> metricsPort = port(value(args, ++i, a), a);
                case "--replay-dead-letters" -> replay = true;
                case "--since" -> since = DeadLetterReplayCommand.since(value(args, ++i, a));
                case "--reason" -> reason = DeadLetterReplayCommand.reason(value(args, ++i, a));
                case "--help", "-h" -> throw new ConfigException("help");
                default -> throw new ConfigException("unknown argument '" + a + "'");
            }
        }
        if (config == null && (dryRun || check || discard)) {
            throw new ConfigException((dryRun ? "--dry-run" : check ? "--check" : "--sink") + " needs --config FILE");
        }
        if (config == null) {
            throw new ConfigException("--config FILE is required");
        }
        if ((dryRun ? 1 : 0) + (check ? 1 : 0) + (discard ? 1 : 0) > 1) {
            throw new ConfigException("--dry-run, --check and --sink discard exclude each other");
        }
        if (!replay && (since != null || reason != null)) {
            throw new ConfigException((since != null ? "--since" : "--reason") + " needs --replay-dead-letters");
        }
        if (replay && (dryRun || check || discard)) {
            throw new ConfigException("--replay-dead-letters excludes --dry-run, --check and --sink discard");
        }
        return new Options(config, dryRun, check, maxMessages, duration, level, discard, metricsPort,
                replay ? new DeadLetterReplayCommand.Selection(since, reason) : null);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new ConfigException(flag + " needs a value");
        }
        return args[i];
    }

    private static int port(String text, String flag) {
        try {
            int v = Integer.parseInt(text);
            if (v >= 0 && v <= 65_535) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(flag + " must be a port, 0 (any free port) to 65535, but was '" + text + "'");
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
        PipelineConfig config;
        SyncPipeline pipeline;
        TDengineSink sink;
        MqttTransport transport;
        boolean hasTdengine;
        try {
            // the level must be set before the first logger exists, so before any library class is loaded
            configureLogging(o.logLevel() != null ? o.logLevel() : PipelineConfig.peekLogLevel(o.config()));
            config = PipelineConfig.load(o.config());
            if (o.replay() != null) {
                return DeadLetterReplayCommand.run(config, o.replay(), PROCESS, out, err);
            }
            Optional<TDengineSink.Builder> tdengine = config.tdengine();
            hasTdengine = tdengine.isPresent();
            if (!hasTdengine && !o.dryRun() && !o.discard() && !o.check()) {
                err.println("error: " + NO_TDENGINE);
                return 2;
            }
            transport = config.mqtt().build();
            // without a tdengine section, the statements (printed or discarded) need a database name only as text
            TDengineSink.Builder sinkBuilder = tdengine.orElseGet(() -> TDengineSink.builder()
                    .database(DRY_RUN_DATABASE));
            sink = o.dryRun() ? sinkBuilder.dryRun(out::println).build()
                    : o.discard() || tdengine.isEmpty() ? sinkBuilder.dryRun(sql -> { }).build() : sinkBuilder.build();
            // dead letters: a TDengine table beside the data by default (a dry run and --sink discard only log them)
            pipeline = config.deadLetters(config.pipeline().source(transport).sink(sink), sink, transport).build();
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("error: config: " + e.getMessage());
            return 2;
        }
        if (o.check()) {
            return check(pipeline, transport, hasTdengine ? sink : null, out, err);
        }
        Integer port = o.metricsPort() != null ? o.metricsPort()
                : config.metricsPort().isPresent() ? Integer.valueOf(config.metricsPort().getAsInt()) : null;
        return runPipeline(pipeline, o, port == null ? null : new Endpoint(config.metricsHost(), port), out, err);
    }

    /** Where the metrics endpoint listens. */
    record Endpoint(String host, int port) {
    }

    /** Sets the level for the runner's logback configuration, and that configuration unless the user named one. */
    private static void configureLogging(String level) {
        System.setProperty("mqtt2td.log.level", level.toUpperCase(Locale.ROOT));
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGBACK_CONFIG);
        }
    }

    /** Checks the config, the broker and, when the config has a tdengine section ({@code sink} not null), TDengine. */
    private static int check(SyncPipeline pipeline, MqttTransport transport, TDengineSink sink, PrintStream out,
            PrintStream err) {
        int code = 0;
        out.println("config: valid; pipeline '" + pipeline.name() + "' writes " + pipeline.tables());
        try {
            transport.start(new TransportContext() {
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
        if (sink == null) {
            out.println("tdengine: not checked: the config has no tdengine section");
            return code;
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

    static int runPipeline(SyncPipeline pipeline, Options o, Endpoint endpoint, PrintStream out, PrintStream err) {
        MetricsServer server = null;
        if (endpoint != null) {
            // before start(): a health probe sees "starting" while the broker and the database are reached
            try {
                server = MetricsServer.start(pipeline, endpoint.host(), endpoint.port());
            } catch (RuntimeException e) {
                err.println("error: " + e.getMessage());
                pipeline.close();
                return 1;
            }
            out.println("metrics: http://" + endpoint.host() + ":" + server.port() + "/metrics, health: http://"
                    + endpoint.host() + ":" + server.port() + "/health");
        }
        try {
            return runStarted(pipeline, o, out, err);
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private static int runStarted(SyncPipeline pipeline, Options o, PrintStream out, PrintStream err) {
        try {
            pipeline.start();
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            pipeline.close();
            return 1;
        }
        out.println("started: pipeline '" + pipeline.name() + "'" + (o.discard() ? " (sink: discard)" : ""));
        // measured on acknowledged messages (written, dead-lettered or filtered): a real sink's work is inside the window
        CpuMeter meter = CpuMeter.start(() -> pipeline.metrics().acked());
        long start = System.nanoTime();
        long lastProgress = start;
        long lastReceived = 0;
        try {
            while (true) {
                if (PROCESS.awaitStop(200)) {
                    break;
                }
                PipelineMetrics m = pipeline.metrics();
                if (m.state() == PipelineState.FAILED) {
                    break;
                }
                if (o.maxMessages() > 0 && m.acked() >= o.maxMessages()) {
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
        String threads = meter.threads();
        String figures = meter.stop();
        pipeline.close();
        PipelineMetrics m = pipeline.metrics();
        out.println(summary(m) + " " + figures);
        if (System.getProperty(CpuMeter.WARMUP_PROPERTY) != null) {
            out.println("threads: " + threads); // the benchmark's diagnostic: CPU per message by thread
        }
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
}
