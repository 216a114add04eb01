package io.github.mqtt2tdengine.examples.bench;

import io.github.mqtt2tdengine.LatencySummary;
import io.github.mqtt2tdengine.internal.engine.WindowedHistogram;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the latency and lag figures cost per message, in nanoseconds: the work the pipeline added for them (a
 * {@code System.nanoTime()} at intake, one at commit, a latency record and a lag record of one row), beside a
 * snapshot (what a scrape pays). One writer thread records, as in a pipeline with {@code writers(1)}; the
 * {@code contended} case has two. Run with
 * {@code java -cp examples/target/mqtt2tdengine-demo.jar org.openjdk.jmh.Main MetricsBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MetricsBenchmark {
    private final WindowedHistogram latency = new WindowedHistogram(Duration.ofMinutes(1), System.nanoTime());
    private final WindowedHistogram lag = new WindowedHistogram(Duration.ofMinutes(1), System.nanoTime());

    /** Per message: the two clock reads and the two records of a committed message with one row. */
    @Benchmark
    public long perMessage() {
        long intake = System.nanoTime();
        long now = System.nanoTime();
        latency.record((now - intake) / 1000 + 700, now);
        lag.record(1_500_000, now);
        return now;
    }

    /** The same from two threads on the same histograms (two writers). */
    @Benchmark
    @Threads(2)
    public long contended() {
        return perMessage();
    }

    /** A snapshot of both (a scrape, once per 100 ms at most). */
    @Benchmark
    public LatencySummary snapshot() {
        long now = System.nanoTime();
        latency.snapshot(now);
        return lag.snapshot(now);
    }
}
