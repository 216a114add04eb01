package io.github.mqtt2tdengine.settings;

/**
 * The {@code deadLetters.mqtt} section: dead letters republished at QoS 1 to {@code <prefix>/<original topic>} on the
 * source's broker over a second connection ({@code MqttDeadLetters.builder()}). Immutable; every component may be
 * null (not set).
 *
 * @param enabled false keeps the section but turns the topic off; default true when the section is present
 * @param prefix topic prefix of the dead letters; default mqtt2td/dead-letters
 * @param clientId client id of the publishing connection; default the source's client id with -dl appended
 * @param keeper whether a persistent session subscribed to prefix/# makes the broker keep the dead letters until a
 *     replay takes them; default true
 * @param keeperClientId client id of that session (a replay connects with it); default mqtt2td-dead-letters-(pipeline
 *     name)
 * @param publishTimeoutMillis how long a batch of dead letters may wait for the broker's PUBACKs before the attempt
 *     fails and is retried, in ms; default 10000
 * @since 0.1.0
 */
public record DeadLetterMqttSettings(Boolean enabled, String prefix, String clientId, Boolean keeper,
        String keeperClientId, Integer publishTimeoutMillis) {
}
