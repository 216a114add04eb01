package io.github.mqtt2tdengine.spring.boot4;

import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.spring.internal.StarterAssembly;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The pipeline's health for Actuator on Spring Boot 4 ({@code /actuator/health/mqtt2tdengine}): UP while running and
 * connected to the broker, DOWN otherwise (starting, reconnecting, disconnected, closing, closed, failed), with the
 * reason and the figures an operator looks at first (the same details as on Boot 3.5).
 *
 * @since 0.2.0
 */
public final class PipelineHealthIndicator implements HealthIndicator {
    private final SyncPipeline pipeline;

    /**
     * Creates the indicator.
     *
     * @param pipeline the pipeline
     */
    public PipelineHealthIndicator(SyncPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public Health health() {
        StarterAssembly.Health h = StarterAssembly.health(pipeline);
        return (h.up() ? Health.up() : Health.down()).withDetails(h.details()).build();
    }
}
