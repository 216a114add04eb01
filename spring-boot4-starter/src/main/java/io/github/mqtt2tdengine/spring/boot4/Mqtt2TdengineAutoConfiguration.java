package io.github.mqtt2tdengine.spring.boot4;

import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.spring.internal.PipelineConfiguration;
import io.github.mqtt2tdengine.spring.internal.StarterAssembly;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Spring Boot 4: one pipeline from the {@code mqtt2tdengine.*} properties (the keys of the JSON config file, bound onto the
 * same settings records), started with the application context and drained before its beans are destroyed. The
 * pipeline, its lifecycle, the beans of the application it picks up and its meters are the same as on Boot 3.5
 * ({@code mqtt2tdengine-spring-boot-common}); this class adds the health indicator {@code mqtt2tdengine} on
 * Boot 4's health API (module {@code spring-boot-health}) when Actuator is present. {@code mqtt2tdengine.enabled=false} turns it off.
 *
 * @since 0.2.0
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnProperty(prefix = StarterAssembly.PREFIX, name = "enabled", havingValue = "true", matchIfMissing = true)
@Import(PipelineConfiguration.class)
public class Mqtt2TdengineAutoConfiguration {
    /** Creates the configuration; Spring calls it. */
    public Mqtt2TdengineAutoConfiguration() {
    }

    /** The health indicator, with Actuator. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class HealthConfiguration {
        @Bean
        @ConditionalOnMissingBean(name = StarterAssembly.HEALTH_INDICATOR_BEAN)
        HealthIndicator mqtt2tdengineHealthIndicator(SyncPipeline pipeline) {
            return new PipelineHealthIndicator(pipeline);
        }
    }
}
