package io.github.mqtt2tdengine;

import io.github.mqtt2tdengine.errors.SinkException;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.spi.ConnectionState;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.FakeTransport;
import org.junit.jupiter.api.Test;

class PipelineHealthTest {

    @Test
    void healthy_onlyWhileRunningAndConnected_withTheReasonOtherwise() {
        FakeTransport transport = new FakeTransport();
        FakeSink sink = new FakeSink().failFatal(new SinkException("disk full"));
        SyncPipeline p = SyncPipeline.builder().name("h").source(transport).sink(sink)
                .payload(PayloadSpec.json().tag("id", "$.id", ColumnType.INT).column("v", "$.v", ColumnType.DOUBLE)
                        .build())
                .superTable("m").subTableTemplate("d{id}").build();
        assertThat(PipelineHealth.of(p)).extracting(PipelineHealth::healthy, PipelineHealth::reason)
                .containsExactly(false, "pipeline 'h' is not started");
        p.start();
        transport.handler().onConnectionStateChanged(ConnectionState.CONNECTED, "broker");
        assertThat(PipelineHealth.of(p)).extracting(PipelineHealth::healthy, PipelineHealth::reason)
                .containsExactly(true, "pipeline 'h' is running and connected");
        transport.handler().onConnectionStateChanged(ConnectionState.RECONNECTING, "lost");
        PipelineHealth reconnecting = PipelineHealth.of(p);
        assertThat(reconnecting.healthy()).isFalse();
        assertThat(reconnecting.reason()).isEqualTo("pipeline 'h' is reconnecting to the broker (1 reconnect(s) so far)");
        transport.handler().onConnectionStateChanged(ConnectionState.CONNECTED, "broker");
        transport.publish("t", "{\"id\":1,\"v\":1}"); // the sink fails for good
        org.awaitility.Awaitility.await().until(() -> p.state() == PipelineState.FAILED);
        PipelineHealth failed = PipelineHealth.of(p);
        assertThat(failed.healthy()).isFalse();
        assertThat(failed.state()).isEqualTo(PipelineState.FAILED);
        assertThat(failed.reason()).startsWith("pipeline 'h' failed: ").contains("disk full");
        p.close();
    }
}
