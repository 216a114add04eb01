package io.github.mqtt2tdengine.spring.internal;

import io.github.mqtt2tdengine.DeadLetterHandler;
import io.github.mqtt2tdengine.PipelineListener;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.micrometer.PipelineMetricsBinder;
import io.github.mqtt2tdengine.settings.PipelineConfig;
import io.github.mqtt2tdengine.spi.Sink;
import io.github.mqtt2tdengine.spring.PayloadSpecCustomizer;
import io.github.mqtt2tdengine.spring.PipelineCustomizer;
import io.github.mqtt2tdengine.spring.PipelineLifecycle;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import javax.sql.DataSource;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The beans both starters declare alike: the config, the pipeline, its lifecycle and, with Micrometer, its meter
 * binder. Each starter's auto-configuration imports this and adds its Boot line's health indicator; the annotations and
 * types used here are the same on Spring Boot 3.5 and 4.x. Not API.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StarterProperties.class)
public class PipelineConfiguration {
    /** Creates the configuration; Spring calls it. */
    public PipelineConfiguration() {
    }

    /**
     * The config, read from the properties; fails the context with the key and how to fix it when they are wrong.
     *
     * @param environment the environment
     * @return the config
     */
    @Bean
    @ConditionalOnMissingBean
    public PipelineConfig mqtt2tdenginePipelineConfig(Environment environment) {
        return StarterAssembly.config(environment);
    }

    /**
     * The pipeline, built (not started) from the config and the application's beans.
     *
     * @param config the config
     * @param beans the bean factory, for a data source named {@value StarterAssembly#DATA_SOURCE_BEAN}
     * @param sinks a sink of the application's
     * @param dataSources the application's data sources
     * @param specCustomizers changes to each mapping's spec
     * @param customizers changes to the builder
     * @param listeners lifecycle listeners
     * @param deadLetterHandlers the application's dead-letter handlers, added beside the configured destinations
     * @return the pipeline
     */
    @Bean
    @ConditionalOnMissingBean
    public SyncPipeline mqtt2tdenginePipeline(PipelineConfig config, BeanFactory beans,
            ObjectProvider<Sink> sinks, ObjectProvider<DataSource> dataSources,
            ObjectProvider<PayloadSpecCustomizer> specCustomizers, ObjectProvider<PipelineCustomizer> customizers,
            ObjectProvider<PipelineListener> listeners, ObjectProvider<DeadLetterHandler> deadLetterHandlers) {
        return StarterAssembly.pipeline(config, new StarterAssembly.Beans(beans, sinks, dataSources, specCustomizers,
                customizers, listeners, deadLetterHandlers));
    }

    /**
     * Starts the pipeline with the context and drains it first when the context closes.
     *
     * @param pipeline the pipeline
     * @param properties the starter's switches, for {@code mqtt2tdengine.lifecycle.*}
     * @return the lifecycle
     */
    @Bean
    @ConditionalOnMissingBean
    public PipelineLifecycle mqtt2tdenginePipelineLifecycle(SyncPipeline pipeline, StarterProperties properties) {
        return StarterAssembly.lifecycle(pipeline, properties);
    }

    /** The meters, with Micrometer. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class MetricsConfiguration {
        @Bean
        @ConditionalOnMissingBean(name = StarterAssembly.METER_BINDER_BEAN)
        MeterBinder mqtt2tdengineMeterBinder(SyncPipeline pipeline) {
            return new PipelineMetricsBinder(pipeline);
        }
    }
}
