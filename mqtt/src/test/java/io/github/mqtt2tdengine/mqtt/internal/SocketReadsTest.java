package io.github.mqtt2tdengine.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SocketReadsTest {

    @Test
    void supported_withTheHiveMqClientOnTheClassPath_isTrue() {
        // fails fast when a client upgrade removes the internal connection config (or its channel) that socket-level
        // backpressure relies on; the transport would then fall back to dropping QoS 0 at the bound (see SocketReads)
        assertThat(SocketReads.supported()).as("com.hivemq.client.internal.mqtt.MqttClientConnectionConfig"
                + ".getChannel() returning a Netty Channel").isTrue();
    }

    @Test
    void redeliveries_withTheHiveMqClientOnTheClassPath_areSupported() {
        // fails fast when a client upgrade removes the decoded packet's DUP flag or the decoder's handler name that the
        // redelivery count relies on; the transport would then leave redeliveries uncounted (see Redeliveries)
        assertThat(Redeliveries.supported()).as("MqttStatefulPublish.isDup() and MqttDecoder.NAME").isTrue();
    }
}
