package io.github.mqtt2tdengine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.FakeTransport;
import org.junit.jupiter.api.Test;

/** What a transport reports besides messages: redeliveries and lost sessions reach the metrics. */
class TransportEventsTest {

    @Test
    void redeliveriesAndLostSessions_areCounted() {
        FakeTransport transport = new FakeTransport();
        SyncPipeline p = SyncPipeline.builder().name("events").source(transport).sink(new FakeSink())
                .payload(PayloadSpec.json().tag("id", "$.id", ColumnType.INT).column("v", "$.v", ColumnType.DOUBLE)
                        .build())
                .superTable("m").subTableTemplate("d{id}").build();
        p.start();
        try {
            assertThat(p.metrics().redelivered()).isZero();
            assertThat(p.metrics().sessionsLost()).isZero();
            transport.handler().onRedelivered("plant/a", 1);
            transport.handler().onRedelivered("plant/b", 1);
            transport.handler().onSessionLost("127.0.0.1:1883, client 'c'");
            assertThat(p.metrics().redelivered()).isEqualTo(2);
            assertThat(p.metrics().sessionsLost()).isEqualTo(1);
        } finally {
            p.close();
        }
    }
}
