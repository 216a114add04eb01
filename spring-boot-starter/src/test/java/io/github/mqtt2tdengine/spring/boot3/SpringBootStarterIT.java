package io.github.mqtt2tdengine.spring.boot3;

import io.github.mqtt2tdengine.spring.StarterContract;
import io.github.mqtt2tdengine.spring.internal.StarterAssembly;
import java.util.Map;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.ConfigurableApplicationContext;

/** The starter contract on Spring Boot 3 ({@link StarterContract}): real mosquitto, the README's application.yml. */
class SpringBootStarterIT extends StarterContract {
    @Override
    protected String healthStatus(ConfigurableApplicationContext ctx) {
        return indicator(ctx).health().getStatus().getCode();
    }

    @Override
    protected Map<String, Object> healthDetails(ConfigurableApplicationContext ctx) {
        return indicator(ctx).health().getDetails();
    }

    private static HealthIndicator indicator(ConfigurableApplicationContext ctx) {
        return ctx.getBean(StarterAssembly.HEALTH_INDICATOR_BEAN, HealthIndicator.class);
    }
}
