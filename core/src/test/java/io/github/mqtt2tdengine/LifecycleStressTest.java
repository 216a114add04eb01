package io.github.mqtt2tdengine;

import io.github.mqtt2tdengine.errors.SinkException;
import io.github.mqtt2tdengine.errors.TransportException;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.spi.ConnectionState;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.FakeTransport.FakeMessage;
import io.github.mqtt2tdengine.spi.FakeTransport;
import io.github.mqtt2tdengine.spi.Row;
import io.github.mqtt2tdengine.spi.TransportContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives start, close, failure (a fatal sink error, a transport that gives up), broker loss (connection lost and back)
 * and sink stalls (a write that blocks past the stall warning, past the shutdown timeout, a sink that swallows the
 * interrupt) from several threads at random, round after round, for a bounded time, and checks after each round what
 * a host relies on:
 * <ul>
 *   <li>a message is acknowledged only once its row was committed by the sink (never before), and at most once;
 *   <li>{@code close()} returns within its deadline (shutdown timeout plus the grace of a close that gives up);
 *   <li>no thread of the pipeline ({@code mqtt2td-<name>-*}) is alive when {@code close()} returns, and the transport
 *       and the sink are closed by then;
 *   <li>the final state is CLOSED or FAILED, and the listeners heard a legal sequence of state changes (each starts
 *       where the last ended, along an edge of the public state machine), and {@code onFailed} once exactly when the
 *       pipeline failed.
 * </ul>
 * System properties: {@code mqtt2td.stress.seconds} (default 20) bounds the run, {@code mqtt2td.stress.seed} replays a
 * run's random choices (the seed is in every assertion message and logged at the start; thread timing still varies).
 */
class LifecycleStressTest {
    private static final Logger LOG = LoggerFactory.getLogger(LifecycleStressTest.class);
    /** Public edges a listener may see. */
    private static final Set<String> LEGAL = Set.of("NEW->STARTING", "NEW->CLOSED", "STARTING->RUNNING",
            "STARTING->FAILED", "RUNNING->CLOSING", "RUNNING->FAILED", "CLOSING->CLOSED", "CLOSING->FAILED");
    /** What close() may take beyond the shutdown timeout: the writers' and the watch's grace, and some slack. */
    private static final long CLOSE_SLACK_MILLIS = 3_500;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // the run is bounded by mqtt2td.stress.seconds; this only catches a hang
    void randomLifecycleEvents_fromSeveralThreads_keepTheInvariants() throws Exception {
        long seconds = Long.getLong("mqtt2td.stress.seconds", 20);
        long seed = Long.getLong("mqtt2td.stress.seed", System.nanoTime());
        LOG.info("Lifecycle stress: {} s, seed {} (replay with -Dmqtt2td.stress.seed={})", seconds, seed, seed);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int rounds = 0;
        AtomicLong acked = new AtomicLong();
        int failed = 0;
        while (rounds == 0 || System.nanoTime() < end) {
            Round r = new Round(seed, rounds);
            r.run();
            acked.addAndGet(r.acked());
            failed += r.pipeline.state() == PipelineState.FAILED ? 1 : 0;
            rounds++;
        }
        LOG.info("Lifecycle stress: {} rounds, {} failed, {} messages acknowledged, seed {}", rounds, failed, acked,
                seed);
        assertThat(rounds).isPositive();
    }

    /** One pipeline's life, with its own fakes and random choices. */
    private static final class Round {
        private final long seed;
        private final int index;
        private final String name;
        private final Random random;
        private final FakeTransport transport = new FakeTransport();
        private final FakeSink sink = new FakeSink();
        private final Set<Long> committed = ConcurrentHashMap.newKeySet();
        /** Payloads (by identity) the dead-letter destination stored. */
        private final Set<byte[]> deadLettersStored = Collections.synchronizedSet(
                Collections.newSetFromMap(new IdentityHashMap<>()));
        /** Whether the dead-letter destination fails now (the chaos thread turns it on and off). */
        private volatile boolean deadLetterDown;
        private final List<String> violations = new CopyOnWriteArrayList<>();
        private final List<String> states = new CopyOnWriteArrayList<>();
        private final AtomicInteger onFailed = new AtomicInteger();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Duration shutdownTimeout;
        private final double closeFromCallbacks;
        private SyncPipeline pipeline;

        Round(long seed, int index) {
            this.seed = seed;
            this.index = index;
            this.name = "stress" + index;
            this.random = new Random(seed * 31 + index);
            this.shutdownTimeout = Duration.ofMillis(150 + random.nextInt(400));
            this.closeFromCallbacks = random.nextBoolean() ? 0.5 : 0;
        }

        private String what() {
            return "round " + index + " (seed " + seed + ")";
        }

        long acked() {
            return transport.delivered().stream().filter(FakeMessage::acked).count();
        }

        /** From a callback (a listener, the dead-letter handler, the transport's close), now and then: close(). */
        private void maybeCloseFromCallback(Random r) {
            if (closeFromCallbacks > 0 && r.nextDouble() < closeFromCallbacks) {
                pipeline.close(); // must return at once, whatever thread this is
            }
        }

