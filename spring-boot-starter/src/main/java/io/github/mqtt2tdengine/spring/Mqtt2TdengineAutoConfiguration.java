package io.github.mqtt2tdengine.spring;

import io.github.mqtt2tdengine.DeadLetterHandler;
import io.github.mqtt2tdengine.PipelineListener;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.micrometer.PipelineMetricsBinder;
import io.github.mqtt2tdengine.mqtt.MqttTransport;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.settings.ConfigException;
import io.github.mqtt2tdengine.settings.PipelineConfig;
import io.github.mqtt2tdengine.spi.Sink;
import io.github.mqtt2tdengine.tdengine.TDengineSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import javax.sql.DataSource;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configures one pipeline from the {@code mqtt2tdengine.*} properties: the keys of the JSON config file
 * ({@code mqtt2tdengine.mqtt.endpoint}, {@code mqtt2tdengine.tdengine.url}, {@code mqtt2tdengine.parser.fields[0].path},
 * ...), bound onto the same settings records ({@code io.github.mqtt2tdengine.settings}) in any of Spring's relaxed
 * forms and from any property source (secrets from the environment: {@code MQTT2TDENGINE_TDENGINE_PASSWORD}); the
 * starter's jar holds their configuration metadata, so an IDE completes and describes every key. The pipeline starts
 * with the application context and drains and closes with it ({@link PipelineLifecycle}, before any bean is
 * destroyed, so before a {@code DataSource} closes).
 *
 * <p>Beans of the application are picked up: a {@link Sink} (instead of the TDengine sink of
 * {@code mqtt2tdengine.tdengine}); a {@link DataSource} for the TDengine sink when {@code mqtt2tdengine.tdengine.url}
 * is not set (one named {@value #DATA_SOURCE_BEAN}, else the only one); {@link PayloadSpecCustomizer}s and
 * {@link PipelineCustomizer}s; {@link PipelineListener}s; a {@link DeadLetterHandler}. With Actuator there is a health
 * indicator ({@code mqtt2tdengine}); with Micrometer a {@link MeterBinder} that publishes the pipeline's meters to
 * the application's registries.
 *
 * <p>The starter's own keys, not part of the config: {@code mqtt2tdengine.enabled} (default true),
 * {@code mqtt2tdengine.lifecycle.auto-startup} (default true) and {@code mqtt2tdengine.lifecycle.phase}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(afterName = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration")
@ConditionalOnProperty(prefix = Mqtt2TdengineAutoConfiguration.PREFIX, name = "enabled", havingValue = "true",
        matchIfMissing = true)
@EnableConfigurationProperties(StarterProperties.class)
public class Mqtt2TdengineAutoConfiguration {
    /** The properties' prefix. */
    public static final String PREFIX = "mqtt2tdengine";
    /** The name of a {@code DataSource} bean meant for the TDengine sink, when the application has several. */
    public static final String DATA_SOURCE_BEAN = "mqtt2tdengineDataSource";
    /** Creates the configuration; Spring calls it. */
    public Mqtt2TdengineAutoConfiguration() {
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
        try {
            return PipelineConfig.of(SettingsBinder.bind(environment, PREFIX));
        } catch (ConfigException e) {
            throw new ConfigException("mqtt2tdengine: " + e.getMessage() + " (properties " + PREFIX + ".* take the keys "
                    + "of the config file, see docs/configuration.md; " + PREFIX + ".enabled=false turns the starter off)", e);
        }
    }

    /**
     * The pipeline, built (not started) from the config and the application's beans.
     *
     * @param config the config
     * @param beans the bean factory, for a data source named {@value #DATA_SOURCE_BEAN}
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
        SyncPipeline.Builder b = config.pipeline((filter, spec) -> {
            PayloadSpec s = spec;
            for (PayloadSpecCustomizer c : specCustomizers.orderedStream().toList()) {
                s = c.customize(filter, s);
            }
            return s;
        });
        MqttTransport source = config.mqtt().build();
        Sink sink = sink(config, beans, sinks, dataSources);
        b.source(source);
        b.sink(sink);
        listeners.orderedStream().forEach(b::listener);
        // the configured destinations (by default a TDengine table beside the data, and the log), and the
        // application's own handlers beside them
        config.deadLetters(b, sink, source);
        deadLetterHandlers.orderedStream().forEach(b::addDeadLetterHandler);
        customizers.orderedStream().forEach(c -> c.customize(b));
        return b.build();
    }

    private static Sink sink(PipelineConfig config, BeanFactory beans, ObjectProvider<Sink> sinks,
            ObjectProvider<DataSource> dataSources) {
        Sink own = sinks.getIfUnique();
        if (own != null) {
            return own;
        }
        TDengineSink.Builder td = config.tdengine().orElseThrow(() -> new IllegalStateException(
                "mqtt2tdengine: no sink: set " + PREFIX + ".tdengine.url and " + PREFIX + ".tdengine.database, or "
                        + "define a bean of type io.github.mqtt2tdengine.spi.Sink"));
        boolean hasUrl = config.settings().tdengine().url() != null;
        if (!hasUrl) {
            DataSource ds = beans.containsBean(DATA_SOURCE_BEAN) ? beans.getBean(DATA_SOURCE_BEAN, DataSource.class)
                    : dataSources.getIfUnique();
            if (ds == null) {
                throw new IllegalStateException("mqtt2tdengine: " + PREFIX + ".tdengine.url is not set and there is no "
                        + "single DataSource bean (nor one named '" + DATA_SOURCE_BEAN + "') for the TDengine sink: set "
                        + "the url, or define the DataSource");
            }
            td.dataSource(ds);
        }
        return td.build();
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
    PipelineLifecycle mqtt2tdenginePipelineLifecycle(SyncPipeline pipeline, StarterProperties properties) {
        StarterProperties.Lifecycle lifecycle = properties.getLifecycle();
        return new PipelineLifecycle(pipeline, lifecycle.isAutoStartup(), lifecycle.getPhase());
    }

    /** The health indicator, with Actuator. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class HealthConfiguration {
        @Bean
        @ConditionalOnMissingBean(name = "mqtt2tdengineHealthIndicator")
        HealthIndicator mqtt2tdengineHealthIndicator(SyncPipeline pipeline) {
            return new PipelineHealthIndicator(pipeline);
        }
    }

    /** The meters, with Micrometer. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class MetricsConfiguration {
        @Bean
        @ConditionalOnMissingBean(name = "mqtt2tdengineMeterBinder")
        MeterBinder mqtt2tdengineMeterBinder(SyncPipeline pipeline) {
            return new PipelineMetricsBinder(pipeline);
        }
    }
}
