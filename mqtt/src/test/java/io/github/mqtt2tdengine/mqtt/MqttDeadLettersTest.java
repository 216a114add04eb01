package io.github.mqtt2tdengine.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.mqtt.testing.Publisher;
import io.github.mqtt2tdengine.spi.FakeSink;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The MQTT dead-letter destination's builder and the replay option of the transport's, without a broker. */
class MqttDeadLettersTest {
    private static MqttTransport source(String... filters) {
        MqttTransport.Builder b = MqttTransport.builder().endpoint("127.0.0.1:1883").clientId("plant-a")
                .credentials("ingest", "s3cret!pw");
        for (String f : filters) {
            b.subscribe(f);
        }
        return b.build();
    }

    @Test
    void build_defaults_connectionOfItsOwn_keeperPerPipeline_passwordHidden() {
        MqttDeadLetters d = MqttDeadLetters.builder().connection(source("plant/+/meters")).build();
        assertThat(d.prefix()).isEqualTo("mqtt2td/dead-letters");
        assertThat(d.topic("plant/m7/meters")).isEqualTo("mqtt2td/dead-letters/plant/m7/meters");
        assertThat(d.keeperClientId("plant-a")).contains("mqtt2td-dead-letters-plant-a");
        assertThat(MqttDeadLetters.defaultKeeperClientId("x")).isEqualTo("mqtt2td-dead-letters-x");
        assertThat(d.destination()).isEqualTo("mqtt");
        assertThat(d.toString()).isEqualTo("MqttDeadLetters{127.0.0.1:1883, MQTT 5.0, clientId=plant-a-dl, "
                + "prefix=mqtt2td/dead-letters, keeper=mqtt2td-dead-letters-<pipeline>, publishTimeout=PT10S, "
                + "credentials=ingest/****, tls=false}");
        assertThat(d.toString()).doesNotContain("s3cret");
    }

