package io.github.mqtt2tdengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.FakeTransport;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Host code written against 0.1 catches the library's exceptions by their 0.1 names (deprecated subclasses in the root
 * package since the exceptions moved to {@code errors}), and code written against 0.2 by the new ones: a failure of
 * {@code start()} and the cause handed to {@code onFailed} are both. The 0.1 base {@code PipelineException} is the
 * one name that no longer catches its subclasses (a class has one superclass), which docs/migrating-from-0.1.md says.
 */
@SuppressWarnings("removal") // the 0.1 names, on purpose
class LegacyExceptionNamesTest {

    private static SyncPipeline.Builder pipeline(FakeTransport transport, FakeSink sink, PipelineListener listener) {
        return SyncPipeline.builder().name("legacy").source(transport).sink(sink)
                .payload(PayloadSpec.json().column("v", "$.v", ColumnType.DOUBLE).tag("id", "$.id", ColumnType.INT)
                        .build())
                .superTable("m").subTableTemplate("d{id}").batching(1, Duration.ofMillis(5)).listener(listener);
    }

    @Test
    void startFailure_isCaughtByThe01Name_andByTheNewOne_withMessageAndCause() {
        IllegalStateException root = new IllegalStateException("broker says no");
        FakeTransport transport = new FakeTransport()
                .failOnStart(new io.github.mqtt2tdengine.errors.TransportException("cannot connect", root));
        SyncPipeline p = pipeline(transport, new FakeSink(), new PipelineListener() { }).build();
        Throwable t = catchThrowable(p::start);
        p.close();
        assertThat(t).isInstanceOf(io.github.mqtt2tdengine.TransportException.class) // a 0.1 host's catch
                .isNotInstanceOf(io.github.mqtt2tdengine.PipelineException.class) // the limit: see the migration page
                .isInstanceOf(io.github.mqtt2tdengine.errors.TransportException.class) // a 0.2 host's catch
                .hasMessage("cannot connect").hasCause(root);
    }

    @Test
    void failureHandedToTheListener_isBothNames_forEachMovedClass() {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        FakeTransport transport = new FakeTransport();
        FakeSink sink = new FakeSink().failFatal(new io.github.mqtt2tdengine.errors.SinkException("disk full"));
        SyncPipeline p = pipeline(transport, sink, new PipelineListener() {
            @Override
            public void onFailed(Throwable cause) {
                failure.set(cause);
            }
        }).build();
        p.start();
        transport.publish("t", "{\"id\":1,\"v\":2.5}");
        await().atMost(Duration.ofSeconds(10)).until(() -> failure.get() != null);
        p.close();
        assertThat(failure.get()).isInstanceOf(io.github.mqtt2tdengine.SinkException.class)
                .isInstanceOf(io.github.mqtt2tdengine.errors.SinkException.class).hasMessageContaining("disk full");
    }

    @Test
    void aHostsOwnSubclass_andTheOtherExceptions_areHandedOverAsThey() {
        RuntimeException custom = new io.github.mqtt2tdengine.errors.SinkException("x") { };
        FakeTransport transport = new FakeTransport().failOnStart(custom);
        SyncPipeline p = pipeline(transport, new FakeSink(), new PipelineListener() { }).build();
        Throwable t = catchThrowable(p::start);
        p.close();
        assertThat(t).isSameAs(custom);
    }
}
