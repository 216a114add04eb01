package io.github.mqtt2tdengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.FakeTransport;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SyncPipelineBuilderTest {
    private static final PayloadSpec SPEC = PayloadSpec.json().tag("id", "$.id", ColumnType.INT).build();

    private static SyncPipeline.Builder complete() {
        return SyncPipeline.builder().source(new FakeTransport()).sink(new FakeSink()).payload(SPEC)
                .superTable("meters").subTableTemplate("d{id}");
    }

    @Test
    void build_withoutSourceOrSinkOrPayload_throwsIllegalStateException() {
        assertThatThrownBy(() -> SyncPipeline.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessage("source must be set");
        assertThatThrownBy(() -> SyncPipeline.builder().source(new FakeTransport()).build())
                .hasMessage("sink must be set");
        assertThatThrownBy(() -> SyncPipeline.builder().source(new FakeTransport()).sink(new FakeSink()).build())
                .hasMessage("payload must be set (or at least one route)");
    }

    @Test
    void build_withoutSuperTableOrTemplate_throws() {
        assertThatThrownBy(() -> SyncPipeline.builder().source(new FakeTransport()).sink(new FakeSink())
                .payload(SPEC).subTableTemplate("d{id}").build())
                .hasMessage("superTable must be set (on the pipeline or the mapping of '#')");
        assertThatThrownBy(() -> SyncPipeline.builder().source(new FakeTransport()).sink(new FakeSink())
                .payload(SPEC).superTable("m").build())
                .hasMessage("subTableTemplate must be set (on the pipeline or the mapping of '#')");
        assertThatThrownBy(() -> complete().subTableTemplate("d{device}").build())
                .hasMessage("subTableTemplate references unknown field 'device'; known fields: [id]");
    }

    @Test
    void build_routesDisagreeingOnOneSuperTable_throws() {
        PayloadSpec other = PayloadSpec.json().tag("id", "$.id", ColumnType.BIGINT).build();
        assertThatThrownBy(() -> complete().route("a/#", other).build())
                .hasMessage("mappings for super table 'meters' disagree on its schema: meters ([ts TIMESTAMP]) TAGS "
                        + "([id BIGINT]) vs meters ([ts TIMESTAMP]) TAGS ([id INT])");
    }

    @Test
    void setters_checkArgumentsAtOnce() {
        SyncPipeline.Builder b = SyncPipeline.builder();
        assertThatThrownBy(() -> b.batching(0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batch size must be greater than 0, but was 0");
        assertThatThrownBy(() -> b.batching(1, Duration.ZERO))
                .hasMessage("batch max age must be greater than 0, but was PT0S");
        assertThatThrownBy(() -> b.maxInFlight(0)).hasMessage("max in flight must be greater than 0, but was 0");
        assertThatThrownBy(() -> b.writers(65)).hasMessage("writers must be between 1 and 64, but was 65");
        assertThatThrownBy(() -> b.retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessage("max backoff must be at least the initial backoff PT2S, but was PT1S");
        assertThatThrownBy(() -> b.maxRetries(-1)).hasMessage("max retries must be 0 or more, but was -1; "
                + "retryForever() retries without limit");
        assertThatThrownBy(() -> b.route("a/#/b", SPEC))
                .hasMessage("topic filter 'a/#/b' is not valid: '#' must be a whole level and the last one");
        assertThatThrownBy(() -> b.name(" ")).hasMessage("name must not be blank");
        assertThatThrownBy(() -> b.stallWarning(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stallWarning must be greater than 0, but was PT0S");
        assertThatThrownBy(() -> b.stallWarning(Duration.ofMillis(-1)))
                .hasMessage("stallWarning must be greater than 0, but was PT-0.001S");
        assertThatThrownBy(() -> b.stallWarning(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("stallWarning must not be null");
        assertThatThrownBy(() -> b.source(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("source must not be null");
    }

    @Test
    void builder_isReusable() {
        SyncPipeline.Builder b = complete();
        SyncPipeline one = b.name("one").build();
        SyncPipeline two = b.name("two").build();
        assertThat(one.name()).isEqualTo("one");
        assertThat(two.name()).isEqualTo("two");
        assertThat(one.state()).isEqualTo(PipelineState.NEW);
        one.close();
        assertThat(one.state()).isEqualTo(PipelineState.CLOSED);
    }
}
