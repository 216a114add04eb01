package io.github.mqtt2tdengine.runner.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Measures a consumer from outside its hot path: a daemon thread samples the received count every 10 ms and records
 * the process CPU time and wall time at the first and the last sample where the count moved. Every consumer of the
 * benchmark (B0, B1, the runner) is measured by this same class, so their figures compare: the runner's summary line
 * and the examples' benchmark both use it. Not API.
 */
public final class CpuMeter {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final LongSupplier received;
    private final Thread thread;
    private volatile boolean running = true;
    private long firstCount;
    private long firstNanos;
    private long firstCpu;
    private long lastCount;
    private long lastNanos;
    private long lastCpu;

    private CpuMeter(LongSupplier received) {
        this.received = received;
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
                if (n > 0 && firstCount == 0) {
                    firstCount = n;
                    firstNanos = System.nanoTime();
                    firstCpu = OS.getProcessCpuTime();
                } else if (n > lastCount && firstCount > 0) {
                    lastCount = n;
                    lastNanos = System.nanoTime();
                    lastCpu = OS.getProcessCpuTime();
                }
            }
            try {
                TimeUnit.MILLISECONDS.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Stops sampling and returns the figures as
     * {@code firstToLastMs=N cpuUsPerMsg=X msgsPerSec=R peakHeapMB=Y}.
     *
     * @return the figures
     */
    public synchronized String stop() {
        running = false;
        long messages = lastCount - firstCount;
        double ms = (lastNanos - firstNanos) / 1e6;
        double cpuUs = messages > 0 ? (lastCpu - firstCpu) / 1e3 / messages : 0;
        double rate = messages > 0 && ms > 0 ? messages / (ms / 1e3) : 0;
        return String.format(Locale.ROOT, "firstToLastMs=%d cpuUsPerMsg=%.2f msgsPerSec=%.0f peakHeapMB=%.1f",
                messages > 0 ? Math.round(ms) : 0, cpuUs, rate, peakHeapMb());
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
