package io.github.mqtt2tdengine.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.PipelineMetrics;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import io.github.mqtt2tdengine.spi.ConnectionState;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.FakeTransport;
import io.github.mqtt2tdengine.spi.FakeTransport.FakeMessage;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PipelineMetricsBinderTest {
    /** Which meter publishes each component of PipelineMetrics; a new component fails the test until it has one. */
    private static final Map<String, String> METER_OF = Map.ofEntries(
            Map.entry("state", "mqtt2td_state"), Map.entry("received", "mqtt2td_messages_received_total"),
            Map.entry("rowsMapped", "mqtt2td_rows_mapped_total"),
            Map.entry("rowsFiltered", "mqtt2td_rows_filtered_total"),
            Map.entry("rowsWritten", "mqtt2td_rows_written_total"), Map.entry("batches", "mqtt2td_batches_written_total"),
            Map.entry("retries", "mqtt2td_sink_retries_total"),
            Map.entry("stalledWrites", "mqtt2td_sink_stalled_writes_total"),
            Map.entry("writeStalledMillis", "mqtt2td_sink_write_stalled_seconds"),
            Map.entry("deadLetters", "mqtt2td_dead_letters_total"),
            Map.entry("deadLettersByReason", "mqtt2td_dead_letters_total"),
            Map.entry("acked", "mqtt2td_messages_acked_total"), Map.entry("inFlight", "mqtt2td_messages_in_flight"),
            Map.entry("peakInFlight", "mqtt2td_messages_in_flight_peak"),
            Map.entry("timestampCollisions", "mqtt2td_timestamp_collisions_total"),
            Map.entry("ignoredWhileClosing", "mqtt2td_messages_ignored_closing_total"),
            Map.entry("droppedByTransport", "mqtt2td_messages_dropped_total"),
            Map.entry("connectionState", "mqtt2td_transport_connected"),
            Map.entry("lastError", "mqtt2td_healthy"), // a text: in /health and the health indicator, not a meter
            Map.entry("fieldsNotFound", "mqtt2td_rows_mapped_total"), // per field name: logged, left out of meters
            Map.entry("commitLatency", "mqtt2td_commit_latency_seconds_count"),
            Map.entry("dataLag", "mqtt2td_data_lag_recent_seconds"),
            Map.entry("oldestUnacked", "mqtt2td_oldest_unacked_seconds"),
            Map.entry("reconnects", "mqtt2td_transport_reconnects_total"), Map.entry("paused", "mqtt2td_paused"),
            Map.entry("messagesByRoute", "mqtt2td_messages_route_total"),
            Map.entry("redelivered", "mqtt2td_messages_redelivered_total"),
            Map.entry("sessionsLost", "mqtt2td_transport_sessions_lost_total"),
            Map.entry("deadLetterDestinations", "mqtt2td_dead_letters_stored_total"));

    private final FakeTransport transport = new FakeTransport().topicFilters("plant/#", "lab/#");
    private final FakeSink sink = new FakeSink();
    private SyncPipeline pipeline;

    @AfterEach
    void tearDown() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void prometheusText_carriesEveryFigure_taggedWithThePipeline() {
        PayloadSpec spec = PayloadSpec.json().timestamp("ts", "$.ts", TimestampUnit.MILLISECONDS).withoutReceiveTime()
                .tag("id", "$.id", ColumnType.INT).column("v", "$.v", ColumnType.DOUBLE).build();
        pipeline = SyncPipeline.builder().name("plant-a").source(transport).sink(sink).route("plant/#", spec)
                .route("lab/#", spec).superTable("meters").subTableTemplate("d{id}").deadLetterHandler(d -> { })
                .build();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new PipelineMetricsBinder(pipeline, Tags.of("site", "north")).bindTo(registry);
        pipeline.start();
        transport.handler().onConnectionStateChanged(ConnectionState.CONNECTED, "test");
        List<FakeMessage> sent = new ArrayList<>();
        long ts = System.currentTimeMillis() - 2_000;
        for (int i = 0; i < 5; i++) {
            sent.add(transport.publish("plant/" + i, "{\"ts\":" + ts + ",\"id\":" + i + ",\"v\":1}"));
        }
        sent.add(transport.publish("plant/x", "not json"));
        await().until(() -> sent.stream().allMatch(FakeMessage::acked));
        await().until(() -> registry.scrape().contains("mqtt2td_rows_written_total{pipeline=\"plant-a\",site=\"north\"} 5.0"));

        String text = registry.scrape();
        String t = "pipeline=\"plant-a\",site=\"north\"";
        assertThat(text)
                .contains("mqtt2td_messages_received_total{" + t + "} 6.0")
                .contains("mqtt2td_messages_acked_total{" + t + "} 6.0")
                .contains("mqtt2td_dead_letters_total{pipeline=\"plant-a\",reason=\"invalid_payload\",site=\"north\"} 1.0")
                .contains("mqtt2td_dead_letters_total{pipeline=\"plant-a\",reason=\"sink_rejected\",site=\"north\"} 0.0")
                .contains("mqtt2td_messages_route_total{pipeline=\"plant-a\",route=\"plant/#\",site=\"north\"} 5.0")
                .contains("mqtt2td_messages_route_total{pipeline=\"plant-a\",route=\"lab/#\",site=\"north\"} 0.0")
                .contains("mqtt2td_commit_latency_seconds_count{" + t + "} 5")
                .contains("mqtt2td_data_lag_seconds_count{" + t + "} 5")
                .contains("mqtt2td_state{pipeline=\"plant-a\",site=\"north\",state=\"running\"} 1.0")
                .contains("mqtt2td_state{pipeline=\"plant-a\",site=\"north\",state=\"failed\"} 0.0")
                .contains("mqtt2td_transport_connected{" + t + "} 1.0")
                .contains("mqtt2td_healthy{" + t + "} 1.0")
                .contains("mqtt2td_paused{" + t + "} 0.0")
                .contains("mqtt2td_oldest_unacked_seconds{" + t + "} 0.0")
                .contains("# HELP mqtt2td_data_lag_recent_seconds")
                .contains("mqtt2td_dead_letters_stored_total{destination=\"custom\",pipeline=\"plant-a\",site=\"north\"} 1.0")
                .contains("mqtt2td_dead_letters_store_failures_total{destination=\"custom\",pipeline=\"plant-a\",site=\"north\"} 0.0")
                .contains("mqtt2td_dead_letters_pending{destination=\"custom\",pipeline=\"plant-a\",site=\"north\"} 0.0")
                .contains("mqtt2td_dead_letters_destination_failing{destination=\"custom\",pipeline=\"plant-a\",site=\"north\"} 0.0");
        double lagMax = value(text, "mqtt2td_data_lag_recent_seconds{pipeline=\"plant-a\",quantile=\"1\",site=\"north\"}");
        assertThat(lagMax).isBetween(2.0, 2.0 * 1.125 + 5); // 2 s old when committed, bucket error, a slow host

        Set<String> names = registry.getMeters().stream().map(Meter::getId).map(id -> id.getName())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(names).allMatch(n -> n.startsWith(PipelineMetricsBinder.PREFIX));
        for (RecordComponent c : PipelineMetrics.class.getRecordComponents()) {
            assertThat(METER_OF).as("a meter for PipelineMetrics.%s", c.getName()).containsKey(c.getName());
            assertThat(text).as("meter of %s", c.getName()).contains(METER_OF.get(c.getName()));
        }
        // no topic or sub-table in any tag: the tag keys are these
        Set<String> tagKeys = registry.getMeters().stream().flatMap(m -> m.getId().getTags().stream())
                .map(tag -> tag.getKey()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(tagKeys).containsExactlyInAnyOrderElementsOf(
                Arrays.asList("pipeline", "site", "reason", "route", "state", "quantile", "destination"));
    }

    private static double value(String text, String series) {
        return text.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(
                l.substring(series.length() + 1).trim())).findFirst().orElseThrow();
    }

    @Test
    void readmeAlertRules_nameOnlyMetersTheBinderPublishes() throws Exception {
        String readme = Files.readString(Path.of("..", "docs", "monitoring.md"));
        int start = readme.indexOf("```yaml\ngroups:\n  - name: mqtt2tdengine");
        assertThat(start).as("the alert rules of docs/monitoring.md").isNotNegative();
        String rules = readme.substring(start, readme.indexOf("```", start + 7));
        pipeline = SyncPipeline.builder().name("p").source(transport).sink(sink)
                .payload(PayloadSpec.json().tag("id", "$.id", ColumnType.INT).build()).superTable("m")
                .subTableTemplate("d{id}").build();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new PipelineMetricsBinder(pipeline).bindTo(registry);
        Set<String> published = registry.scrape().lines().filter(l -> !l.startsWith("#"))
                .map(l -> l.replaceAll("[{ ].*", "")).collect(Collectors.toSet());
        Matcher m = Pattern.compile("mqtt2td_[a-z_]+").matcher(rules);
        int names = 0;
        while (m.find()) {
            assertThat(published).as("README rule meter " + m.group()).contains(m.group());
            names++;
        }
        assertThat(names).isGreaterThanOrEqualTo(5);
        assertThat(rules).contains("quantile=\"0.99\"", "reason");
    }
}
