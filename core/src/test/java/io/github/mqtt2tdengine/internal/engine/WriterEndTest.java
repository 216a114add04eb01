package io.github.mqtt2tdengine.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.BadMessagePolicy;
import io.github.mqtt2tdengine.DeadLetter;
import io.github.mqtt2tdengine.DeadLetterHandler;
import io.github.mqtt2tdengine.errors.PayloadException;
import io.github.mqtt2tdengine.internal.payload.Router;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.FakeTransport;
import io.github.mqtt2tdengine.spi.InboundMessage;
import io.github.mqtt2tdengine.spi.Row;
import io.github.mqtt2tdengine.spi.SchemaColumn;
import io.github.mqtt2tdengine.spi.TableSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * When a writer ends during a close: not while a transport thread that read the phase before it refused messages is
 * still inside intake, about to hand this writer an item (found in review of issue #26: such an item was offered to a
 * writer that had already ended, and its message was never written, acknowledged or dead-lettered).
 */
class WriterEndTest {
    private static final TableSchema SCHEMA = new TableSchema("m",
            List.of(new SchemaColumn("ts", ColumnType.TIMESTAMP), new SchemaColumn("v", ColumnType.DOUBLE)),
            List.of(new SchemaColumn("id", ColumnType.INT)));

    private final List<InFlightMessage> completed = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final AtomicBoolean intakeQuiet = new AtomicBoolean();
    private final FakeSink sink = new FakeSink();

    private final WriterCallbacks callbacks = new WriterCallbacks() {
        @Override
        public Phase phase() {
            return Phase.STOPPING; // the close stopped intake: the writer writes what it gets, then ends
        }

        @Override
        public boolean intakeQuiet() {
            return intakeQuiet.get();
        }

        @Override
        public int inFlight() {
            return 0;
        }

        @Override
        public int inFlightAtLastArrival() {
            return 0;
        }

        @Override
        public boolean transportPaused() {
            return false;
        }

        @Override
        public void fail(Throwable cause) {
            failures.add(cause);
        }

        @Override
        public DeadLetter completed(InFlightMessage message) {
            completed.add(message);
            return null;
        }

        @Override
        public DeadLetter unmappable(InFlightMessage message, PayloadException error) {
            failures.add(error);
            return null;
        }

        @Override
        public void deadLetterStored(InFlightMessage message, DeadLetter deadLetter) {
            failures.add(new AssertionError("no dead letter expected"));
        }

        @Override
        public void sinkCallStarted() {
        }

        @Override
        public TimePrecision precision() {
            return TimePrecision.MILLISECONDS;
        }
    };

    private Writer writer() {
        PipelineSettings settings = PipelineSettings.builder().name("end").transport(new FakeTransport()).sink(sink)
                .router(new Router("end", List.of())).batchMaxRows(10).batchGrowth(1)
                .batchMaxAge(Duration.ofMillis(50)).batchIdle(Duration.ofMillis(10)).maxInFlight(100).writers(1)
                .retryInitialBackoff(Duration.ofMillis(5)).retryMaxBackoff(Duration.ofMillis(10)).maxRetries(1)
                .shutdownTimeout(Duration.ofSeconds(5)).stallWarning(Duration.ofSeconds(5))
                .deadLetterHandlers(List.of(DeadLetterHandler.logging())).badMessagePolicy(BadMessagePolicy.DEAD_LETTER)
                .build();
        return new Writer(settings, 0, 10, callbacks, new EngineMetrics(List.of()), new DeliveryWindow("end", 10, 1),
                new DeadLetterDestinations("end", List.of(DeadLetterHandler.logging())));
    }

    private static InboundMessage message() {
        return new InboundMessage() {
            @Override
            public String topic() {
                return "t";
            }

            @Override
            public byte[] payload() {
                return new byte[0];
            }

            @Override
            public int qos() {
                return 1;
            }

            @Override
            public Instant receivedAt() {
                return Instant.now();
            }

            @Override
            public void acknowledge() {
            }
        };
    }

    @Test
    void aWriter_outlivesATransportThreadStillInsideIntake_andWritesWhatItHandsOver() throws Exception {
        Writer w = writer();
        Thread t = new Thread(w, "mqtt2td-end-writer-0");
        t.start();
        // a transport thread admitted a message before the phase refused messages and is still mapping it
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(t::isAlive);
        InFlightMessage m = new InFlightMessage(message(), 1, false);
        w.offer(WorkItem.rows(m, List.of(Row.of(SCHEMA, "d1", new Object[] {1L, 2.5}, new Object[] {1L})),
                WorkItem.Collisions.NONE));
        intakeQuiet.set(true); // it handed the item over and left intake
        t.join(Duration.ofSeconds(10).toMillis());
        assertThat(t.isAlive()).as("the writer ends once intake is quiet and its queue is empty").isFalse();
        assertThat(completed).containsExactly(m);
        assertThat(sink.rows()).hasSize(1);
        assertThat(failures).isEmpty();
    }
}
