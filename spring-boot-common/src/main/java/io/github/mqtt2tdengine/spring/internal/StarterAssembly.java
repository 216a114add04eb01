package io.github.mqtt2tdengine.spring.internal;

import io.github.mqtt2tdengine.DeadLetterHandler;
import io.github.mqtt2tdengine.PipelineHealth;
import io.github.mqtt2tdengine.PipelineListener;
import io.github.mqtt2tdengine.PipelineMetrics;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.mqtt.MqttTransport;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.settings.ConfigException;
import io.github.mqtt2tdengine.settings.PipelineConfig;
import io.github.mqtt2tdengine.spi.Sink;
import io.github.mqtt2tdengine.spring.PayloadSpecCustomizer;
import io.github.mqtt2tdengine.spring.PipelineCustomizer;
import io.github.mqtt2tdengine.spring.PipelineLifecycle;
import io.github.mqtt2tdengine.tdengine.TDengineSink;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;

/**
 * Everything the Spring Boot 3 and Spring Boot 4 starters do alike: the config from the environment, the pipeline from
 * the config and the application's beans, its lifecycle, and its health as status and details.
 * {@link PipelineConfiguration} declares the beans with it; each starter's health indicator reads {@link #health}. Uses
 * only API that Spring Framework 6.2/7 and Spring Boot 3.5/4.x share (bean factory, object providers, environment,
 * binder). Not API.
 */
public final class StarterAssembly {
    /** The properties' prefix. */
    public static final String PREFIX = "mqtt2tdengine";
    /** The name of a {@code DataSource} bean meant for the TDengine sink, when the application has several. */
    public static final String DATA_SOURCE_BEAN = "mqtt2tdengineDataSource";
    /** The health indicator's bean name: Actuator shows it as {@code mqtt2tdengine}. */
    public static final String HEALTH_INDICATOR_BEAN = "mqtt2tdengineHealthIndicator";
    /** The meter binder's bean name. */
    public static final String METER_BINDER_BEAN = "mqtt2tdengineMeterBinder";

    private StarterAssembly() {
    }

    /**
     * The config, read from the {@code mqtt2tdengine.*} properties.
     *
     * @param environment the environment
     * @return the config
     * @throws ConfigException naming the key and how to fix it
     */
    public static PipelineConfig config(Environment environment) {
        try {
            return PipelineConfig.of(SettingsBinder.bind(environment, PREFIX));
        } catch (ConfigException e) {
            throw new ConfigException("mqtt2tdengine: " + e.getMessage() + " (properties " + PREFIX + ".* take the keys "
                    + "of the config file, see docs/configuration.md; " + PREFIX + ".enabled=false turns the starter off)", e);
        }
    }

    /** The application's beans the pipeline picks up. */
    public record Beans(BeanFactory factory, ObjectProvider<Sink> sinks, ObjectProvider<DataSource> dataSources,
            ObjectProvider<PayloadSpecCustomizer> specCustomizers, ObjectProvider<PipelineCustomizer> customizers,
            ObjectProvider<PipelineListener> listeners, ObjectProvider<DeadLetterHandler> deadLetterHandlers) {
    }

    /**
     * The pipeline, built (not started) from the config and the application's beans.
     *
     * @param config the config
     * @param beans the application's beans
     * @return the pipeline
     */
    public static SyncPipeline pipeline(PipelineConfig config, Beans beans) {
        SyncPipeline.Builder b = config.pipeline((filter, spec) -> {
            PayloadSpec s = spec;
            for (PayloadSpecCustomizer c : beans.specCustomizers().orderedStream().toList()) {
                s = c.customize(filter, s);
            }
            return s;
        });
        MqttTransport source = config.mqtt().build();
        Sink sink = sink(config, beans);
        b.source(source);
        b.sink(sink);
        beans.listeners().orderedStream().forEach(b::listener);
        // the configured destinations (by default a TDengine table beside the data, and the log), and the
        // application's own handlers beside them
        config.deadLetters(b, sink, source);
        beans.deadLetterHandlers().orderedStream().forEach(b::addDeadLetterHandler);
        beans.customizers().orderedStream().forEach(c -> c.customize(b));
        return b.build();
    }

    private static Sink sink(PipelineConfig config, Beans beans) {
        Sink own = beans.sinks().getIfUnique();
        if (own != null) {
            return own;
        }
        TDengineSink.Builder td = config.tdengine().orElseThrow(() -> new IllegalStateException(
                "mqtt2tdengine: no sink: set " + PREFIX + ".tdengine.url and " + PREFIX + ".tdengine.database, or "
                        + "define a bean of type io.github.mqtt2tdengine.spi.Sink"));
        boolean hasUrl = config.settings().tdengine().url() != null;
        if (!hasUrl) {
            DataSource ds = beans.factory().containsBean(DATA_SOURCE_BEAN)
                    ? beans.factory().getBean(DATA_SOURCE_BEAN, DataSource.class)
                    : beans.dataSources().getIfUnique();
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
     * The lifecycle that starts the pipeline with the context and drains it first when the context closes.
     *
     * @param pipeline the pipeline
     * @param properties the starter's switches, for {@code mqtt2tdengine.lifecycle.*}
     * @return the lifecycle
     */
    public static PipelineLifecycle lifecycle(SyncPipeline pipeline, StarterProperties properties) {
        StarterProperties.Lifecycle lifecycle = properties.getLifecycle();
        return new PipelineLifecycle(pipeline, lifecycle.isAutoStartup(), lifecycle.getPhase());
    }

    /**
     * The pipeline's health as Actuator shows it, whichever Boot line's health API carries it.
     *
     * @param up UP while running and connected to the broker, DOWN otherwise
     * @param details what an operator looks at first, in this order
     */
    public record Health(boolean up, Map<String, Object> details) {
    }

    /**
     * The pipeline's health now.
     *
     * @param pipeline the pipeline
     * @return status and details
     */
    public static Health health(SyncPipeline pipeline) {
        PipelineMetrics m = pipeline.metrics();
        PipelineHealth h = PipelineHealth.of(pipeline.name(), m);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("pipeline", pipeline.name());
        d.put("state", h.state().name().toLowerCase(Locale.ROOT));
        d.put("connection", h.connection().name().toLowerCase(Locale.ROOT));
        d.put("reason", h.reason());
        d.put("inFlight", m.inFlight());
        d.put("oldestUnackedMillis", m.oldestUnacked().toMillis());
        d.put("dataLagP99Millis", m.dataLag().p99().toMillis());
        d.put("deadLetters", m.deadLetters());
        d.put("reconnects", m.reconnects());
        d.put("sessionsLost", m.sessionsLost());
        d.put("deadLetterDestinations", destinations(m));
        return new Health(h.healthy(), d);
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
}
