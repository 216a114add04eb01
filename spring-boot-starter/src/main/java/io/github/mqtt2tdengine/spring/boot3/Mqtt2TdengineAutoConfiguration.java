package io.github.mqtt2tdengine.spring.boot3;

import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.spring.internal.PipelineConfiguration;
import io.github.mqtt2tdengine.spring.internal.StarterAssembly;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Spring Boot 3.5: one pipeline from the {@code mqtt2tdengine.*} properties (the keys of the JSON config file, bound onto the
 * same settings records), started with the application context and drained before its beans are destroyed. The
 * pipeline, its lifecycle, the beans of the application it picks up and its meters are the same as on Boot 4
 * ({@code mqtt2tdengine-spring-boot-common}); this class adds the health indicator {@code mqtt2tdengine} on
 * Boot 3's health API when Actuator is present. {@code mqtt2tdengine.enabled=false} turns it off.
 *
 * @since 0.2.0
 */
@AutoConfiguration(afterName = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration")
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
