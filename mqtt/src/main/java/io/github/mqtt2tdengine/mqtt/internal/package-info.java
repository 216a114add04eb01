/**
 * MQTT client sessions (HiveMQ, Paho), PEM and TLS handling. Not API; may change in any release.
 */
package io.github.mqtt2tdengine.mqtt.internal;
