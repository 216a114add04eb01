package io.github.mqtt2tdengine.examples.bench;

import io.github.mqtt2tdengine.examples.DemoBroker;
import io.github.mqtt2tdengine.runner.internal.CpuMeter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The end-to-end benchmark: {@code java -cp mqtt2tdengine-demo.jar
 * io.github.mqtt2tdengine.examples.bench.Benchmark [--quick]}. Starts its own broker (mosquitto when on PATH, else
 * HiveMQ CE embedded), then, in interleaved rounds, runs each consumer as its own process against the same load
 * published by a separate process:
 * <ul>
 *   <li>B0 and B1 ({@link BaselineConsumer});</li>
 *   <li>LIB: the runner ({@code io.github.mqtt2tdengine.runner.Runner}, from this same classpath) with
 *       {@code --sink discard} (transport, mapping, batching, statements built, nothing sent);</li>
 *   <li>LIB-TD, with {@code --jdbc-url URL}: the runner writing to that TDengine (database {@value #E2E_DATABASE},
 *       created if missing, dropped at the end), its CPU per message beside LIB's.</li>
 * </ul>
 * Two loads, each at QoS 0 and QoS 1: the ten-field payload ({@link BenchPayload#payload(long, int, java.util.Random)})
 * and the five-field one ({@link BenchPayload#payloadFive}), where the library's fixed work per message weighs more.
 * Every consumer speaks the same MQTT version ({@code --protocol}, default 5.0 as the library's default) and B1 runs
 * its callback on the client's network thread as the library does.
 * Each consumer measures itself with {@link CpuMeter}. Prints a table of medians over the rounds: msgs/s, consumer CPU
 * µs per message, ratios to B0 and B1, dropped messages and peak heap; then the memory scenario
 * ({@link MemoryProbe}). No thresholds are asserted: the figures are for reading.
 *
 * <p>{@code --window-compare [W,W,...]} runs a different benchmark: the library's runner (into the TDengine of
 * {@code --jdbc-url}, else {@code --sink discard}; with {@code --compare-jar} the earlier build too) at QoS 1 against one
 * mosquitto per delivery window ({@code max_inflight_messages}; 0 is unlimited; default {@code 0,20,32}), in
 * interleaved rounds, and prints msgs/s per window and its ratio to the unlimited window's (issue #27: a small window
 * made the writer wait {@code batchIdle} each round).
 */
public final class Benchmark {
    private static final Pattern FIGURES = Pattern.compile("received=(\\d+).*firstToLastMs=(\\d+) "
            + "cpuUsPerMsg=([0-9.]+) msgsPerSec=([0-9.]+) peakHeapMB=([0-9.]+) cpuUsPerMsgAll=([0-9.]+) "
            + "appCpuUsPerMsg=([0-9.]+)");
    private static final int DEVICES = 1_000;
    private static final String RUNNER = "io.github.mqtt2tdengine.runner.Runner";
    /** Every consumer, in the table's order. */
    private static final List<String> VARIANTS = List.of("B0", "B1", "LIB", "LIB-TD", "LIB-PREV");
    /** The runner jar of LIB-PREV, or null. */
    private String compareJar;
    /** The database of the LIB-TD runs. */
    static final String E2E_DATABASE = "mqtt2td_e2e";

    private final Path dir;
    private final int port;
    private final String jdbcUrl;
    private final String writeMode;
    private final String protocol;
    /** Percent of each load received before the measured window opens (JIT warm-up; see CpuMeter). */
    private final int warmupPercent;

    private Benchmark(Path dir, int port, String jdbcUrl, String writeMode, String protocol, int warmupPercent) {
        this.dir = dir;
        this.port = port;
        this.jdbcUrl = jdbcUrl;
        this.writeMode = writeMode;
        this.protocol = protocol;
        this.warmupPercent = warmupPercent;
    }

    /**
     * One consumer run: {@code payload} is "five" or "ten"; {@code cpuUs} and {@code msgsPerSec} after the warm-up
     * mark, {@code cpuUsAll} from the first message, {@code appCpuUs} the Java threads' CPU after the mark (JIT
     * compiler and GC threads left out).
     */
    record Run(String variant, String payload, int qos, long published, long received, double cpuUs,
            double msgsPerSec, double peakHeapMb, double cpuUsAll, double appCpuUs) {
    }

    /**
     * Runs the benchmark and prints the table.
     *
     * @param args {@code --quick}, {@code --qos0 N}, {@code --qos1 N}, {@code --rounds N}, {@code --memory N}
     *     (messages waiting in the memory scenario; 0 skips it), {@code --jdbc-url URL} (adds LIB-TD: the runner
     *     writing to that TDengine; user and password in the URL's query), {@code --write-mode sql|stmt|auto} (its
     *     write mode, default sql), {@code --protocol 5.0|3.1.1} (every consumer's MQTT version, default 5.0),
     *     {@code --payload five|ten|both} (default both; five with {@code --quick}), {@code --compare-jar JAR} (adds
     *     LIB-PREV: the runner of another build, e.g. an earlier commit's {@code mqtt2tdengine-runner.jar}, run as LIB
     *     is, in the same rounds: its "CPU ÷ LIB" is the earlier build's cost over this one's)
     * @throws Exception if a process cannot be run
     */
    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        long qos0 = quick ? 50_000 : 500_000;
        long qos1 = quick ? 20_000 : 200_000;
        int rounds = quick ? 1 : 3;
        long memory = quick ? 100_000 : 1_000_000;
        String jdbcUrl = null;
        String writeMode = "sql";
        String protocol = "5.0";
        int warmup = 25;
        String compareJar = null;
        int brokerWindow = 1000;
        List<Integer> windows = null;
        // the quick run (CI's smoke test) takes the five-field load only: the ten-field one runs the same code
        List<String> payloads = quick ? List.of("five") : List.of("five", "ten");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> { }
                case "--qos0" -> qos0 = Long.parseLong(args[++i]);
                case "--qos1" -> qos1 = Long.parseLong(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--memory" -> memory = Long.parseLong(args[++i]);
                case "--jdbc-url" -> jdbcUrl = args[++i];
                case "--write-mode" -> writeMode = args[++i];
                case "--protocol" -> protocol = args[++i];
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--compare-jar" -> compareJar = args[++i];
                case "--payload" -> payloads = args[++i].equals("both") ? List.of("five", "ten") : List.of(args[i]);
                case "--broker-window" -> brokerWindow = Integer.parseInt(args[++i]);
                case "--window-compare" -> windows = i + 1 < args.length && !args[i + 1].startsWith("--")
                        ? Arrays.stream(args[++i].split(",")).map(String::trim).map(Integer::valueOf).toList()
                        : List.of(0, 20, 32);
                default -> {
                    System.err.println("usage: Benchmark [--quick] [--qos0 N] [--qos1 N] [--rounds N] [--memory N] "
                            + "[--jdbc-url URL] [--write-mode sql|stmt|auto] [--protocol 5.0|3.1.1] "
                            + "[--payload five|ten|both] [--warmup PERCENT] [--compare-jar RUNNER_JAR] "
                            + "[--broker-window N (mosquitto's max_inflight_messages, 0 unlimited, default 1000)] "
                            + "[--window-compare [W,W,... (default 0,20,32)]]");
                    System.exit(2);
                }
            }
        }
        long t0 = System.nanoTime();
        if (windows != null) {
            windowCompare(windows, rounds, qos1, payloads.get(0), jdbcUrl, writeMode, protocol, warmup, compareJar);
            System.out.printf(Locale.ROOT, "benchmark: done in %.0f s%n", (System.nanoTime() - t0) / 1e9);
            return;
        }
        try (DemoBroker broker = new DemoBroker(brokerWindow)) {
            Benchmark b = new Benchmark(Files.createTempDirectory("mqtt2td-bench"), broker.port(), jdbcUrl,
                    writeMode, protocol, warmup);
            System.out.printf(Locale.ROOT, "benchmark: %s; broker %s, window %s; %d cores; Java %s; MQTT %s; payloads: five "
                    + "fields %d bytes, ten fields %d bytes; %d devices; rounds %d; CPU and msgs/s measured after the "
                    + "first %d%% of each load (JIT warm-up), CPU whole run beside%n", quick ? "quick" : "full", broker,
                    brokerWindow == 0 ? "unlimited" : Integer.toString(brokerWindow),
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), protocol,
                    BenchPayload.payloadFive(0, DEVICES, new java.util.Random(7)).length,
                    BenchPayload.payload(0, DEVICES, new java.util.Random(7)).length, DEVICES, rounds, warmup);
            List<Run> runs = new ArrayList<>();
            List<String> variantList = new ArrayList<>(List.of("B0", "B1", "LIB"));
            if (jdbcUrl != null) {
                variantList.add("LIB-TD");
            }
            if (compareJar != null) {
                variantList.add("LIB-PREV");
                b.compareJar = compareJar;
            }
            String[] variants = variantList.toArray(new String[0]);
            for (String payload : payloads) {
                for (int qos : new int[] {0, 1}) {
                    long n = qos == 0 ? qos0 : qos1;
                    for (int r = 0; r < rounds; r++) {
                        for (int v = 0; v < variants.length; v++) {
                            String variant = variants[(v + r) % variants.length];
                            Run run = b.run(variant, payload, qos, n);
                            System.out.printf(Locale.ROOT, "  round %d %-3s %s QoS %d: %d/%d received, %.0f msg/s, "
                                    + "%.2f us CPU/msg (whole run %.2f, Java threads %.2f)%n", r + 1, variant, payload,
                                    qos, run.received(), n, run.msgsPerSec(), run.cpuUs(), run.cpuUsAll(),
                                    run.appCpuUs());
                            runs.add(run);
                        }
                    }
                }
            }
            System.out.println();
            System.out.print(table(runs));
            if (jdbcUrl != null) {
                dropE2eDatabase(jdbcUrl);
            }
        }
        if (memory > 0) {
            // a broker with an unlimited delivery window: only the pipeline's bound limits what it holds
            try (DemoBroker broker = new DemoBroker(0)) {
                Benchmark b = new Benchmark(Files.createTempDirectory("mqtt2td-bench"), broker.port(), null, null,
                        protocol, 0);
                System.out.println();
                System.out.println("memory, sink stalled, maxInFlight 10000, broker window unlimited:");
                System.out.println("  " + b.memory(10_000, 10_000));
                System.out.println("  " + b.memory(10_000, memory));
            }
        }
        System.out.printf(Locale.ROOT, "benchmark: done in %.0f s%n", (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The window comparison: one mosquitto per delivery window, the runner (and the earlier build's) against each, QoS
     * 1, in interleaved rounds; a table of median msgs/s and the ratio to the unlimited window.
     */
    private static void windowCompare(List<Integer> windows, int rounds, long messages, String payload, String jdbcUrl,
            String writeMode, String protocol, int warmup, String compareJar) throws Exception {
        List<DemoBroker> brokers = new ArrayList<>();
        try {
            List<Benchmark> benches = new ArrayList<>();
            Path dir = Files.createTempDirectory("mqtt2td-bench");
            for (int w : windows) {
                DemoBroker broker = new DemoBroker(w);
                brokers.add(broker);
                if (!broker.isMosquitto()) {
                    throw new IllegalStateException("--window-compare needs mosquitto (its max_inflight_messages)");
                }
                Benchmark b = new Benchmark(dir, broker.port(), jdbcUrl, writeMode, protocol, warmup);
                b.compareJar = compareJar;
                benches.add(b);
            }
            String lib = jdbcUrl != null ? "LIB-TD" : "LIB";
            List<String> variants = new ArrayList<>(List.of(lib));
            if (compareJar != null) {
                variants.add(jdbcUrl != null ? "LIB-PREV-TD" : "LIB-PREV");
            }
            System.out.printf(Locale.ROOT, "benchmark: window comparison; mosquitto windows %s; sink %s; %s payload, "
                    + "QoS 1, %d messages per run, rounds %d; %d cores; Java %s; MQTT %s; msgs/s after the first %d%% "
                    + "of each load%n", windows, jdbcUrl != null ? "TDengine (" + jdbcUrl.replaceAll("\\?.*", "")
                    + ", write mode " + writeMode + ")" : "discard", payload, messages, rounds,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), protocol, warmup);
            if (compareJar != null) {
                System.out.println("  LIB-PREV: " + compareJar);
            }
            List<String[]> cells = new ArrayList<>();
            for (int w = 0; w < windows.size(); w++) {
                for (String v : variants) {
                    cells.add(new String[] {Integer.toString(w), v});
                }
            }
            // the first run into a database creates it and its sub-tables: a warm-up run, not counted
            Run warm = benches.get(0).run(variants.get(0), payload, 1, Math.min(messages, 20_000));
            System.out.printf(Locale.ROOT, "  warm-up    window %-9s %-11s %d received (not counted)%n",
                    windowName(windows.get(0)), variants.get(0), warm.received());
            Map<String, List<Double>> rates = new HashMap<>();
            for (int r = 0; r < rounds; r++) {
                for (int c = 0; c < cells.size(); c++) {
                    String[] cell = cells.get((c + r) % cells.size());
                    int w = Integer.parseInt(cell[0]);
                    Run run = benches.get(w).run(cell[1], payload, 1, messages);
                    String window = windowName(windows.get(w));
                    System.out.printf(Locale.ROOT, "  round %d window %-9s %-11s %d/%d received, %.0f msg/s%n", r + 1,
                            window, cell[1], run.received(), messages, run.msgsPerSec());
                    rates.computeIfAbsent(window + " " + cell[1], k -> new ArrayList<>()).add(run.msgsPerSec());
                }
            }
            System.out.println();
            System.out.println("| window | runner | msgs/s (median) | msgs/s, each round | ÷ unlimited, same runner |");
            System.out.println("|---|---|---|---|---|");
            for (String v : variants) {
                List<Double> base = rates.get(windowName(0) + " " + v);
                double unlimited = base == null ? 0 : median(base.stream().mapToDouble(Double::doubleValue).toArray());
                for (int w : windows) {
                    List<Double> rs = rates.get(windowName(w) + " " + v);
                    double m = median(rs.stream().mapToDouble(Double::doubleValue).toArray());
                    System.out.printf(Locale.ROOT, "| %s | %s | %,.0f | %s | %s |%n", windowName(w), v, m,
                            String.join(" ", rs.stream().map(x -> String.format(Locale.ROOT, "%,.0f", x)).toList()),
                            ratio(m, unlimited));
                }
            }
            if (jdbcUrl != null) {
                dropE2eDatabase(jdbcUrl);
            }
        } finally {
            for (DemoBroker b : brokers) {
                b.close();
            }
        }
    }

    private static String windowName(int window) {
        return window == 0 ? "unlimited" : Integer.toString(window);
    }

    /** Runs one consumer against one published load. */
    private Run run(String variant, String payload, int qos, long messages) throws Exception {
        List<String> command;
        String readyPrefix;
        boolean five = payload.equals("five");
        if (variant.startsWith("LIB")) {
            boolean real = variant.endsWith("-TD");
            Path config = dir.resolve("runner-" + variant + "-" + payload + "-qos" + qos + ".json");
            Files.writeString(config, real ? runnerConfig(port, qos, protocol, five, jdbcUrl, writeMode)
                    : runnerConfig(port, qos, protocol, five), StandardCharsets.UTF_8);
            command = new ArrayList<>(List.of(RUNNER, "--config", config.toString(), "--max-messages",
                    Long.toString(messages), "--log-level", "warn"));
            if (!real) {
                command.addAll(List.of("--sink", "discard"));
            }
            readyPrefix = "started:";
        } else {
            command = List.of(BaselineConsumer.class.getName(), variant, Integer.toString(port),
                    Integer.toString(qos), Long.toString(messages), protocol, payload);
            readyPrefix = "ready";
        }
        List<String> jvm = List.of("-D" + CpuMeter.WARMUP_PROPERTY + "=" + messages * warmupPercent / 100);
        List<String> cmd = java(jvm, command);
        if (variant.startsWith("LIB-PREV")) {
            cmd.set(cmd.indexOf("-cp") + 1, compareJar);
        }
        Child consumer = new Child(cmd, dir.resolve(variant + "-qos" + qos + ".err"));
        consumer.await(readyPrefix, 60);
        Child publisher = new Child(java(List.of(LoadPublisher.class.getName(), Integer.toString(port),
                Integer.toString(qos), Long.toString(messages), Integer.toString(DEVICES), payload)),
                dir.resolve("publisher.err"));
        publisher.await("published=", 600);
        publisher.process.waitFor(30, TimeUnit.SECONDS);
        if (!consumer.process.waitFor(Math.max(30, messages / 2_000), TimeUnit.SECONDS)) {
            consumer.process.toHandle().destroy(); // SIGTERM, streams kept open: the consumer prints its figures
        }
        String line = consumer.await("firstToLastMs=", 60);
        String threads;
        try {
            threads = consumer.await("threads:", 10);
        } catch (IllegalStateException e) {
            threads = "threads: (none printed)";
        }
        System.out.println("    " + variant + " " + threads);
        consumer.process.waitFor(30, TimeUnit.SECONDS);
        Matcher m = FIGURES.matcher(line);
        if (!m.find()) {
            throw new IllegalStateException(variant + " printed no figures: " + line);
        }
        return new Run(variant, payload, qos, messages, Long.parseLong(m.group(1)), Double.parseDouble(m.group(3)),
                Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5)), Double.parseDouble(m.group(6)),
                Double.parseDouble(m.group(7)));
    }

    /**
     * The runner's config for the library run: the mapping of {@link BenchPayload#spec()} (or {@link
     * BenchPayload#specFive()}), as JSON.
     */
    static String runnerConfig(int port, int qos, String protocol, boolean five) {
        return config(port, qos, protocol, five, "{ \"url\": \"jdbc:TAOS-RS://127.0.0.1:6041\", \"database\": "
                + "\"bench\" }");
    }

    /** The runner's config writing to a TDengine: database {@value #E2E_DATABASE}, created if missing. */
    static String runnerConfig(int port, int qos, String protocol, boolean five, String jdbcUrl, String writeMode) {
        return config(port, qos, protocol, five, "{ \"url\": \"" + jdbcUrl + "\", \"database\": \"" + E2E_DATABASE
                + "\", \"createDatabase\": \"ms\", \"writeMode\": \"" + writeMode + "\" }");
    }

    private static String config(int port, int qos, String protocol, boolean five, String tdengine) {
        String parser = five ? """
                    "withoutReceiveTime": true,
                    "fields": [
                      { "path": "$.ts", "name": "ts", "type": "TIMESTAMP", "primaryKey": true, "unit": "milliseconds" },
                      { "path": "$.id", "name": "id", "type": "INT", "as": "tag" },
                      { "path": "$.temp", "name": "temp", "type": "DOUBLE" },
                      { "path": "$.hum", "name": "hum", "type": "DOUBLE" },
                      { "path": "$.status", "name": "status", "type": "VARCHAR(8)" }
                    ],
                    "subTable": "s{id}",
                    "superTable": "sensors"
                """ : """
                    "withoutReceiveTime": true,
                    "fields": [
                      { "path": "$.ts", "name": "ts", "type": "TIMESTAMP", "primaryKey": true, "unit": "milliseconds" },
                      { "path": "$.id", "name": "id", "type": "INT", "as": "tag" },
                      { "path": "$.current", "name": "current", "type": "FLOAT" },
                      { "path": "$.voltage", "name": "voltage", "type": "INT" },
                      { "path": "$.phase", "name": "phase", "type": "FLOAT" },
                      { "path": "$.temperature", "name": "temperature", "type": "FLOAT" },
                      { "path": "$.power", "name": "power", "type": "DOUBLE" },
                      { "path": "$.status", "name": "status", "type": "VARCHAR(8)" },
                      { "path": "$.site.location", "name": "location", "type": "VARCHAR(32)", "as": "tag" },
                      { "path": "$.site.floor", "name": "floor", "type": "INT", "as": "tag" }
                    ],
                    "subTable": "d{id}",
                    "superTable": "meters"
                """;
        return """
                {
                  "name": "bench",
                  "mqtt": { "endpoint": "127.0.0.1:%d", "protocolVersion": "%s", "clientId": "mqtt2td-bench-LIB",
                            "cleanSession": true, "topics": "%s#::%d" },
                  "tdengine": %s,
                  "parser": {
                %s  },
                  "pipeline": { "batchMaxRows": %d, "batchMaxAgeMillis": 100 }
                }
                """.formatted(port, protocol, BenchPayload.TOPIC_PREFIX, qos, tdengine, parser, BaselineConsumer.BATCH);
    }

    private static void dropE2eDatabase(String jdbcUrl) {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbcUrl);
                java.sql.Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS `" + E2E_DATABASE + "`");
        } catch (java.sql.SQLException e) {
            System.out.println("benchmark: could not drop database " + E2E_DATABASE + ": " + e.getMessage());
        }
    }

    /** The memory scenario: a stalled pipeline with {@code waiting} messages published to it. */
    private String memory(int maxInFlight, long waiting) throws Exception {
        Child probe = new Child(java(List.of(MemoryProbe.class.getName(), Integer.toString(port),
                Integer.toString(maxInFlight))), dir.resolve("memory.err"));
        probe.await("ready", 60);
        Child publisher = new Child(java(List.of(LoadPublisher.class.getName(), Integer.toString(port), "1",
                Long.toString(waiting), Integer.toString(DEVICES))), dir.resolve("publisher.err"));
        publisher.await("published=", 1_200);
        TimeUnit.SECONDS.sleep(3);
        probe.process.toHandle().destroy(); // SIGTERM without closing our end of its stdout
        String line = probe.await("memory:", 60);
        probe.process.waitFor(30, TimeUnit.SECONDS);
        return line + " published=" + waiting;
    }

    static String table(List<Run> runs) {
        Map<String, Run> median = new HashMap<>();
        List<String> payloads = runs.stream().map(Run::payload).distinct().toList();
        for (String payload : payloads) {
          for (String variant : VARIANTS) {
            for (int qos : new int[] {0, 1}) {
                List<Run> rs = runs.stream().filter(r -> r.variant().equals(variant) && r.qos() == qos
                        && r.payload().equals(payload)).toList();
                if (!rs.isEmpty()) {
                    median.put(variant + payload + qos, new Run(variant, payload, qos, rs.get(0).published(),
                            median(rs.stream().mapToDouble(Run::received).toArray()).longValue(),
                            median(rs.stream().mapToDouble(Run::cpuUs).toArray()),
                            median(rs.stream().mapToDouble(Run::msgsPerSec).toArray()),
                            rs.stream().mapToDouble(Run::peakHeapMb).max().orElse(0),
                            median(rs.stream().mapToDouble(Run::cpuUsAll).toArray()),
                            median(rs.stream().mapToDouble(Run::appCpuUs).toArray())));
                }
            }
          }
        }
        StringBuilder b = new StringBuilder();
        b.append("| payload | consumer | QoS | msgs/s | CPU µs/msg | CPU ÷ B0 | CPU ÷ B1 | msgs/s ÷ B1 | CPU ÷ LIB | "
                + "CPU ÷ B1, whole run | Java threads' CPU ÷ B1 | dropped | peak heap MB |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (String payload : payloads) {
            for (int qos : new int[] {0, 1}) {
                Run b0 = median.get("B0" + payload + qos);
                Run b1 = median.get("B1" + payload + qos);
                Run lib = median.get("LIB" + payload + qos);
                for (String variant : VARIANTS) {
                    Run r = median.get(variant + payload + qos);
                    if (r == null) {
                        continue;
                    }
                    b.append(String.format(Locale.ROOT, "| %s | %s | %d | %,.0f | %.2f | %s | %s | %s | %s | %s | %s | "
                            + "%d | %.0f |%n", payload, variant, qos, r.msgsPerSec(), r.cpuUs(), ratio(r.cpuUs(), b0 == null
                            ? 0 : b0.cpuUs()), ratio(r.cpuUs(), b1 == null ? 0 : b1.cpuUs()), ratio(r.msgsPerSec(),
                            b1 == null ? 0 : b1.msgsPerSec()), ratio(r.cpuUs(), lib == null ? 0 : lib.cpuUs()),
                            ratio(r.cpuUsAll(), b1 == null ? 0 : b1.cpuUsAll()),
                            ratio(r.appCpuUs(), b1 == null ? 0 : b1.appCpuUs()), r.published() - r.received(),
                            r.peakHeapMb()));
                }
            }
        }
        return b.toString();
    }

    private static String ratio(double a, double b) {
        return b > 0 ? String.format(Locale.ROOT, "%.2f", a / b) : "";
    }

    /** The median of the values (not changed). */
    static Double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static List<String> java(List<String> mainAndArgs) {
        return java(List.of(), mainAndArgs);
    }

    private static List<String> java(List<String> jvmOptions, List<String> mainAndArgs) {
        List<String> c = new ArrayList<>();
        c.add(ProcessHandle.current().info().command().orElse("java"));
        c.add("-Xms256m");
        c.add("-Xmx1g");
        c.addAll(jvmOptions);
        c.add("-cp");
        c.add(System.getProperty("java.class.path"));
        c.addAll(mainAndArgs);
        return c;
    }

    /** A child JVM whose stdout lines are collected. */
    private static final class Child {
        final Process process;
        final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Thread reader;
        private final String name;
        private final List<String> skipped = new ArrayList<>();

        Child(List<String> command, Path stderr) {
            this.name = command.get(5) + " (stderr: " + stderr + ")";
            try {
                process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("error: " + e);
                }
            }, "bench-child-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits for a line starting with (or containing) {@code prefix}. */
        String await(String prefix, long seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(200, TimeUnit.MILLISECONDS);
                if (line != null && line.contains(prefix)) {
                    return line;
                }
                if (line != null) {
                    skipped.add(line);
                }
                if (line == null && !reader.isAlive() && lines.isEmpty()) {
                    break;
                }
            }
            process.destroyForcibly();
            throw new IllegalStateException("no '" + prefix + "' line within " + seconds + " s from " + name
                    + (process.isAlive() ? "" : " (exit " + process.exitValue() + ")") + "; other lines: " + skipped);
        }
    }
}
