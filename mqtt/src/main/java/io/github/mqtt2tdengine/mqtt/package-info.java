/**
 * MQTT source of mqtt2tdengine: {@link io.github.mqtt2tdengine.mqtt.MqttTransport} on the HiveMQ MQTT Client
 * (MQTT 3.1.1 and 5.0) and Eclipse Paho (MQTT 3.1, an optional dependency), with TLS ({@link
 * io.github.mqtt2tdengine.mqtt.TlsConfig}) and the
 * topic QoS syntax of the TDengine Cloud MQTT data source form ({@link
 * io.github.mqtt2tdengine.mqtt.TopicSubscription}); and the dead-letter destination that keeps what the pipeline
 * could not write on the broker ({@link io.github.mqtt2tdengine.mqtt.MqttDeadLetters}), replayed through {@link
 * io.github.mqtt2tdengine.mqtt.MqttTransport.Builder#deadLetterReplay(String)}.
 */
package io.github.mqtt2tdengine.mqtt;
