package io.github.mqtt2tdengine.sample;

import io.github.mqtt2tdengine.DeadLetterHandler;
import io.github.mqtt2tdengine.PipelineListener;
import io.github.mqtt2tdengine.PipelineState;
import io.github.mqtt2tdengine.spring.PayloadSpecCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot service that syncs MQTT into TDengine with the starter: the pipeline is configured in
 * {@code application.yml} ({@code mqtt2tdengine.*}), Actuator serves {@code /actuator/health} and
 * {@code /actuator/prometheus}. Broker and database from the environment: {@code MQTT_ENDPOINT} (default
 * 127.0.0.1:1883), {@code TDENGINE_URL} (default jdbc:TAOS-WS://127.0.0.1:6041), {@code TDENGINE_PASSWORD}.
 */
@SpringBootApplication
public class SampleApplication {
    private static final Logger LOG = LoggerFactory.getLogger(SampleApplication.class);

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

    /** What the properties cannot say: rows with a negative current are sensor faults, dropped (and counted). */
    @Bean
    PayloadSpecCustomizer dropSensorFaults() {
        return (topicFilter, spec) -> spec.toBuilder()
                .filter(row -> !(row.column("current") instanceof Number n) || n.doubleValue() >= 0)
                .build();
    }

    /** Dead letters to the service's own log (a real service might publish them to a topic or a table). */
    @Bean
    DeadLetterHandler deadLetters() {
        return d -> LOG.warn("dead letter from '{}': {} ({})", d.topic(), d.message(), d.reason());
    }

    @Bean
    PipelineListener pipelineStates() {
        return new PipelineListener() {
            @Override
            public void onStateChanged(PipelineState previous, PipelineState current) {
                LOG.info("pipeline {} -> {}", previous, current);
            }
        };
    }
}
