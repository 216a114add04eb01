package io.github.mqtt2tdengine.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MqttTransportBuilderTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "192.168.1.10:1883     | 192.168.1.10:1883",
        "broker.local:8883     | broker.local:8883",
        "[::1]:1884            | [::1]:1884",
        "[fe80::1]             | [fe80::1]:1883",
        "broker.local          | broker.local:1883",
    })
    void endpoint_parsesHostPortAndIpv6(String endpoint, String shown) {
        MqttTransport t = MqttTransport.builder().endpoint(endpoint).subscribe("a").build();
        assertThat(t.toString()).contains(shown + ", MQTT 5.0");
    }

    @Test
    void endpoint_bad_namesIt() {
        assertThatThrownBy(() -> MqttTransport.builder().endpoint("::1:1883"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("endpoint '::1:1883': write IPv6 addresses in brackets, like [::1]:1883");
        assertThatThrownBy(() -> MqttTransport.builder().endpoint("host:port"))
                .hasMessage("endpoint 'host:port': port must be a number, but was 'port'");
        assertThatThrownBy(() -> MqttTransport.builder().endpoint("host:70000"))
                .hasMessage("endpoint 'host:70000': serverPort must be between 1 and 65535, but was 70000");
        assertThatThrownBy(() -> MqttTransport.builder().endpoint(":1883")).hasMessage("endpoint ':1883' has no host");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "tcp://broker.local:1884      | MqttTransport{broker.local:1884, MQTT 5.0",
        "mqtt://broker.local          | MqttTransport{broker.local:1883, MQTT 5.0",
        "ssl://broker.local           | MqttTransport{broker.local:8883, MQTT 5.0",
        "MQTTS://broker.local:8884    | MqttTransport{broker.local:8884, MQTT 5.0",
        "tls://[::1]:8885             | MqttTransport{[::1]:8885, MQTT 5.0",
        "ws://broker.local:8080/mqtt  | MqttTransport{ws://broker.local:8080/mqtt, MQTT 5.0",
        "ws://broker.local:8080       | MqttTransport{ws://broker.local:8080/mqtt, MQTT 5.0",
        "wss://broker.local/ws        | MqttTransport{wss://broker.local:443/ws, MQTT 5.0",
    })
    void endpoint_urlForms_takenWithTheirMeaning(String endpoint, String shown) {
        MqttTransport t = MqttTransport.builder().endpoint(endpoint).subscribe("a").build();
        assertThat(t.toString()).startsWith(shown);
        boolean tls = endpoint.toLowerCase(java.util.Locale.ROOT).matches("(ssl|tls|mqtts|wss)://.*");
        assertThat(t.toString()).as("TLS on for %s", endpoint).doesNotContain(tls ? "tls=null" : "tls=TlsConfig");
    }

    @Test
    void endpoint_unknownSchemeOrPathOnTcp_namesTheFormsItTakes() {
        assertThatThrownBy(() -> MqttTransport.builder().endpoint("http://broker:1883"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("endpoint 'http://broker:1883': unknown scheme 'http'; write host:port, or a URL with "
                        + "tcp://, mqtt://, ssl://, tls://, mqtts://, ws:// or wss://");
        assertThatThrownBy(() -> MqttTransport.builder().endpoint("tcp://broker:1883/mqtt"))
                .hasMessage("endpoint 'tcp://broker:1883/mqtt': a tcp:// endpoint has no path; for MQTT over "
                        + "WebSocket write ws://host:port/mqtt");
        assertThatThrownBy(() -> MqttTransport.builder().endpoint("tcp://broker:1883").subscribe("a")
                .tls(TlsConfig.builder().build()).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("endpoint tcp://broker says plain TCP, but tls(..) is set; write ssl://, mqtts:// or "
                        + "wss://, or host:port");
    }

    @Test
    void build_persistentSessionWithoutClientId_throwsNamingTheFix() {
        assertThatThrownBy(() -> MqttTransport.builder().subscribe("a").cleanSession(false).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cleanSession(false) needs a fixed clientId(..): a generated id is new at every start, "
                        + "so the broker would keep the old session, queueing messages for nobody until it expires; "
                        + "set clientId(\"mqtt2td-<site>\"), or keep cleanSession(true)");
        assertThat(MqttTransport.builder().subscribe("a").cleanSession(false).clientId("site-a").build().clientId())
                .isEqualTo("site-a");
    }

    @Test
    void topicFilters_areTheSubscribedFilters() {
        assertThat(MqttTransport.builder().topics("plant/+/meters::1,$share/g/alarms/#::0").build().topicFilters())
                .containsExactly("plant/+/meters", "$share/g/alarms/#");
    }

    @Test
    void topics_seedSyntax_parsesEachEntry() {
        assertThat(TopicSubscription.parseList("plant/+/meters::1, plant/alarms/#::0,$share/g/x::2,plain"))
                .containsExactly(TopicSubscription.of("plant/+/meters", 1), TopicSubscription.of("plant/alarms/#", 0),
                        TopicSubscription.of("$share/g/x", 2), TopicSubscription.of("plain", 1));
    }

    @Test
    void topics_badEntries_failAtBuildNamingTheEntry() {
        assertThatThrownBy(() -> MqttTransport.builder().topics("a::1,b::3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("topic QoS config entry 'b::3': QoS of topic filter 'b' must be 0, 1 or 2, but was 3");
        assertThatThrownBy(() -> MqttTransport.builder().topics("a/#/b::1"))
                .hasMessage("topic QoS config entry 'a/#/b::1': topic filter 'a/#/b' is not valid: '#' must be a whole"
                        + " level and the last one");
        assertThatThrownBy(() -> MqttTransport.builder().topics("a::x"))
                .hasMessage("topic QoS config entry 'a::x': QoS must be 0, 1 or 2, but was 'x'");
        assertThatThrownBy(() -> MqttTransport.builder().topics("a::1,,b::1"))
                .hasMessage("topic QoS config 'a::1,,b::1' has an empty entry");
        assertThatThrownBy(() -> MqttTransport.builder().topics("::1"))
                .hasMessage("topic QoS config entry '::1': topic filter '' is not valid: it is empty");
    }

    @Test
    void build_rules() {
        assertThatThrownBy(() -> MqttTransport.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessage("at least one topic must be subscribed (subscribe(...) or topics(...))");
        assertThatThrownBy(() -> MqttTransport.builder().protocolVersion("3.1").clientId("x".repeat(24))
                .subscribe("a").build())
                .hasMessage("clientId '" + "x".repeat(24) + "' is 24 characters; MQTT 3.1 allows at most 23");
        assertThatThrownBy(() -> MqttTransport.builder().protocolVersion("4"))
                .hasMessage("MQTT protocol version must be 3.1, 3.1.1 or 5.0, but was '4'");
        assertThatThrownBy(() -> MqttTransport.builder().keepAlive(Duration.ofSeconds(70_000)))
                .hasMessage("keepAlive must be between 0 and 65535 s, but was PT19H26M40S");
        assertThatThrownBy(() -> MqttTransport.builder().receiveMaximum(70_000))
                .hasMessage("receiveMaximum must be between 1 and 65535, but was 70000; receiveMaximumFromPipeline() "
                        + "ties it to the pipeline's in-flight bound");
        assertThatThrownBy(() -> MqttTransport.builder().receiveMaximum(0))
                .hasMessage("receiveMaximum must be between 1 and 65535, but was 0; receiveMaximumFromPipeline() "
                        + "ties it to the pipeline's in-flight bound");
        assertThatThrownBy(() -> MqttTransport.builder().clientId(""))
                .hasMessage("clientId must not be empty; leave it unset to generate one");
    }

    @Test
    void defaults_andGeneratedClientId() {
        MqttTransport t = MqttTransport.builder().subscribe("a").build();
        assertThat(t.clientId()).matches("mqtt2td-[0-9a-f]{12}");
        assertThat(t.toString()).isEqualTo("MqttTransport{localhost:1883, MQTT 5.0, clientId=" + t.clientId()
                + ", cleanSession=true, topics=[a::1], credentials=anonymous, tls=null}");
        assertThat(MqttTransport.builder().subscribe("a").protocolVersion(MqttProtocolVersion.V3_1).build()
                .clientId()).hasSizeLessThanOrEqualTo(23);
    }

    @Test
    void toString_hidesPassword() {
        MqttTransport t = MqttTransport.builder().credentials("ingest", "hunter2-secret").subscribe("a")
                .webSocket("mqtt").build();
        assertThat(t.toString()).contains("credentials=ingest/****").contains("ws://localhost:1883/mqtt")
                .doesNotContain("hunter2");
        assertThat(List.of(t).toString()).doesNotContain("hunter2");
    }
}
