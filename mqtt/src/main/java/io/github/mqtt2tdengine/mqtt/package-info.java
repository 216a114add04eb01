/**
 * MQTT source of mqtt2tdengine: {@link io.github.mqtt2tdengine.mqtt.HiveMqTransport} on the HiveMQ MQTT Client
 * (MQTT 3.1.1 and 5.0) and Eclipse Paho (MQTT 3.1), with TLS ({@link io.github.mqtt2tdengine.mqtt.TlsConfig}) and the
 * seed's topic QoS syntax ({@link io.github.mqtt2tdengine.mqtt.TopicSubscription}).
 */
package io.github.mqtt2tdengine.mqtt;
