package io.github.mqtt2tdengine.settings;

/**
 * The {@code metrics} section: the runner's metrics endpoint. Hosts that embed the library publish metrics their own
 * way (the Micrometer binder, the Spring Boot starter) and ignore it. Immutable; every component may be null.
 *
 * @param port port of the endpoint (Prometheus text at /metrics, /health), 0 for any free one; off when not set
 * @param host address the endpoint binds to; default 127.0.0.1
 * @since 0.1.0
 */
public record MetricsSettings(Integer port, String host) {
}
