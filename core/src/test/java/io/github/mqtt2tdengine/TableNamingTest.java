package io.github.mqtt2tdengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.FakeTransport;
import io.github.mqtt2tdengine.spi.Row;
import org.junit.jupiter.api.Test;

/**
 * The one table-naming rule: a mapping takes its spec's super table and template when the spec names them, else the
 * pipeline's; a pipeline value no mapping takes fails the build.
 */
class TableNamingTest {
    private static final PayloadSpec SPEC = PayloadSpec.json().tag("id", "$.id", ColumnType.INT).build();

    private static SyncPipeline.Builder pipeline() {
        return SyncPipeline.builder().name("p").source(new FakeTransport()).sink(new FakeSink());
    }

    private static Row row(SyncPipeline p, String topic) {
        Preview preview = p.preview(topic, "{\"id\":7}");
        assertThat(preview.error()).as("error").isEmpty();
        return preview.rows().get(0);
    }

    @Test
    void build_pipelineShortcutsOnly_theSpecTakesThem() {
        Row r = row(pipeline().payload(SPEC).superTable("meters").subTableTemplate("d{id}").build(), "t");
        assertThat(r.superTable()).isEqualTo("meters");
        assertThat(r.subTable()).isEqualTo("d7");
    }

    @Test
    void build_specNamesBoth_andThePipelineNone_theSpecsApply() {
        PayloadSpec own = SPEC.toBuilder().superTable("own").subTableTemplate("o{id}").build();
        Row r = row(pipeline().payload(own).build(), "t");
        assertThat(r.superTable()).isEqualTo("own");
        assertThat(r.subTable()).isEqualTo("o7");
    }

    @Test
    void build_pipelineAndSpecNameTheSameValue_isNoConflict() {
        PayloadSpec same = SPEC.toBuilder().superTable("meters").build();
        Row r = row(pipeline().payload(same).superTable("meters").subTableTemplate("d{id}").build(), "t");
        assertThat(r.superTable()).isEqualTo("meters");
    }

    @Test
    void build_pipelineSuperTableThatEverySpecOverrides_throwsSayingHowToFix() {
        PayloadSpec own = SPEC.toBuilder().superTable("own").build();
        assertThatThrownBy(() -> pipeline().payload(own).superTable("meters").subTableTemplate("d{id}").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("superTable 'meters' set on the pipeline is taken by no mapping, because every PayloadSpec "
                        + "names its own ['#' -> 'own']; set it in one place: remove SyncPipeline.Builder.superTable"
                        + "(...), or remove PayloadSpec.Builder.superTable(...) from the specs that should take the "
                        + "pipeline's");
    }

    @Test
    void build_pipelineTemplateThatEveryRouteOverrides_throws() {
        PayloadSpec a = SPEC.toBuilder().subTableTemplate("a{id}").build();
        PayloadSpec b = SPEC.toBuilder().subTableTemplate("b{id}").build();
        assertThatThrownBy(() -> pipeline().route("a/#", a).route("b/#", b).superTable("meters")
                .subTableTemplate("d{id}").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("subTableTemplate 'd{id}' set on the pipeline is taken by no mapping, because "
                        + "every PayloadSpec names its own ['a/#' -> 'a{id}', 'b/#' -> 'b{id}']; set it in one place");
    }

    @Test
    void build_routes_pipelineValueIsTheDefaultOfTheSpecsThatNameNone() {
        PayloadSpec alarms = SPEC.toBuilder().superTable("alarms").subTableTemplate("a{id}").build();
        SyncPipeline p = pipeline().route("alarms/#", alarms).route("#", SPEC).superTable("meters")
                .subTableTemplate("d{id}").build();
        assertThat(row(p, "alarms/1").superTable()).isEqualTo("alarms");
        assertThat(row(p, "alarms/1").subTable()).isEqualTo("a7");
        assertThat(row(p, "plant/1").superTable()).isEqualTo("meters");
        assertThat(row(p, "plant/1").subTable()).isEqualTo("d7");
    }

    @Test
    void build_specNamesOnlyItsSuperTable_takesThePipelineTemplate() {
        PayloadSpec own = SPEC.toBuilder().superTable("own").build();
        Row r = row(pipeline().route("x/#", own).route("#", SPEC).superTable("meters").subTableTemplate("d{id}")
                .build(), "x/1");
        assertThat(r.superTable()).isEqualTo("own");
        assertThat(r.subTable()).isEqualTo("d7");
    }
}
