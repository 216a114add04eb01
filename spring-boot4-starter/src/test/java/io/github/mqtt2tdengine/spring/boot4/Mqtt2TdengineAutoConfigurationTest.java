package io.github.mqtt2tdengine.spring.boot4;

import io.github.mqtt2tdengine.spring.AutoConfigurationContract;
import java.util.Map;
import org.springframework.boot.health.contributor.HealthIndicator;

/** The auto-configuration contract on Spring Boot 4 ({@link AutoConfigurationContract}). */
class Mqtt2TdengineAutoConfigurationTest extends AutoConfigurationContract {
    @Override
    protected Class<?> autoConfiguration() {
        return Mqtt2TdengineAutoConfiguration.class;
    }

    @Override
    protected Class<?> healthIndicatorType() {
        return HealthIndicator.class;
    }

    @Override
    protected String status(Object indicator) {
        return ((HealthIndicator) indicator).health().getStatus().getCode();
    }

    @Override
    protected Map<String, Object> details(Object indicator) {
        return ((HealthIndicator) indicator).health().getDetails();
    }
}
