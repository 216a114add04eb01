package io.github.mqtt2tdengine.spring;

import io.github.mqtt2tdengine.PipelineHealth;
import io.github.mqtt2tdengine.PipelineMetrics;
import io.github.mqtt2tdengine.SyncPipeline;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The pipeline's health for Actuator ({@code /actuator/health/mqtt2tdengine}): UP while running and connected to the
 * broker, DOWN otherwise (starting, reconnecting, disconnected, closing, closed, failed), with the reason and the
 * figures an operator looks at first.
 *
 * @since 0.1.0
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

    /** Per dead-letter destination: stored, pending, failing (and the last error while failing). */
    private static Map<String, Map<String, Object>> destinations(PipelineMetrics m) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        m.deadLetterDestinations().forEach((name, d) -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("stored", d.stored());
            v.put("pending", d.pending());
            v.put("failing", d.failing());
            if (d.failing() && d.lastError() != null) {
                v.put("lastError", d.lastError());
            }
            out.put(name, v);
        });
        return out;
    }

    @Override
    public Health health() {
        PipelineMetrics m = pipeline.metrics();
        PipelineHealth h = PipelineHealth.of(pipeline.name(), m);
        Health.Builder b = h.healthy() ? Health.up() : Health.down();
        return b.withDetail("pipeline", pipeline.name())
                .withDetail("state", h.state().name().toLowerCase(Locale.ROOT))
                .withDetail("connection", h.connection().name().toLowerCase(Locale.ROOT))
                .withDetail("reason", h.reason())
                .withDetail("inFlight", m.inFlight())
                .withDetail("oldestUnackedMillis", m.oldestUnacked().toMillis())
                .withDetail("dataLagP99Millis", m.dataLag().p99().toMillis())
                .withDetail("deadLetters", m.deadLetters())
                .withDetail("reconnects", m.reconnects())
                .withDetail("sessionsLost", m.sessionsLost())
                .withDetail("deadLetterDestinations", destinations(m))
                .build();
    }
}
