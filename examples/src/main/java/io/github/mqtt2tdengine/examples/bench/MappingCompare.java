package io.github.mqtt2tdengine.examples.bench;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.LongUnaryOperator;

/**
 * Mapping cost of two builds of the library in one JVM, for a before/after comparison that the host's drift does not
 * decide: the other build's core jar ({@code --before}) and this build are each loaded in a class loader of their own
 * (child first for {@code io.github.mqtt2tdengine.*}; Jackson and JsonPath are shared), both warmed up, then measured
 * in alternating slices (A B B A A B ...) on one thread. Per slice it reads the thread's CPU time and allocated bytes
 * (not wall time, which other tenants' load and GC threads move), and prints per load: ns of CPU and bytes per
 * message of each build, the after÷before ratio of every pair of slices (median and quartiles) and of the totals.
 * {@code --before} given this build's own jar is the A/A run that shows the method's noise floor.
 *
 * <p>Run with {@code java -Xms1g -Xmx1g -cp examples/target/mqtt2tdengine-demo.jar
 * io.github.mqtt2tdengine.examples.bench.MappingCompare --before OTHER/core/target/mqtt2tdengine-core-*.jar}.
 */
public final class MappingCompare {
    private static final String OWN_PACKAGE = "io.github.mqtt2tdengine.";
    private static final String DRIVER = "io.github.mqtt2tdengine.examples.bench.MappingDriver";
    private static final int BATCH = 1_000;

    private MappingCompare() {
    }

    /**
     * Runs the comparison.
     *
     * @param args {@code --before CORE_JAR} (required), {@code --seconds N} measured per load (default 60),
     *     {@code --warmup N} seconds per build and load (default 10), {@code --slice-ms N} (default 200),
     *     {@code --payload five|ten|both} (default both)
     * @throws Exception when a build cannot be loaded
     */
    public static void main(String[] args) throws Exception {
        String before = null;
        int seconds = 60;
        int warmup = 10;
        int sliceMs = 200;
        String payload = "both";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--before" -> before = args[++i];
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--slice-ms" -> sliceMs = Integer.parseInt(args[++i]);
                case "--payload" -> payload = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; usage: MappingCompare "
                        + "--before CORE_JAR [--seconds N] [--warmup N] [--slice-ms N] [--payload five|ten|both]");
            }
        }
        if (before == null || !new File(before).isFile()) {
            throw new IllegalArgumentException("--before must name the other build's core jar (e.g. "
                    + "/tmp/prev/core/target/mqtt2tdengine-core-0.1.0-SNAPSHOT.jar), got " + before);
        }
        URL self = ownLocation();
        URL beforeJar = new File(before).toURI().toURL();
        System.out.printf(Locale.ROOT, "mapping compare: before = %s, after = %s; Java %s; %d s per load, slices of %d ms"
                + ", warm-up %d s per build%n", before, self, System.getProperty("java.version"), seconds, sliceMs, warmup);
        System.out.printf(Locale.ROOT, "%-5s %14s %14s %14s %14s %10s %18s %10s %7s%n", "load", "before ns/msg",
                "after ns/msg", "before B/msg", "after B/msg", "ratio", "pairs p25..p75", "of totals", "pairs");
        for (String load : payload.equals("both") ? List.of("five", "ten") : List.of(payload)) {
            boolean five = load.equals("five");
            LongUnaryOperator a = driver(new URL[] {beforeJar, self}, five);
            LongUnaryOperator b = driver(new URL[] {self}, five);
            run(load, a, b, seconds, warmup, sliceMs);
        }
    }

    private static void run(String load, LongUnaryOperator before, LongUnaryOperator after, int seconds, int warmup,
            int sliceMs) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long sink = 0;
        for (int round = 0; round < 2; round++) {
            sink += slice(before, warmup * 500L, threads, tid)[0] + slice(after, warmup * 500L, threads, tid)[0];
        }
        List<Double> ratios = new ArrayList<>();
        double[] totals = new double[6];
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        boolean beforeFirst = true;
        while (System.nanoTime() < end) {
            long[] x = beforeFirst ? slice(before, sliceMs, threads, tid) : slice(after, sliceMs, threads, tid);
            long[] y = beforeFirst ? slice(after, sliceMs, threads, tid) : slice(before, sliceMs, threads, tid);
            long[] b = beforeFirst ? x : y;
            long[] a = beforeFirst ? y : x;
            beforeFirst = !beforeFirst;
            ratios.add(((double) a[1] / a[0]) / ((double) b[1] / b[0]));
            totals[0] += b[0];
            totals[1] += b[1];
            totals[2] += b[2];
            totals[3] += a[0];
            totals[4] += a[1];
            totals[5] += a[2];
            sink += b[3] + a[3];
        }
        double[] r = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double beforeNs = totals[1] / totals[0];
        double afterNs = totals[4] / totals[3];
        System.out.printf(Locale.ROOT, "%-5s %14.0f %14.0f %14.0f %14.0f %10.3f %8.3f..%-8.3f %10.3f %7d%n", load,
                beforeNs, afterNs, totals[2] / totals[0], totals[5] / totals[3], quantile(r, 0.5), quantile(r, 0.25),
                quantile(r, 0.75), afterNs / beforeNs, r.length);
        if (sink == 42) {
            System.out.println(); // keeps the results alive
        }
    }

    /** Runs whole batches for {@code millis}; returns messages, thread CPU ns, allocated bytes, checksum. */
    private static long[] slice(LongUnaryOperator driver, long millis, com.sun.management.ThreadMXBean threads,
            long tid) {
        long stop = System.nanoTime() + millis * 1_000_000L;
        long cpu0 = threads.getCurrentThreadCpuTime();
        long bytes0 = threads.getThreadAllocatedBytes(tid);
        long messages = 0;
        long sum = 0;
        do {
            sum += driver.applyAsLong(BATCH);
            messages += BATCH;
        } while (System.nanoTime() < stop);
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        long bytes = threads.getThreadAllocatedBytes(tid) - bytes0;
        return new long[] {messages, cpu, bytes, sum};
    }

    private static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    private static LongUnaryOperator driver(URL[] urls, boolean five) throws ReflectiveOperationException {
        ClassLoader loader = new OwnFirstLoader(urls, MappingCompare.class.getClassLoader());
        return (LongUnaryOperator) Class.forName(DRIVER, true, loader).getConstructor(boolean.class).newInstance(five);
    }

    private static URL ownLocation() throws URISyntaxException, MalformedURLException {
        return MappingCompare.class.getProtectionDomain().getCodeSource().getLocation().toURI().toURL();
    }

    /** Loads the library's classes from its own URLs, in their order; everything else from the parent. */
    private static final class OwnFirstLoader extends URLClassLoader {
        OwnFirstLoader(URL[] urls, ClassLoader parent) {
            super(Arrays.copyOf(urls, urls.length), parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(OWN_PACKAGE)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
