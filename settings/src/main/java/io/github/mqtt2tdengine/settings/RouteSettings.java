package io.github.mqtt2tdengine.settings;

/**
 * One of {@code routes}: a mapping for topics matching an MQTT topic filter ({@code SyncPipeline.Builder.route}).
 * Immutable; every component may be null.
 *
 * @param topicFilter MQTT topic filter with + and #, e.g. plant/alarms/#; required
 * @param parser the mapping of the matching topics, with its own superTable; required
 * @since 0.1.0
 */
public record RouteSettings(String topicFilter, ParserSettings parser) {
}
