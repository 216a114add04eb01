package io.github.mqtt2tdengine.runner.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Measures a consumer from outside its hot path: a daemon thread samples the received count every 10 ms and records
 * the process CPU time and wall time at the first and the last sample where the count moved. Every consumer of the
 * benchmark (B0, B1, the runner) is measured by this same class, so their figures compare: the runner's summary line
 * and the examples' benchmark both use it. Not API.
 *
 * <p>Process CPU includes the JIT compiler's threads, which in a short run spend about as much CPU as the consumer
 * itself (HotSpot's {@code -XX:+CITime}: 11-12 s of compilation in a 100,000-message run), and more for more code.
 * So the main figures ({@code cpuUsPerMsg}, {@code msgsPerSec}) start at a warm-up mark: the first sample at or after
 * {@value #WARMUP_PROPERTY} messages (system property, default 0 = the first message); {@code cpuUsPerMsgAll} is the
 * whole run from the first message, warm-up included. {@code appCpuUsPerMsg} is the CPU of the process's Java threads
 * alone in the same window (the JVM's compiler and GC threads are not Java threads), the consumer's own work.
 */
public final class CpuMeter {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** System property: messages received before the measured window opens. */
    public static final String WARMUP_PROPERTY = "mqtt2td.cpuMeter.warmup";

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final LongSupplier received;
    private final long warmup;
    private long firstAppCpu;
    private long lastAppCpu;
    /** Per thread id, its CPU time at the warm-up mark. */
    private Map<Long, Long> firstByThread = Map.of();
    private final Thread thread;
    private volatile boolean running = true;
    private long startCount;
    private long startCpu;
    private long firstCount;
    private long firstNanos;
    private long firstCpu;
    private long lastCount;
    private long lastNanos;
    private long lastCpu;

    private CpuMeter(LongSupplier received) {
        this.received = received;
        this.warmup = Long.getLong(WARMUP_PROPERTY, 0);
        this.thread = new Thread(this::sample, "mqtt2td-cpu-meter");
        thread.setDaemon(true);
    }

    /**
     * Starts sampling.
     *
     * @param received the consumer's count of messages received
     * @return the running meter
     */
    public static CpuMeter start(LongSupplier received) {
        CpuMeter m = new CpuMeter(received);
        m.thread.start();
        return m;
    }

    private void sample() {
        while (running) {
            long n = received.getAsLong();
            synchronized (this) {
                if (n > 0 && startCount == 0) {
                    startCount = n;
                    startCpu = OS.getProcessCpuTime();
                }
                if (n > 0 && n >= warmup && firstCount == 0) {
                    firstCount = n;
                    firstNanos = System.nanoTime();
                    firstCpu = OS.getProcessCpuTime();
                    firstByThread = byThread();
                    firstAppCpu = appCpu(firstByThread);
                } else if (n > lastCount && firstCount > 0) {
                    lastCount = n;
                    lastNanos = System.nanoTime();
                    lastCpu = OS.getProcessCpuTime();
                    lastAppCpu = appCpu(byThread());
                }
            }
            try {
                TimeUnit.MILLISECONDS.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** CPU time of each live Java thread, in ns, by thread id (empty where the JVM cannot measure it). */
    private static Map<Long, Long> byThread() {
        Map<Long, Long> out = new HashMap<>();
        if (THREADS.isThreadCpuTimeSupported()) {
            for (long id : THREADS.getAllThreadIds()) {
                long cpu = THREADS.getThreadCpuTime(id);
                if (cpu >= 0) { // -1: the thread ended meanwhile
                    out.put(id, cpu);
                }
            }
        }
        return out;
    }

    /** The sum of the threads' CPU time but this meter's own, in ns. */
    private long appCpu(Map<Long, Long> byThread) {
        long self = thread.getId();
        long sum = 0;
        for (Map.Entry<Long, Long> e : byThread.entrySet()) {
            sum += e.getKey() == self ? 0 : e.getValue();
        }
        return sum;
    }

    /**
     * Returns, per Java thread, its CPU per message since the warm-up mark, busiest first (names with digits
     * folded), as {@code name=us/msg} pairs: a diagnostic beside {@link #stop()}'s figures.
     *
     * @return the breakdown, empty before the mark
     */
    public synchronized String threads() {
        long messages = received.getAsLong() - firstCount;
        if (firstCount == 0 || messages <= 0) {
            return "";
        }
        Map<String, Long> byName = new TreeMap<>();
        for (Map.Entry<Long, Long> e : byThread().entrySet()) {
            ThreadInfo info = THREADS.getThreadInfo(e.getKey());
            if (info == null) {
                continue;
            }
            String name = info.getThreadName().replaceAll("[0-9]+", "N");
            byName.merge(name, e.getValue() - firstByThread.getOrDefault(e.getKey(), 0L), Long::sum);
        }
        StringBuilder sb = new StringBuilder();
        byName.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(6)
                .forEach(e -> sb.append(sb.length() == 0 ? "" : " ").append(e.getKey()).append('=')
                        .append(String.format(Locale.ROOT, "%.2f", e.getValue() / 1e3 / messages)));
        return sb.toString();
    }

    /**
     * Stops sampling and returns the figures as {@code firstToLastMs=N cpuUsPerMsg=X msgsPerSec=R peakHeapMB=Y
     * cpuUsPerMsgAll=Z appCpuUsPerMsg=A}.
     *
     * @return the figures
     */
    public synchronized String stop() {
        running = false;
        long messages = lastCount - firstCount;
        double ms = (lastNanos - firstNanos) / 1e6;
        double cpuUs = messages > 0 ? (lastCpu - firstCpu) / 1e3 / messages : 0;
        double rate = messages > 0 && ms > 0 ? messages / (ms / 1e3) : 0;
        long all = lastCount - startCount;
        double cpuAllUs = all > 0 ? (lastCpu - startCpu) / 1e3 / all : 0;
        double appUs = messages > 0 ? (lastAppCpu - firstAppCpu) / 1e3 / messages : 0;
        return String.format(Locale.ROOT, "firstToLastMs=%d cpuUsPerMsg=%.2f msgsPerSec=%.0f peakHeapMB=%.1f "
                + "cpuUsPerMsgAll=%.2f appCpuUsPerMsg=%.2f", messages > 0 ? Math.round(ms) : 0, cpuUs, rate,
                peakHeapMb(), cpuAllUs, appUs);
    }

    /**
     * Returns the sum of the heap pools' peak usage since start, in MiB.
     *
     * @return the peak heap
     */
    public static double peakHeapMb() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / (1024.0 * 1024.0);
    }
}
