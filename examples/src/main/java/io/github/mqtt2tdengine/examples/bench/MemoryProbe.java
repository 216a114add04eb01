package io.github.mqtt2tdengine.examples.bench;

import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.errors.RetriableSinkException;
import io.github.mqtt2tdengine.mqtt.MqttTransport;
import io.github.mqtt2tdengine.spi.Sink;
import io.github.mqtt2tdengine.spi.SinkBatch;
import io.github.mqtt2tdengine.spi.SinkContext;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * The memory scenario, run as its own process: {@code MemoryProbe PORT MAX_IN_FLIGHT}. A pipeline whose sink never
 * finishes a write subscribes at QoS 1; the benchmark then publishes the backlog. On SIGTERM it collects garbage,
 * prints {@code memory: ...} with the heap the pipeline retains, and halts.
 */
public final class MemoryProbe {
    private MemoryProbe() {
    }

    /** A sink stalled forever: every write waits until the pipeline is closed. */
    static final class StalledSink implements Sink {
        private final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public void open(SinkContext context) {
            // nothing to prepare
        }

        @Override
        public void write(SinkBatch batch) {
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetriableSinkException("stalled sink interrupted");
            }
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    /**
     * Runs the probe.
     *
     * @param args port, maxInFlight
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        int maxInFlight = Integer.parseInt(args[1]);
        SyncPipeline p = SyncPipeline.builder().name("memory")
                .source(MqttTransport.builder().endpoint("127.0.0.1:" + port).clientId("mqtt2td-bench-memory")
                        .subscribe(BenchPayload.TOPIC_PREFIX + "#", 1).build())
                .sink(new StalledSink()).payload(BenchPayload.spec())
                .batching(500, Duration.ofMillis(100)).maxInFlight(maxInFlight).build();
        long baseline = heapAfterGc();
        p.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long heap = heapAfterGc();
            var m = p.metrics();
            System.out.println(String.format(Locale.ROOT, "memory: maxInFlight=%d received=%d inFlight=%d "
                    + "peakInFlight=%d heapBaselineMB=%.1f heapAfterGcMB=%.1f retainedMB=%.1f bytesPerInFlight=%.0f",
                    maxInFlight, m.received(), m.inFlight(), m.peakInFlight(), baseline / 1048576.0,
                    heap / 1048576.0, (heap - baseline) / 1048576.0,
                    m.inFlight() > 0 ? (double) (heap - baseline) / m.inFlight() : 0));
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }));
        System.out.println("ready");
        Thread.currentThread().join();
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
