/**
 * MQTT transport of mqtt2tdengine on the HiveMQ MQTT Client (3.1.1 and 5.0) and Eclipse Paho (3.1).
 *
 * <p>Not yet implemented: the {@code HiveMqTransport} arrives with the MQTT transport issue (#3); until then a host
 * can plug any {@link io.github.mqtt2tdengine.spi.Transport}.
 */
package io.github.mqtt2tdengine.mqtt;
