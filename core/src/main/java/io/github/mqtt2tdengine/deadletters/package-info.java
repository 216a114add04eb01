/**
 * Dead-letter destinations that keep what the pipeline could not write: a JSON Lines file ({@link
 * io.github.mqtt2tdengine.deadletters.FileDeadLetters}), and the envelope ({@link
 * io.github.mqtt2tdengine.deadletters.DeadLetterEnvelope}) in which a dead letter travels where its payload cannot
 * travel as it is. The TDengine and MQTT destinations live in their modules ({@code TDengineDeadLetters},
 * {@code MqttDeadLetters}).
 */
package io.github.mqtt2tdengine.deadletters;
