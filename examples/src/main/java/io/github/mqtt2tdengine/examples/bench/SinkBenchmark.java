package io.github.mqtt2tdengine.examples.bench;

import io.github.mqtt2tdengine.PipelineMetrics;
import io.github.mqtt2tdengine.PipelineState;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.payload.PayloadPolicies;
import io.github.mqtt2tdengine.payload.TagChangePolicy;
import io.github.mqtt2tdengine.spi.InboundMessage;
import io.github.mqtt2tdengine.spi.TransportContext;
import io.github.mqtt2tdengine.spi.Transport;
import com.taosdata.jdbc.TaosPrepareStatement;
import io.github.mqtt2tdengine.tdengine.TDengineSink;
import io.github.mqtt2tdengine.tdengine.WriteMode;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The sink alone: writes N rows of the benchmark payload from memory (made before any clock starts, the same bytes for
 * every variant) through {@link TDengineSink} (and the pipeline's mapping and batching) to any JDBC URL, and prints
 * rows/s, the JVM's CPU per row, rows per statement and statement bytes. Runs unchanged against a real TDengine over
 * any connection: {@code java -cp mqtt2tdengine-demo.jar io.github.mqtt2tdengine.examples.bench.SinkBenchmark
 * --jdbc-url jdbc:TAOS-WS://host:6041 [--user root --password taosdata] [--database mqtt2td_bench] [--rows 200000]
 * [--batch 1000] [--batch-growth 10] [--warmup 0] [--writers 1] [--devices 1000] [--mode sql|stmt|auto[,...]]
 * [--baseline]}. Several modes (comma-separated) run one after the other in the same run. Exit 0 when every row was
 * written, 1 otherwise, 2 for bad arguments. {@code --baseline} adds hand-written JDBC twins of the same shape in the
 * same run, those that fit the connection: SQL text with and without {@code USING} (all), parameter binding with
 * lists per column (native, WebSocket), and over WebSocket JDBC's row-wise binding and TDengine's efficient writing
 * ({@code asyncWrite=stmt}) with a commit wait per batch and, as TDengine's example does, every 10 batches; a last line
 * gives the best library mode ÷ the best twin that waits for each batch's commit. {@code --warmup N} first runs every
 * variant on N rows into scratch databases, so the JIT is warm for all.
 */
public final class SinkBenchmark {
    private SinkBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args see the class comment
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /**
     * Runs the benchmark and returns the exit code.
     *
     * @param args see the class comment
     * @param out where the table goes
     * @return 0, 1 or 2
     */
    public static int run(String[] args, PrintStream out) {
        String url = null;
        String user = "root";
        String password = "taosdata";
        String database = "mqtt2td_bench";
        long rows = 200_000;
        int batch = 1_000;
        int writers = 1;
        String mode = "sql";
        int devices = 1_000;
        int growth = SyncPipeline.Builder.DEFAULT_BATCH_GROWTH;
        long warmup = 0;
        TagChangePolicy tagChange = PayloadPolicies.DEFAULT_TAG_CHANGE;
        int known = TDengineSink.Builder.DEFAULT_KNOWN_SUB_TABLES;
        boolean baseline = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--jdbc-url" -> url = args[++i];
                    case "--user" -> user = args[++i];
                    case "--password" -> password = args[++i];
                    case "--database" -> database = args[++i];
                    case "--rows" -> rows = Long.parseLong(args[++i]);
                    case "--batch" -> batch = Integer.parseInt(args[++i]);
                    case "--writers" -> writers = Integer.parseInt(args[++i]);
                    case "--mode" -> mode = args[++i];
                    case "--devices" -> devices = Integer.parseInt(args[++i]);
                    case "--batch-growth" -> growth = Integer.parseInt(args[++i]);
                    case "--warmup" -> warmup = Long.parseLong(args[++i]);
                    case "--tag-change" -> tagChange = TagChangePolicy.valueOf(args[++i].toUpperCase(Locale.ROOT));
                    case "--known-sub-tables" -> known = Integer.parseInt(args[++i]);
                    case "--baseline" -> baseline = true;
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
            if (url == null) {
                throw new IllegalArgumentException("--jdbc-url is required");
            }
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            out.println("error: " + e.getMessage());
            out.println("usage: SinkBenchmark --jdbc-url URL [--user U] [--password P] [--database DB] [--rows N] "
                    + "[--batch ROWS] [--batch-growth N] [--warmup ROWS] [--writers N] [--devices N] "
                    + "[--mode sql|stmt|auto[,...]] [--tag-change update|ignore] [--known-sub-tables N] [--baseline]");
            return 2;
        }
        java.util.List<WriteMode> modes = new java.util.ArrayList<>();
        for (String m : mode.split(",")) {
            try {
                modes.add(WriteMode.valueOf(m.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                out.println("error: --mode must be sql, stmt or auto (or several, comma-separated), but was '" + m
                        + "'");
                return 2;
            }
        }
        // the payloads are made before any clock starts, the same bytes for every variant: generating them (JSON text
        // with doubles) costs about what mapping them does, and would otherwise load the library's intake thread
        byte[][] payloads = payloads(Math.max(rows, warmup), devices);
        java.util.List<String> twins = baseline ? twins(url) : java.util.List.of();
        if (warmup > 0) {
            // the JIT compiles the driver's, Jackson's and the library's paths during the first seconds: warm every
            // variant once on scratch databases, so that neither side of a ratio pays for it
            for (WriteMode m : modes) {
                library(new Shape(url, user, password, batch, growth, writers, devices, m, tagChange, known), payloads,
                        warmup, database + "_warm", out);
                dropTwinDatabase(url, user, password, database + "_warm");
            }
            for (String twin : twins) {
                twin(twin, url, user, password, database + "_warm", payloads, warmup, batch, writers, devices);
            }
        }
        out.printf(Locale.ROOT, "sink benchmark: %s, database %s, %d rows of %d devices, batches of %d rows (growth "
                + "%dx under a backlog), %d writer(s)%n", stripQuery(url), database, rows, devices, batch, growth,
                writers);
        out.println("| mode | rows written | seconds | rows/s | JVM CPU µs/row | SQL INSERT statements | rows/statement | "
                + "bytes/statement | retries | state |");
        out.println("|---|---|---|---|---|---|---|---|---|---|");
        int code = 0;
        double bestLibrary = 0;
        double bestLibraryCpu = 0;
        String bestMode = null;
        for (WriteMode m : modes) {
            Measured lib = library(new Shape(url, user, password, batch, growth, writers, devices, m, tagChange, known),
                    payloads, rows, database, out);
            if (lib == null) {
                return 1;
            }
            PipelineMetrics pm = lib.metrics();
            long inserts = lib.inserts();
            double rate = pm.rowsWritten() / lib.seconds();
            double cpu = perRowMicros(lib.cpuSeconds(), pm.rowsWritten());
            out.printf(Locale.ROOT, "| library, %s | %d | %.1f | %,.0f | %.2f | %d | %.1f | %,.0f | %d | %s |%n",
                    label(m), pm.rowsWritten(), lib.seconds(), rate, cpu, inserts,
                    inserts > 0 ? (double) pm.rowsWritten() / inserts : 0,
                    inserts > 0 ? (double) lib.bytes() / inserts : 0, pm.retries(), pm.state());
            if (pm.rowsWritten() != rows || pm.state() == PipelineState.FAILED) {
                code = 1;
            }
            if (rate > bestLibrary) {
                bestLibrary = rate;
                bestLibraryCpu = cpu;
                bestMode = m.name().toLowerCase(Locale.ROOT);
            }
            if (modes.size() > 1) {
                dropTwinDatabase(url, user, password, database);
            }
        }
        double bestTwin = 0;
        String bestTwinName = null;
        for (String twinMode : twins) {
            double[] twin = twin(twinMode, url, user, password, database, payloads, rows, batch, writers, devices);
            double twinRate = twin[0] / twin[1];
            double twinCpu = perRowMicros(twin[3], (long) twin[0]);
            out.printf(Locale.ROOT, "| hand-written JDBC, %s | %d | %.1f | %,.0f | %.2f | %d | %.1f | | | best library "
                    + "÷ hand-written: %.2f rows/s, %.2f CPU/row |%n", twinLabel(twinMode), (long) twin[0], twin[1],
                    twinRate, twinCpu, (long) twin[2], twin[0] / twin[2], bestLibrary / twinRate,
                    twinCpu > 0 ? bestLibraryCpu / twinCpu : 0);
            // the example's way defers the wait for the commit over 10 batches: not a guarantee the library can give
            if (twinRate > bestTwin && !twinMode.equals("ew-example")) {
                bestTwin = twinRate;
                bestTwinName = twinMode;
            }
        }
        if (bestTwinName != null) {
            out.printf(Locale.ROOT, "best library (%s) ÷ best hand-written twin that commits each batch (%s): %.2f%n",
                    bestMode, bestTwinName, bestLibrary / bestTwin);
        }
        return code;
    }


    private static String label(WriteMode m) {
        return switch (m) {
            case SQL -> "sql (multi-table INSERT)";
            case STMT -> "stmt (parameter binding)";
            case AUTO -> "auto (binding from " + TDengineSink.AUTO_ROWS_PER_SUB_TABLE + " rows per sub-table)";
        };
    }

    private static String twinLabel(String twin) {
        return switch (twin) {
            case "using" -> "INSERT ... USING every time";
            case "known" -> "sub-tables known, no USING";
            case "stmt" -> "parameter binding, lists per column";
            case "jdbc" -> "parameter binding, JDBC rows (tbname, tags, columns)";
            case "ew" -> "efficient writing (asyncWrite=stmt), executeUpdate per batch";
            default -> "efficient writing as TDengine's example (executeUpdate every 10 batches)";
        };
    }

    /** Runs one hand-written twin into {@code database + "_hw_" + twin} (dropped after). */
    private static double[] twin(String twin, String url, String user, String password, String database,
            byte[][] payloads, long rows, int batch, int writers, int devices) {
        String db = database + "_hw_" + twin.replace('-', '_');
        return switch (twin) {
            case "stmt" -> handWrittenBinding(url, user, password, db, payloads, rows, batch, writers, devices);
            case "jdbc", "ew", "ew-example" -> handWrittenRowBinding(url, user, password, db, payloads, rows, batch,
                    writers, devices, twin);
            default -> handWritten(url, user, password, db, payloads, rows, batch, writers, devices,
                    twin.equals("using"));
        };
    }

    /**
     * The hand-written twins that fit the connection: SQL text everywhere; binding where the driver binds (native and
     * WebSocket); over WebSocket also the JDBC row-wise binding (stmt2) and TDengine's efficient writing.
     */
    static java.util.List<String> twins(String url) {
        if (url.startsWith("jdbc:TAOS-RS:")) {
            return java.util.List.of("using", "known");
        }
        if (url.startsWith("jdbc:TAOS-WS:")) {
            return java.util.List.of("using", "known", "stmt", "jdbc", "ew", "ew-example");
        }
        return java.util.List.of("using", "known", "stmt");
    }

    /** The benchmark's messages, as {@link BenchPayload} makes them (seed 7). */
    private static byte[][] payloads(long rows, int devices) {
        if (rows > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("--rows must be under 2^31, but was " + rows);
        }
        Random random = new Random(7);
        byte[][] payloads = new byte[(int) rows][];
        for (int n = 0; n < payloads.length; n++) {
            payloads[n] = BenchPayload.payload(n, devices, random);
        }
        return payloads;
    }

    /** The benchmark's shape and the library's options. */
    private record Shape(String url, String user, String password, int batch, int growth, int writers, int devices,
            WriteMode writeMode, TagChangePolicy tagChange, int known) {
    }

    /** One library run: its metrics, seconds and the SQL INSERT statements it sent with their bytes. */
    private record Measured(PipelineMetrics metrics, double seconds, long inserts, long bytes, double cpuSeconds) {
    }

    /** Runs the library on {@code rows} messages; null (after printing why) when the database cannot be created. */
    private static Measured library(Shape s, byte[][] payloads, long rows, String database, PrintStream out) {
        String url = s.url();
        String user = s.user();
        String password = s.password();
        int batch = s.batch();
        int writers = s.writers();
        // the database is created before the clock starts, as the hand-written twin's is: creating its vnodes takes
        // a second or more on a real server, which is not the sink's speed (the sink's own CREATE ... IF NOT EXISTS
        // then finds it)
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS `" + database + "` PRECISION 'ms'");
        } catch (SQLException e) {
            out.println("error: cannot create database " + database + ": " + e.getMessage());
            return null;
        }
        CountingDataSource ds = new CountingDataSource(url, user, password);
        TDengineSink sink = TDengineSink.builder().dataSource(ds).database(database)
                .createDatabase(TimePrecision.MILLISECONDS).knownSubTables(s.known()).writeMode(s.writeMode()).build();
        MemoryTransport transport = new MemoryTransport(payloads, rows, s.devices());
        SyncPipeline p = SyncPipeline.builder().name("sink-bench").source(transport).sink(sink)
                .payload(BenchPayload.spec().toBuilder().policies().tagChange(s.tagChange()).applyPolicies().build())
                .batching(batch, Duration.ofMillis(100)).batchGrowth(s.growth()).writers(writers)
                .maxInFlight(Math.max(10_000, batch * writers * 4)).build();
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        p.start();
        try {
            while (p.metrics().acked() < rows && p.state() == PipelineState.RUNNING) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
        p.close();
        return new Measured(p.metrics(), seconds, ds.inserts.get(), ds.insertBytes.get(), cpuSeconds);
    }

    /**
     * The hand-written twin: the same messages (JSON parsed with Jackson), the same multi-table INSERT text built with
     * a StringBuilder, the same batch size and writer count (devices partitioned), one connection per writer bound to
     * the database. With {@code using} every table clause carries {@code USING ... TAGS}; without, only a sub-table's
     * first.
     *
     * @return rows, seconds, statements
     */
    static double[] handWritten(String url, String user, String password, String database, byte[][] payloads,
            long rows, int batch, int writers, int devices, boolean using) {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        createTwinDatabase(url, user, password, database);
        AtomicLong statements = new AtomicLong();
        AtomicLong written = new AtomicLong();
        double seconds = timedWriters(writers, "sink-bench-hand-written-", writer -> {
            java.util.Set<Integer> created = new java.util.HashSet<>();
            java.util.Set<Integer> pending = new java.util.HashSet<>();
            try (Connection c = DriverManager.getConnection(url, user, password);
                    Statement st = c.createStatement()) {
                // unquoted: the REST driver keeps the name for the URL path (/rest/sql/db), where backquotes break it
                st.execute("USE " + database);
                StringBuilder sql = new StringBuilder(1 << 18).append("INSERT INTO ");
                int inBatch = 0;
                for (long n = 0; n < rows; n++) {
                    byte[] payload = payloads[(int) n];
                    int device = (int) (n % devices);
                    if (device % writers != writer) {
                        continue;
                    }
                    com.fasterxml.jackson.databind.JsonNode m = json.readTree(payload);
                    com.fasterxml.jackson.databind.JsonNode site = m.get("site");
                    sql.append("`d").append(device).append('`');
                    // a sub-table counts as known once a statement that created it has run: a bare clause
                    // for a table created earlier in the same statement fails (0x2603)
                    if (using || !created.contains(device)) {
                        pending.add(device);
                        sql.append(" USING `meters` (`id`,`location`,`floor`) TAGS (").append(device).append(",'")
                                .append(site.get("location").textValue()).append("',")
                                .append(site.get("floor").intValue()).append(')');
                    }
                    sql.append(" (`ts`,`current`,`voltage`,`phase`,`temperature`,`power`,`status`) VALUES (")
                            .append(m.get("ts").longValue()).append(',').append(m.get("current").doubleValue())
                            .append(',').append(m.get("voltage").intValue()).append(',')
                            .append(m.get("phase").doubleValue()).append(',')
                            .append(m.get("temperature").doubleValue()).append(',')
                            .append(m.get("power").doubleValue()).append(",'").append(m.get("status").textValue())
                            .append("') ");
                    // a statement stays under the server's 1 MiB maxSQLLength, as the library's maxSqlBytes does
                    if (++inBatch == batch || sql.length() > 900_000) {
                        st.executeUpdate(sql.toString());
                        created.addAll(pending);
                        pending.clear();
                        statements.incrementAndGet();
                        written.addAndGet(inBatch);
                        sql.setLength("INSERT INTO ".length());
                        inBatch = 0;
                    }
                }
                if (inBatch > 0) {
                    st.executeUpdate(sql.toString());
                    statements.incrementAndGet();
                    written.addAndGet(inBatch);
                }
            } catch (SQLException | java.io.IOException e) {
                throw new IllegalStateException("hand-written baseline failed: " + e, e);
            }
        });
        dropTwinDatabase(url, user, password, database);
        return new double[] {written.get(), seconds, statements.get(), LAST_TWIN_CPU_SECONDS.get()};
    }

    /** One writer of a hand-written twin. */
    private interface TwinWriter {
        void run(int writer);
    }

    /** Runs the twin's writers, one thread each named {@code name + index}, and returns their wall time in seconds. */
    private static double timedWriters(int writers, String name, TwinWriter body) {
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        Thread[] threads = new Thread[writers];
        for (int w = 0; w < writers; w++) {
            int writer = w;
            threads[w] = new Thread(() -> body.run(writer), name + w);
            threads[w].start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LAST_TWIN_CPU_SECONDS.set((processCpuNanos() - cpu0) / 1e9);
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The JVM CPU seconds of the last {@link #timedWriters} run (the benchmark runs one variant at a time). */
    private static final java.util.concurrent.atomic.AtomicReference<Double> LAST_TWIN_CPU_SECONDS =
            new java.util.concurrent.atomic.AtomicReference<>(0.0);

    /** The CPU time of this JVM (every thread: the pipeline's, the driver's, the GC's), or 0 where unknown. */
    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? Math.max(0, os.getProcessCpuTime()) : 0;
    }

    private static void createTwinDatabase(String url, String user, String password, String database) {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS `" + database + "` PRECISION 'ms'");
            st.execute("CREATE STABLE IF NOT EXISTS `" + database + "`.`meters` (`ts` TIMESTAMP, `current` FLOAT, "
                    + "`voltage` INT, `phase` FLOAT, `temperature` FLOAT, `power` DOUBLE, `status` VARCHAR(8)) TAGS "
                    + "(`id` INT, `location` VARCHAR(32), `floor` INT)");
        } catch (SQLException e) {
            throw new IllegalStateException("hand-written baseline cannot prepare " + database + ": " + e, e);
        }
    }

    /** A server has a bounded number of vnodes: leave no baseline database behind. */
    private static void dropTwinDatabase(String url, String user, String password, String database) {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS `" + database + "`");
        } catch (SQLException e) {
            throw new IllegalStateException("hand-written baseline cannot drop " + database + ": " + e, e);
        }
    }

    /**
     * The hand-written binding twin: the same messages parsed with Jackson, one prepared {@code INSERT INTO ? USING
     * meters TAGS (?,?,?) VALUES (?,...)} per writer, each batch bound sub-table by sub-table (lists per column) and
     * executed once, the same batch size and writer count (devices partitioned).
     *
     * @return rows, seconds, executes
     */
    static double[] handWrittenBinding(String url, String user, String password, String database,
            byte[][] payloads, long rows, int batch, int writers, int devices) {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        createTwinDatabase(url, user, password, database);
        AtomicLong executes = new AtomicLong();
        AtomicLong written = new AtomicLong();
        double seconds = timedWriters(writers, "sink-bench-hand-written-stmt-", writer -> {
            try (Connection c = DriverManager.getConnection(url, user, password)) {
                try (Statement st = c.createStatement()) {
                    st.execute("USE " + database);
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO ? USING `meters` TAGS (?,?,?) VALUES "
                        + "(?,?,?,?,?,?,?)")) {
                    TaosPrepareStatement p = ps.unwrap(TaosPrepareStatement.class);
                    java.util.Map<Integer, TwinTable> tables = new java.util.LinkedHashMap<>();
                    int inBatch = 0;
                    for (long n = 0; n < rows; n++) {
                        byte[] payload = payloads[(int) n];
                        int device = (int) (n % devices);
                        if (device % writers != writer) {
                            continue;
                        }
                        com.fasterxml.jackson.databind.JsonNode m = json.readTree(payload);
                        tables.computeIfAbsent(device, d -> new TwinTable()).add(m);
                        if (++inBatch == batch) {
                            bindAndExecute(p, tables);
                            executes.incrementAndGet();
                            written.addAndGet(inBatch);
                            inBatch = 0;
                        }
                    }
                    if (inBatch > 0) {
                        bindAndExecute(p, tables);
                        executes.incrementAndGet();
                        written.addAndGet(inBatch);
                    }
                }
            } catch (SQLException | java.io.IOException e) {
                throw new IllegalStateException("hand-written binding baseline failed: " + e, e);
            }
        });
        dropTwinDatabase(url, user, password, database);
        return new double[] {written.get(), seconds, executes.get(), LAST_TWIN_CPU_SECONDS.get()};
    }

    /**
     * The hand-written twins of JDBC's own binding API over WebSocket: one prepared {@code INSERT INTO meters (tbname,
     * id, location, floor, ts, ...) VALUES (?, ...)} per writer, every row set with the standard setters and
     * {@code addBatch}. {@code jdbc}: {@code executeBatch} per batch (the driver's stmt2, one request per batch).
     * {@code ew}: TDengine's efficient writing ({@code asyncWrite=stmt}, background write threads), {@code executeUpdate}
     * per batch, which waits until the batch is written and throws if any of it failed. {@code ew-example}: as TDengine's
     * efficient-writing example does, {@code executeBatch} per batch and {@code executeUpdate} every 10 batches.
     *
     * @return rows, seconds, executes
     */
    static double[] handWrittenRowBinding(String url, String user, String password, String database,
            byte[][] payloads, long rows, int batch, int writers, int devices, String how) {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        createTwinDatabase(url, user, password, database);
        AtomicLong executes = new AtomicLong();
        AtomicLong written = new AtomicLong();
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        if (!how.equals("jdbc")) {
            props.setProperty("asyncWrite", "stmt");
            props.setProperty("batchSizeByRow", Integer.toString(Math.min(batch, 1_000)));
            props.setProperty("cacheSizeByRow", Integer.toString(Math.max(10_000, 2 * batch)));
        }
        double seconds = timedWriters(writers, "sink-bench-hand-written-" + how + "-", writer -> {
            try (Connection c = DriverManager.getConnection(url, props)) {
                try (Statement st = c.createStatement()) {
                    st.execute("USE " + database);
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO `meters` (tbname, `id`, `location`, "
                        + "`floor`, `ts`, `current`, `voltage`, `phase`, `temperature`, `power`, `status`) VALUES "
                        + "(?,?,?,?,?,?,?,?,?,?,?)")) {
                    int inBatch = 0;
                    int batches = 0;
                    for (long n = 0; n < rows; n++) {
                        int device = (int) (n % devices);
                        if (device % writers != writer) {
                            continue;
                        }
                        com.fasterxml.jackson.databind.JsonNode m = json.readTree(payloads[(int) n]);
                        com.fasterxml.jackson.databind.JsonNode site = m.get("site");
                        ps.setString(1, "d" + device);
                        ps.setInt(2, device);
                        ps.setString(3, site.get("location").textValue());
                        ps.setInt(4, site.get("floor").intValue());
                        ps.setTimestamp(5, new java.sql.Timestamp(m.get("ts").longValue()));
                        ps.setFloat(6, m.get("current").floatValue());
                        ps.setInt(7, m.get("voltage").intValue());
                        ps.setFloat(8, m.get("phase").floatValue());
                        ps.setFloat(9, m.get("temperature").floatValue());
                        ps.setDouble(10, m.get("power").doubleValue());
                        ps.setString(11, m.get("status").textValue());
                        ps.addBatch();
                        if (++inBatch == batch) {
                            commit(ps, how, ++batches);
                            executes.incrementAndGet();
                            written.addAndGet(inBatch);
                            inBatch = 0;
                        }
                    }
                    if (inBatch > 0) {
                        commit(ps, how, 10);
                        executes.incrementAndGet();
                        written.addAndGet(inBatch);
                    } else if (!how.equals("jdbc")) {
                        ps.executeUpdate();
                    }
                }
            } catch (SQLException | java.io.IOException e) {
                throw new IllegalStateException("hand-written " + how + " baseline failed: " + e, e);
            }
        });
        dropTwinDatabase(url, user, password, database);
        return new double[] {written.get(), seconds, executes.get(), LAST_TWIN_CPU_SECONDS.get()};
    }

    private static void commit(PreparedStatement ps, String how, int batches) throws SQLException {
        switch (how) {
            case "jdbc" -> ps.executeBatch();
            case "ew" -> ps.executeUpdate();
            default -> {
                ps.executeBatch();
                if (batches % 10 == 0) {
                    ps.executeUpdate();
                }
            }
        }
    }

    private static void bindAndExecute(TaosPrepareStatement p, java.util.Map<Integer, TwinTable> tables)
            throws SQLException {
        for (java.util.Map.Entry<Integer, TwinTable> e : tables.entrySet()) {
            TwinTable t = e.getValue();
            p.setTableName("`d" + e.getKey() + "`");
            p.setTagInt(0, e.getKey());
            p.setTagString(1, t.location);
            p.setTagInt(2, t.floor);
            p.setTimestamp(0, t.ts);
            p.setFloat(1, t.current);
            p.setInt(2, t.voltage);
            p.setFloat(3, t.phase);
            p.setFloat(4, t.temperature);
            p.setDouble(5, t.power);
            p.setString(6, t.status, 8);
            p.columnDataAddBatch();
        }
        p.columnDataExecuteBatch();
        tables.clear();
    }

    /** One sub-table's rows of a batch, one list per column, for the binding twin. */
    private static final class TwinTable {
        final java.util.List<Long> ts = new java.util.ArrayList<>();
        final java.util.List<Float> current = new java.util.ArrayList<>();
        final java.util.List<Integer> voltage = new java.util.ArrayList<>();
        final java.util.List<Float> phase = new java.util.ArrayList<>();
        final java.util.List<Float> temperature = new java.util.ArrayList<>();
        final java.util.List<Double> power = new java.util.ArrayList<>();
        final java.util.List<String> status = new java.util.ArrayList<>();
        String location;
        int floor;

        void add(com.fasterxml.jackson.databind.JsonNode m) {
            com.fasterxml.jackson.databind.JsonNode site = m.get("site");
            location = site.get("location").textValue();
            floor = site.get("floor").intValue();
            ts.add(m.get("ts").longValue());
            current.add(m.get("current").floatValue());
            voltage.add(m.get("voltage").intValue());
            phase.add(m.get("phase").floatValue());
            temperature.add(m.get("temperature").floatValue());
            power.add(m.get("power").doubleValue());
            status.add(m.get("status").textValue());
        }
    }

    private static double perRowMicros(double cpuSeconds, long rows) {
        return rows > 0 ? cpuSeconds * 1e6 / rows : 0;
    }

    private static String stripQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    /** A message from memory; nothing to acknowledge. */
    record MemoryMessage(String topic, byte[] payload, int qos, Instant receivedAt) implements InboundMessage {
        @Override
        public void acknowledge() {
            // the messages come from memory
        }
    }

    /** Messages from memory, as fast as the pipeline takes them; pauses when asked. */
    static final class MemoryTransport implements Transport {
        private final byte[][] payloads;
        private final long messages;
        private final int devices;
        private volatile boolean paused;
        private volatile boolean closed;
        private Thread thread;

        MemoryTransport(byte[][] payloads, long messages, int devices) {
            this.payloads = payloads;
            this.messages = messages;
            this.devices = devices;
        }

        @Override
        public void start(TransportContext handler) {
            thread = new Thread(() -> {
                for (long n = 0; n < messages && !closed; n++) {
                    while (paused && !closed) {
                        Thread.onSpinWait();
                        try {
                            TimeUnit.MICROSECONDS.sleep(200);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    byte[] payload = payloads[(int) n];
                    String topic = BenchPayload.topic((int) (n % devices));
                    Instant now = Instant.now();
                    handler.onMessage(new MemoryMessage(topic, payload, 1, now));
                }
            }, "sink-bench-source");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void pause() {
            paused = true;
        }

        @Override
        public void resume() {
            paused = false;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Connections from {@link DriverManager}, counting the INSERT statements executed and their bytes. */
    static final class CountingDataSource implements DataSource {
        final AtomicLong inserts = new AtomicLong();
        final AtomicLong insertBytes = new AtomicLong();
        private final String url;
        private final String user;
        private final String password;

        CountingDataSource(String url, String user, String password) {
            this.url = url;
            this.user = user;
            this.password = password;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return counting(DriverManager.getConnection(url, user, password));
        }

        @Override
        public Connection getConnection(String u, String p) throws SQLException {
            return counting(DriverManager.getConnection(url, u, p));
        }

        private Connection counting(Connection c) {
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    forward(c, (method, result) -> result instanceof Statement s && method.getName()
                            .equals("createStatement") ? countingStatement(s) : result));
        }

        private Statement countingStatement(Statement s) {
            return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Statement.class},
                    (proxy, method, args) -> {
                        if (args != null && args.length >= 1 && args[0] instanceof String sql
                                && method.getName().startsWith("execute")
                                && sql.regionMatches(true, 0, "INSERT", 0, 6)) {
                            inserts.incrementAndGet();
                            insertBytes.addAndGet(sql.length());
                        }
                        return invoke(s, method, args);
                    });
        }

        private interface Wrap {
            Object apply(Method method, Object result);
        }

        private static InvocationHandler forward(Object target, Wrap wrap) {
            return (proxy, method, args) -> wrap.apply(method, invoke(target, method, args));
        }

        private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
            // not used
        }

        @Override
        public void setLoginTimeout(int seconds) {
            DriverManager.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() {
            return DriverManager.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException("no parent logger");
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper for " + iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }

        @Override
        public String toString() {
            return "CountingDataSource{" + stripQuery(url) + "}";
        }
    }
}
