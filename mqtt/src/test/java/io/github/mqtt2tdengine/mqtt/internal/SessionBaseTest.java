package io.github.mqtt2tdengine.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.mqtt.MqttProtocolVersion;
import io.github.mqtt2tdengine.spi.InboundMessage;
import io.github.mqtt2tdengine.spi.TransportContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SessionBaseTest {
    private static final MqttSettings SETTINGS = new MqttSettings("127.0.0.1", 1883, MqttProtocolVersion.V5, "s",
            false, Duration.ofSeconds(60), true, Duration.ofDays(1), List.of(), null, null, null, true, null,
            Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(30), 65_535, null);

    /** A session whose reads can (or cannot) be held; counts what it was told to drop. */
    private static final class Session extends SessionBase {
        final boolean canHold;
        final AtomicInteger dropped = new AtomicInteger();
        final AtomicInteger holds = new AtomicInteger();
        volatile Runnable duringFirstHold;

        Session(boolean canHold) {
            super(SETTINGS); // the pause and the drop decision do not read the settings
            this.canHold = canHold;
            this.context = new TransportContext() {
                @Override
                public void onMessage(InboundMessage message) {
                }

                @Override
                public void onDropped(String topic, int qos, String reason) {
                    dropped.incrementAndGet();
                }
            };
        }

        @Override
        boolean holdReads(boolean hold) {
            if (hold && holds.getAndIncrement() == 0 && duringFirstHold != null) {
                duringFirstHold.run();
            }
            // the real hold sets a Netty channel's auto-read flag and may schedule a task on its event loop: a short
            // while, during which the client's thread keeps delivering
            for (int i = 0; i < 200; i++) {
                Thread.onSpinWait();
            }
            return canHold;
        }

        @Override
        public void start(TransportContext context) {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void qos0WhilePaused_isDroppedOnlyWhenReadsCannotBeHeld() {
        Session held = new Session(true);
        held.pause();
        assertThat(held.droppedWhilePaused("t", 0)).isFalse();
        Session unheld = new Session(false);
        unheld.pause();
        assertThat(unheld.droppedWhilePaused("t", 1)).as("QoS 1 is never dropped").isFalse();
        assertThat(unheld.droppedWhilePaused("t", 0)).isTrue();
        assertThat(unheld.dropped).hasValue(1);
        unheld.resume();
        assertThat(unheld.droppedWhilePaused("t", 0)).isFalse();
    }

    /**
     * A reconnect completes on the client's thread while a pipeline thread is pausing: the new connection must be held
     * too (holdIfPaused waits for the pause instead of finding it not yet begun).
     */
    @Test
    void connectionMadeWhilePausing_isHeldToo() throws Exception {
        Session s = new Session(true);
        Thread[] client = new Thread[1];
        s.duringFirstHold = () -> {
            // the pause is applying its hold to the old connection; the client connects anew and holds if paused
            client[0] = new Thread(s::holdIfPaused, "session-test-client");
            client[0].start();
            await().atMost(Duration.ofSeconds(10)).until(() -> client[0].getState() == Thread.State.BLOCKED
                    || client[0].getState() == Thread.State.TERMINATED);
        };
        s.pause();
        client[0].join(10_000);
        assertThat(s.holds).as("holds applied: the old connection's and the new one's").hasValue(2);
    }

    /**
     * The pipeline pauses and resumes from its own threads while the client's thread delivers: a session that holds
     * its reads must never drop a message, whatever it sees of a pause or resume under way.
     */
    @Test
    void pauseAndResumeFromAnotherThread_neverDropWhenReadsAreHeld() throws Exception {
        Session s = new Session(true);
        AtomicBoolean stop = new AtomicBoolean();
        Thread pipeline = new Thread(() -> {
            for (int i = 0; i < 20_000; i++) {
                s.pause();
                s.resume();
            }
            stop.set(true);
        }, "session-test-pipeline");
        pipeline.start();
        long delivered = 0;
        while (!stop.get()) {
            s.droppedWhilePaused("t", 0);
            delivered++;
        }
        pipeline.join();
        assertThat(delivered).isPositive();
        assertThat(s.dropped).as("messages dropped by a session that holds its reads").hasValue(0);
    }
}