        void run() throws Exception {
            Random callbackRandom = new Random(random.nextLong());
            sink.onCommit(rows -> {
                for (Row row : rows) {
                    committed.add(((Number) row.column("v")).longValue());
                }
            });
            transport.onAcknowledge(m -> {
                Long seq = sequence(m);
                if (m.ackCount() > 0) {
                    violations.add("acknowledged twice: " + m);
                }
                if (seq != null && !committed.contains(seq)) {
                    violations.add("acknowledged before its row was committed: message " + seq);
                }
                if (seq == null && !deadLettersStored.contains(m.payload())) {
                    violations.add("acknowledged before its dead letter was stored: " + m);
                }
            });
            if (random.nextBoolean()) {
                transport.duringClose(() -> maybeCloseFromCallback(callbackRandom));
            }
            if (random.nextInt(3) == 0) {
                sink.swallowInterrupts();
            }
            if (random.nextInt(25) == 0) {
                sink.failOnOpen(new SinkException("chaos: database is missing"));
            }
            pipeline = SyncPipeline.builder()
                    .name(name)
                    .source(transport)
                    .sink(sink)
                    .payload(PayloadSpec.json().tag("id", "$.id", ColumnType.INT).column("v", "$.v", ColumnType.BIGINT)
                            .build())
                    .superTable("meters")
                    .subTableTemplate("d{id}")
                    .writers(1 + random.nextInt(3))
                    .maxInFlight(8 + random.nextInt(200))
                    .batching(1 + random.nextInt(50), Duration.ofMillis(1 + random.nextInt(20)))
                    .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(10))
                    .stallWarning(Duration.ofMillis(20 + random.nextInt(60)))
                    .shutdownTimeout(shutdownTimeout)
                    .deadLetterHandler(d -> {
                        maybeCloseFromCallback(callbackRandom);
                        if (deadLetterDown) {
                            throw new IllegalStateException("chaos: dead-letter destination down");
                        }
                        deadLettersStored.add(d.payload());
                    })
                    .listener(listener(callbackRandom))
                    .build();
            List<Thread> drivers = new ArrayList<>();
            Random starterRandom = new Random(random.nextLong());
            boolean closeDuringStart = random.nextInt(10) == 0;
            Thread starter = driver("starter", () -> start(starterRandom));
            drivers.add(starter);
            if (closeDuringStart) {
                drivers.add(driver("early-closer", pipeline::close));
            }
            drivers.forEach(Thread::start);
            starter.join();
            AtomicLong sequence = new AtomicLong();
            int publishers = 1 + random.nextInt(2);
            for (int p = 0; p < publishers; p++) {
                Random pr = new Random(random.nextLong());
                drivers.add(started(driver("publisher-" + p, () -> publish(pr, sequence))));
            }
            Random chaosRandom = new Random(random.nextLong());
            drivers.add(started(driver("chaos", () -> chaos(chaosRandom))));
            pause(Duration.ofMillis(50 + random.nextInt(400)));
            if (random.nextBoolean()) {
                drivers.add(started(driver("other-closer", pipeline::close)));
            }
            long t0 = System.nanoTime();
            pipeline.close();
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            List<String> left = threadsLeft();
            boolean transportClosed = transport.closes() == 0 || transport.closeDone();
            int sinkCloses = sink.closes();
            stop.set(true);
            sink.unblock();
            for (Thread t : drivers) {
                t.join(TimeUnit.SECONDS.toMillis(30));
                assertThat(t.isAlive()).as("%s: driver %s ended", what(), t.getName()).isFalse();
            }
            check(tookMillis, left, transportClosed, sinkCloses);
        }

        private void start(Random r) {
            try {
                pipeline.start();
            } catch (IllegalStateException e) {
                // closed first by the early closer: the only misuse this test makes
                if (!e.getMessage().equals("Pipeline '" + name + "' is already closed")) {
                    violations.add("start() threw " + e);
                }
            } catch (SinkException e) {
                if (!e.getMessage().startsWith("chaos")) {
                    violations.add("start() threw " + e);
                }
            }
            if (r.nextInt(5) == 0) {
                try {
                    pipeline.start();
                    violations.add("a second start() did not throw");
                } catch (IllegalStateException expected) {
                    // already started or closed
                }
            }
        }

        private void publish(Random r, AtomicLong sequence) {
            TransportContext context = transport.handler();
            while (!stop.get() && context != null) {
                if (transport.paused()) {
                    // a transport that stopped reading: wait for the resume (the pause is pacing, not synchronisation)
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
                    continue;
                }
                if (r.nextInt(50) == 0) {
                    transport.publish("plant/bad", "{\"id\":");
                    continue;
                }
                long seq = sequence.incrementAndGet();
                byte[] payload = ("{\"id\":" + r.nextInt(8) + ",\"v\":" + seq + "}").getBytes(StandardCharsets.UTF_8);
                transport.publish("plant/" + seq, payload, 1, Instant.now());
                if (r.nextInt(20) == 0) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            }
        }

