package io.github.mqtt2tdengine.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mqtt2tdengine.spi.Transport;
import io.github.mqtt2tdengine.spi.TransportContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class FlowControlTest {

    /** Records pause/resume calls; the last one tells whether the transport is reading. */
    private static final class RecordingTransport implements Transport {
        final List<String> calls = new ArrayList<>();
        volatile boolean reading = true;

        @Override
        public void start(TransportContext context) {
        }

        @Override
        public synchronized void pause() {
            calls.add("pause");
            reading = false;
        }

        @Override
        public synchronized void resume() {
            calls.add("resume");
            reading = true;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void pausesAtTheBound_andResumesAtHalf() {
        RecordingTransport t = new RecordingTransport();
        FlowControl fc = new FlowControl("p", t, 4);
        for (int i = 0; i < 3; i++) {
            fc.enter();
        }
        assertThat(fc.isPaused()).isFalse();
        fc.enter();
        assertThat(fc.isPaused()).isTrue();
        assertThat(t.calls).containsExactly("pause");
        fc.enter(); // a socket read under way
        fc.leave();
        fc.leave();
        assertThat(fc.isPaused()).as("3 in flight, resumes at 2").isTrue();
        fc.leave();
        assertThat(fc.isPaused()).isFalse();
        assertThat(t.calls).containsExactly("pause", "resume");
        assertThat(t.reading).isTrue();
    }

    @Test
    void draining_keepsTheTransportPaused() {
        RecordingTransport t = new RecordingTransport();
        FlowControl fc = new FlowControl("p", t, 2);
        fc.enter();
        fc.startDraining();
        assertThat(fc.isPaused()).isTrue();
        fc.leave();
        assertThat(fc.isPaused()).isTrue();
        assertThat(t.calls).containsExactly("pause");
        fc.awaitDrained(System.nanoTime(), () -> false);
        assertThat(fc.inFlight()).isZero();
    }

    /**
     * The message that reaches the bound (transport thread) and the acknowledgement of the last message in flight
     * (writer thread) race: whatever the interleaving, once both are done with nothing in flight the transport must be
     * reading, or no message would ever come to resume it. Many rounds with the two threads released together; a lost
     * wake-up shows as a round that ends paused with nothing in flight.
     */
    /** Spins until the value is reached, yielding now and then so that a busy machine still runs the other thread. */
    private static void awaitValue(AtomicInteger value, int expected) {
        for (int spins = 1; value.get() != expected; spins++) {
            if ((spins & 127) == 0) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
    }

    @Test
    @Timeout(120)
    void boundReachedWhileTheLastMessageIsAcknowledged_neverLeavesTheTransportPausedWithNothingInFlight()
            throws Exception {
        int rounds = 200_000;
        AtomicInteger go = new AtomicInteger(-1);
        AtomicInteger done = new AtomicInteger(-1);
        FlowControl[] current = new FlowControl[1];
        Thread writer = new Thread(() -> {
            for (int r = 0; r < rounds; r++) {
                awaitValue(go, r);
                current[0].leave();
                done.set(r);
            }
        }, "flow-control-test-writer");
        writer.setDaemon(true);
        writer.start();
        int stalled = 0;
        for (int r = 0; r < rounds; r++) {
            RecordingTransport t = new RecordingTransport();
            FlowControl fc = new FlowControl("p", t, 1);
            current[0] = fc;
            go.set(r);
            fc.enter();
            awaitValue(done, r);
            if (fc.inFlight() == 0 && (fc.isPaused() || !t.reading)) {
                stalled++;
            }
        }
        writer.join(60_000);
        assertThat(writer.isAlive()).isFalse();
        assertThat(stalled).as("rounds that ended paused with nothing in flight").isZero();
    }
}