    @Test
    void build_options_areTaken() {
        MqttDeadLetters d = MqttDeadLetters.builder().connection(source("plant/#")).clientId("dl-1").prefix("dlq/a")
                .keeper("keeper-1").publishTimeout(Duration.ofSeconds(3)).build();
        assertThat(d.topic("plant/x")).isEqualTo("dlq/a/plant/x");
        assertThat(d.keeperClientId("any")).contains("keeper-1");
        assertThat(d.toString()).contains("clientId=dl-1, prefix=dlq/a, keeper=keeper-1, publishTimeout=PT3S");
        MqttDeadLetters none = MqttDeadLetters.builder().connection(source("plant/#")).keeper(null).build();
        assertThat(none.keeperClientId("any")).isEmpty();
        assertThat(none.toString()).contains("keeper=none");
        assertThat(MqttDeadLetters.builder().connection(source("plant/#")).noKeeper().keeper("k").build()
                .keeperClientId("p")).contains("k");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''              | it is empty",
        "a/+/b           | it contains a wildcard ('+' or '#')",
        "a/#             | it contains a wildcard ('+' or '#')",
        "$SYS/dl         | topics starting with '$' are the broker's",
        "/dl             | it has an empty level (a leading, trailing or double '/')",
        "dl/             | it has an empty level (a leading, trailing or double '/')",
        "a//b            | it has an empty level (a leading, trailing or double '/')",
    })
    void prefix_bad_namesTheRule(String prefix, String why) {
        assertThatThrownBy(() -> MqttDeadLetters.builder().prefix(prefix)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prefix '" + prefix + "' is not valid: " + why + "; write topic levels such as "
                        + "mqtt2td/dead-letters");
        assertThatThrownBy(() -> MqttTransport.builder().deadLetterReplay(prefix))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("deadLetterReplay prefix '" + prefix + "' is not valid: " + why);
    }

    @Test
    void setters_badArguments_throwAtOnce() {
        assertThatThrownBy(() -> MqttDeadLetters.builder().publishTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("publishTimeout must be greater than 0, but was PT0S");
        assertThatThrownBy(() -> MqttDeadLetters.builder().keeper("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keeper client id must not be empty; keeper(null) turns it off");
        assertThatThrownBy(() -> MqttDeadLetters.builder().clientId(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("clientId must not be null");
        assertThatThrownBy(() -> MqttDeadLetters.builder().connection(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("connection must not be null");
    }

    @Test
    void build_withoutConnection_throwsIllegalStateException() {
        assertThatThrownBy(() -> MqttDeadLetters.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessage("connection must be set: MqttDeadLetters.builder().connection(source)");
    }

    @ParameterizedTest
    @CsvSource({"#", "+/#", "mqtt2td/#", "mqtt2td/+/x", "mqtt2td/dead-letters/#", "$share/g/mqtt2td/#"})
    void build_sourceTakesItsOwnDeadLetters_isRefused(String filter) {
        assertThatThrownBy(() -> MqttDeadLetters.builder().connection(source(filter)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the source subscribes to '" + filter + "', which takes the dead letters published to "
                        + "'mqtt2td/dead-letters/...': each would come back to the pipeline and be dead-lettered again; "
                        + "set another prefix(..) for this pipeline's dead letters");
    }

    @ParameterizedTest
    @CsvSource({"mqtt2td", "mqtt2td/dead-letters", "mqtt2td/other/#", "plant/#", "+/x"})
    void build_sourceNotTakingTheDeadLetters_isAccepted(String filter) {
        assertThat(MqttDeadLetters.builder().connection(source(filter)).build().prefix())
                .isEqualTo("mqtt2td/dead-letters");
    }

    @Test
    void build_mqtt31_needsShortClientIds() {
        MqttTransport v31 = MqttTransport.builder().endpoint("127.0.0.1:1883").protocolVersion("3.1")
                .clientId("abcdefghijklmnopqrstu").subscribe("a/#").build();
        assertThatThrownBy(() -> MqttDeadLetters.builder().connection(v31).noKeeper().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("clientId 'abcdefghijklmnopqrstu-dl' is 24 characters; MQTT 3.1 allows at most 23: set "
                        + "clientId(..) of the dead-letter destination");
        assertThatThrownBy(() -> MqttDeadLetters.builder().connection(v31).clientId("dl").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("MQTT 3.1 allows client ids of at most 23 characters, so the keeper's default "
                        + "'mqtt2td-dead-letters-<pipeline>' does not fit: set keeper(\"<id>\") of at most 23, or "
                        + "noKeeper()");
        assertThat(MqttDeadLetters.builder().connection(v31).clientId("dl").keeper("keeper-a").build().toString())
                .contains("MQTT 3.1, clientId=dl");
    }

    @Test
    void deadLetterReplay_subscribesUnderThePrefix_reportsTheOriginalFilters() {
        MqttTransport all = MqttTransport.builder().deadLetterReplay("mqtt2td/dead-letters").build();
        assertThat(all.topicFilters()).containsExactly("#");
        assertThat(all.toString()).contains("topics=[mqtt2td/dead-letters/#::1]")
                .contains("deadLetterReplay=mqtt2td/dead-letters");
        MqttTransport part = MqttTransport.builder().subscribe("live/#").deadLetterReplay("dl", "plant/+/meters")
                .build();
        assertThat(part.topicFilters()).containsExactly("live/#", "plant/+/meters");
        assertThatThrownBy(() -> MqttTransport.builder().deadLetterReplay("a").deadLetterReplay("b").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("deadLetterReplay is set with the prefixes [a, b]; one transport replays one prefix");
        assertThatThrownBy(() -> MqttTransport.builder().deadLetterReplay("a", "$share/g/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("originalFilter '$share/g/x' must be a filter of original topics, without $share/");
    }

    @Test
    void deadLetterReplay_pipelineBuilderChecksTopicLevelsAgainstTheOriginalFilter() {
        SyncPipeline.Builder b = SyncPipeline.builder().name("replay").sink(new FakeSink()).superTable("meters")
                .subTableTemplate("d{id}");
        b.source(MqttTransport.builder().deadLetterReplay("dl", "plant/+/meters").build())
                .payload(Publisher.spec().toBuilder().tagFromTopicLevel("site", 1).build()).build().close();
        assertThatThrownBy(() -> b.payload(Publisher.spec().toBuilder().tagFromTopicLevel("site", 3).build()).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("field 'site' reads topic level 3, but the subscribed topic filters "
                        + "[plant/+/meters] only take topics with levels 0..2");
        b.source(MqttTransport.builder().deadLetterReplay("dl").build()).build().close();
    }
}
