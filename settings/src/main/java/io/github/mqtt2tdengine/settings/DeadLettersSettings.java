package io.github.mqtt2tdengine.settings;

/**
 * The {@code deadLetters} section: where messages the mapping cannot use (or the database rejects) are kept. A
 * dead-lettered message is acknowledged only once every destination stored it. Immutable; every component may be
 * null (not set). Without the section the runner and the Spring Boot starter keep dead letters in a TDengine super
 * table in the sink's database (and log each at WARN); a dry run, a discarding sink or a host's own sink only logs.
 *
 * @param log whether each dead letter is also logged at WARN (topic, reason, first 256 payload bytes); default true
 * @param tdengine the TDengine table of dead letters; on by default when the sink is TDengine
 * @param mqtt republishing dead letters to an MQTT topic; off unless the section is present
 * @param file JSON Lines files of dead letters; off unless the section is present
 * @since 0.1.0
 */
public record DeadLettersSettings(Boolean log, DeadLetterTdengineSettings tdengine, DeadLetterMqttSettings mqtt,
        DeadLetterFileSettings file) {
}
