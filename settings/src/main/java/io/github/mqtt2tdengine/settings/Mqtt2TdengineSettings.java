package io.github.mqtt2tdengine.settings;

import java.util.List;

/**
 * The whole configuration: the top level of the JSON config file, and the {@code mqtt2tdengine.*} properties of the
 * Spring Boot starter. Immutable; every component may be null (not set).
 *
 * @param name the pipeline name, used in logs, thread names and errors; default mqtt2tdengine
 * @param logLevel the log level the runner applies: error, warn, info, debug or trace; default info (the library
 *     itself never configures logging)
 * @param mqtt the MQTT source; required
 * @param tdengine the TDengine sink; optional when the host brings its own sink (or, in the starter, a DataSource)
 * @param parser the mapping of every topic (topic filter #), and the fallback when routes are set; required unless
 *     routes are set
 * @param routes mappings for topics matching an MQTT topic filter, first match wins; each has topicFilter and parser
 * @param pipeline batching, flow control, writers, retries and shutdown of the pipeline
 * @param metrics the runner's metrics endpoint (Prometheus text at /metrics, /health); ignored by the starter
 * @param deadLetters where messages that cannot be written are kept: a TDengine table (the default with a TDengine
 *     sink), an MQTT topic, files; each also logged unless turned off
 * @since 0.1.0
 */
public record Mqtt2TdengineSettings(String name, String logLevel, MqttSettings mqtt, TdengineSettings tdengine,
        ParserSettings parser, List<RouteSettings> routes, PipelineSettings pipeline, MetricsSettings metrics,
        DeadLettersSettings deadLetters) {
    /**
     * Creates the settings, copying the list of routes.
     *
     * @param name see the record's description
     * @param logLevel see the record's description
     * @param mqtt see the record's description
     * @param tdengine see the record's description
     * @param parser see the record's description
     * @param routes see the record's description
     * @param pipeline see the record's description
     * @param metrics see the record's description
     * @param deadLetters see the record's description
     */
    public Mqtt2TdengineSettings {
        routes = Copies.list(routes);
    }
}
