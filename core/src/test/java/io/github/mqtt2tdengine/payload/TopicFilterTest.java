package io.github.mqtt2tdengine.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicFilterTest {

    @ParameterizedTest
    @CsvSource({
        "#, a/b/c, true",
        "#, $SYS/x, false",
        "a/#, a, true",
        "a/#, a/b/c, true",
        "a/#, b/a, false",
        "a/+/c, a/b/c, true",
        "a/+/c, a//c, true",
        "a/+/c, a/b/c/d, false",
        "a/+, a/b, true",
        "a/+, a, false",
        "+/+, /x, true",
        "+, $SYS, false",
        "a/b, a/b, true",
        "a/b, a/bc, false",
        "a/b, a/b/, false",
        "$share/g/plant/+/meters, plant/m7/meters, true",
        "$SYS/#, $SYS/broker, true",
    })
    void matches_followsMqttWildcardRules(String filter, String topic, boolean expected) {
        assertThat(TopicFilter.parse(filter).matches(topic)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a/#/b   | topic filter 'a/#/b' is not valid: '#' must be a whole level and the last one",
        "a#      | topic filter 'a#' is not valid: '#' must be a whole level and the last one",
        "a/b+    | topic filter 'a/b+' is not valid: '+' must be a whole level",
        "$share/ | topic filter '$share/' is not valid: a shared subscription needs $share/<group>/<filter>",
        "$share/g/ | topic filter '$share/g/' is not valid: it is empty",
    })
    void parse_badFilter_namesIt(String filter, String message) {
        assertThatThrownBy(() -> TopicFilter.parse(filter)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void deepestLevel_countsLevelsFromZero_emptyWhenItEndsInHash_afterAShareGroup() {
        assertThat(TopicFilter.parse("plant/+/meters").deepestLevel()).hasValue(2);
        assertThat(TopicFilter.parse("$share/g/plant/+/meters").deepestLevel()).hasValue(2);
        assertThat(TopicFilter.parse("a").deepestLevel()).hasValue(0);
        assertThat(TopicFilter.parse("plant/#").deepestLevel()).isEmpty();
        assertThat(TopicFilter.parse("#").deepestLevel()).isEmpty();
        assertThat(TopicFilter.parse("$share/g/#").deepestLevel()).isEmpty();
    }
}