        /** Random events at random moments, until the round stops (the pauses pace the chaos). */
        private void chaos(Random r) {
            boolean blocked = false;
            while (!stop.get()) {
                TransportContext context = transport.handler();
                switch (r.nextInt(12)) {
                    case 0 -> sink.failRetriable(1 + r.nextInt(3));
                    case 1 -> {
                        if (r.nextInt(4) == 0) {
                            sink.failFatal(new SinkException("chaos: disk on fire"));
                        }
                    }
                    case 2, 3 -> {
                        if (!blocked) {
                            sink.block(); // a write that blocks past the stall warning, maybe past the close
                            blocked = true;
                        } else {
                            sink.unblock();
                            blocked = false;
                        }
                    }
                    case 4, 5 -> {
                        if (context != null) {
                            context.onConnectionStateChanged(ConnectionState.RECONNECTING, "chaos: connection lost");
                            pause(Duration.ofMillis(r.nextInt(20)));
                            context.onConnectionStateChanged(ConnectionState.CONNECTED, "chaos: reconnected");
                        }
                    }
                    case 6 -> {
                        if (context != null && r.nextInt(6) == 0) {
                            context.onTransportFailed(new TransportException("chaos: gave up reconnecting"));
                        }
                    }
                    case 7 -> {
                        if (r.nextInt(8) == 0) {
                            pipeline.close();
                        }
                    }
                    case 8 -> deadLetterDown = !deadLetterDown; // bad messages wait in flight while it is down
                    default -> {
                        // nothing this time
                    }
                }
                pause(Duration.ofMillis(r.nextInt(40)));
            }
        }

        private PipelineListener listener(Random r) {
            return new PipelineListener() {
                @Override
                public void onStateChanged(PipelineState previous, PipelineState current) {
                    states.add(previous + "->" + current);
                    maybeCloseFromCallback(r);
                }

                @Override
                public void onFailed(Throwable cause) {
                    onFailed.incrementAndGet();
                    maybeCloseFromCallback(r);
                }

                @Override
                public void onConnectionStateChanged(ConnectionState state, String detail) {
                    maybeCloseFromCallback(r);
                }

                @Override
                public void onSinkStalled(Duration elapsed) {
                    maybeCloseFromCallback(r);
                }
            };
        }

        private void check(long tookMillis, List<String> left, boolean transportClosed, int sinkCloses) {
            String w = what();
            assertThat(violations).as("%s: at-least-once and start() violations", w).isEmpty();
            assertThat(tookMillis).as("%s: close() took (shutdown timeout %s ms)", w, shutdownTimeout.toMillis())
                    .isLessThanOrEqualTo(shutdownTimeout.toMillis() + CLOSE_SLACK_MILLIS);
            assertThat(left).as("%s: pipeline threads alive when close() returned", w).isEmpty();
            assertThat(transportClosed).as("%s: the transport still closing when close() returned", w).isTrue();
            assertThat(sinkCloses).as("%s: sink closes when close() returned", w).isEqualTo(1);
            PipelineState finalState = pipeline.state();
            assertThat(finalState).as("%s: final state", w).isIn(PipelineState.CLOSED, PipelineState.FAILED);
            assertThat(transport.delivered()).as("%s: acknowledged at most once", w).allMatch(m -> m.ackCount() <= 1);
            List<String> seen = List.copyOf(states);
            String last = "NEW";
            for (String change : seen) {
                assertThat(LEGAL).as("%s: illegal change %s in %s", w, change, seen).contains(change);
                assertThat(change).as("%s: change %s does not follow %s in %s", w, change, last, seen)
                        .startsWith(last + "->");
                last = change.substring(change.indexOf("->") + 2);
            }
            assertThat(last).as("%s: last change heard vs state() in %s", w, seen).isEqualTo(finalState.name());
            assertThat(onFailed.get()).as("%s: onFailed calls (state %s)", w, finalState)
                    .isEqualTo(finalState == PipelineState.FAILED ? 1 : 0);
        }

        /** The message's sequence number (its row's v), or null for a bad payload. */
        private static Long sequence(FakeMessage m) {
            String text = new String(m.payload(), StandardCharsets.UTF_8);
            int at = text.indexOf("\"v\":");
            return at < 0 ? null : Long.valueOf(text.substring(at + 4, text.length() - 1));
        }

        private List<String> threadsLeft() {
            String prefix = "mqtt2td-" + name + "-";
            List<String> alive = new ArrayList<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.isAlive() && t.getName().startsWith(prefix)) {
                    alive.add(t.getName());
                }
            }
            return alive;
        }

        private Thread driver(String role, Runnable body) {
            Thread t = new Thread(() -> {
                try {
                    body.run();
                } catch (RuntimeException | AssertionError e) {
                    violations.add(role + " threw " + e);
                }
            }, "stress-" + index + "-" + role);
            t.setDaemon(true);
            return t;
        }

        private static Thread started(Thread t) {
            t.start();
            return t;
        }

        private static void pause(Duration d) {
            LockSupport.parkNanos(d.toNanos());
        }
    }
}
