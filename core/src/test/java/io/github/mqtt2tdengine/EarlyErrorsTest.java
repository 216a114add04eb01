package io.github.mqtt2tdengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.CapturedLog;
import io.github.mqtt2tdengine.spi.FakeTransport;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Mistakes a host makes in its first hour fail at build(), or are counted and logged once at run time. */
class EarlyErrorsTest {
    private static SyncPipeline.Builder pipeline(FakeTransport transport, PayloadSpec spec) {
        return SyncPipeline.builder().name("early").source(transport).sink(new FakeSink()).payload(spec)
                .superTable("meters").subTableTemplate("d{device}").batching(100, Duration.ofMillis(20));
    }

    private static PayloadSpec levelSpec(int level) {
        return PayloadSpec.json().column("v", "$.v", ColumnType.DOUBLE).tagFromTopicLevel("device", level).build();
    }

    @Test
    void build_topicLevelDeeperThanEverySubscribedFilter_throwsNamingFieldLevelAndFilters() {
        assertThatThrownBy(() -> pipeline(new FakeTransport().topicFilters("plant/+/meters"), levelSpec(5)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Pipeline 'early': field 'device' reads topic level 5, but the subscribed topic filters "
                        + "[plant/+/meters] only take topics with levels 0..2; levels count from 0 (in "
                        + "plant/+/meters, level 1 is the '+')");
    }

    @Test
    void build_topicLevelWithinAFilterOrUnderHash_passes() {
        assertThat(pipeline(new FakeTransport().topicFilters("plant/+/meters"), levelSpec(2)).build().tables())
                .hasSize(1);
        assertThat(pipeline(new FakeTransport().topicFilters("a/b", "plant/#"), levelSpec(5)).build().tables())
                .hasSize(1);
        assertThat(pipeline(new FakeTransport().topicFilters("$share/g/plant/+/x/y"), levelSpec(3)).build()
                .tables()).hasSize(1);
        assertThat(pipeline(new FakeTransport(), levelSpec(9)).build().tables()).as("filters unknown: no check")
                .hasSize(1);
    }

    @Test
    void build_routeFilterBoundsTheLevelsToo() {
        FakeTransport t = new FakeTransport().topicFilters("plant/#");
        assertThatThrownBy(() -> SyncPipeline.builder().name("early").source(t).sink(new FakeSink())
                .route("plant/+/alarms", levelSpec(4)).superTable("alarms").subTableTemplate("a{device}").build())
                .hasMessageContaining("field 'device' reads topic level 4, but the subscribed topic filters "
                        + "[plant/#] (route 'plant/+/alarms') only take topics with levels 0..2");
    }

    @Test
    void run_pathThatNeverMatches_isCountedPerFieldAndWarnedOnce() {
        FakeTransport transport = new FakeTransport();
        PayloadSpec spec = PayloadSpec.json().column("current", "$.metrics.current", ColumnType.DOUBLE)
                .column("voltage", "$.voltage", ColumnType.INT).tag("device", "$.id", ColumnType.varchar(16))
                .build();
        SyncPipeline p = pipeline(transport, spec).build();
        CapturedLog captured = CapturedLog.start(false);
        try {
            p.start();
            for (int i = 0; i < 250; i++) {
                // the payload has "current" at the top level, not under "metrics": the path never matches
                transport.publish("plant/m1/meters", "{\"id\":\"m1\",\"current\":1.5,\"voltage\":230}");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> p.metrics().acked() == 250);
        } finally {
            p.close();
            captured.close();
        }
        assertThat(p.metrics().fieldsNotFound()).containsExactly(java.util.Map.entry("current", 250L));
        String log = captured.text();
        assertThat(log).contains("Pipeline 'early': field 'current' (JSONPath '$.metrics.current') matched nothing "
                + "in the last 100 messages, so every value is NULL; check the path against a real payload with "
                + "SyncPipeline.preview(topic, payload)");
        assertThat(log.split("matched nothing", -1)).as("logged once").hasSize(2);
    }
}
