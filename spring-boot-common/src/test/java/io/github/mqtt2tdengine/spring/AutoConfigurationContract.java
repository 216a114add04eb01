package io.github.mqtt2tdengine.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mqtt2tdengine.PipelineState;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.settings.PipelineConfig;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.Sink;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The auto-configuration's conditions and the beans it picks up, without a broker (the pipeline is not started): the
 * contract both starters pass, each on its own Boot line (a subclass in each starter names its auto-configuration and
 * reads its Boot line's health API). Compiled here against Boot 3.5; run by the Boot 4 starter against Boot 4.
 */
public abstract class AutoConfigurationContract {
    private static final String[] CONFIG = {
        "mqtt2tdengine.name=plant-a",
        "mqtt2tdengine.mqtt.endpoint=127.0.0.1:1",
        "mqtt2tdengine.mqtt.topics=plant/+/meters::1",
        "mqtt2tdengine.parser.fields[0].path=$.id",
        "mqtt2tdengine.parser.fields[0].name=id",
        "mqtt2tdengine.parser.fields[0].type=INT",
        "mqtt2tdengine.parser.fields[0].as=tag",
        "mqtt2tdengine.parser.fields[1].path=$.current",
        "mqtt2tdengine.parser.fields[1].name=current",
        "mqtt2tdengine.parser.fields[1].type=FLOAT",
        "mqtt2tdengine.parser.sub-table=d{id}",
        "mqtt2tdengine.parser.super-table=meters",
        "mqtt2tdengine.lifecycle.auto-startup=false",
    };
    private static final String TDENGINE = "mqtt2tdengine.tdengine.url=jdbc:TAOS-WS://127.0.0.1:1/power";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(autoConfiguration()));

    /**
     * The starter's auto-configuration.
     *
     * @return its class
     */
    protected abstract Class<?> autoConfiguration();

    /**
     * Boot's {@code HealthIndicator} type on this line (it moved package in Boot 4).
     *
     * @return the type
     */
    protected abstract Class<?> healthIndicatorType();

    /**
     * The indicator's status now.
     *
     * @param indicator the health indicator bean
     * @return {@code UP}, {@code DOWN}, ...
     */
    protected abstract String status(Object indicator);

    /**
     * The indicator's details now.
     *
     * @param indicator the health indicator bean
     * @return the details
     */
    protected abstract Map<String, Object> details(Object indicator);

    @Test
    void properties_giveAPipeline_itsLifecycle_healthIndicator_andMeterBinder() {
        runner.withPropertyValues(CONFIG).withPropertyValues(TDENGINE).run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(PipelineConfig.class).hasSingleBean(SyncPipeline.class)
                    .hasSingleBean(PipelineLifecycle.class).hasBean("mqtt2tdengineHealthIndicator")
                    .hasBean("mqtt2tdengineMeterBinder");
            SyncPipeline p = ctx.getBean(SyncPipeline.class);
            assertThat(p.name()).isEqualTo("plant-a");
            assertThat(p.state()).isEqualTo(PipelineState.NEW); // auto-startup false
            assertThat(p.tables().toString()).contains("current FLOAT").contains("id INT");
            Object health = ctx.getBean("mqtt2tdengineHealthIndicator", healthIndicatorType());
            assertThat(status(health)).isEqualTo("DOWN");
            assertThat(details(health)).containsEntry("reason", "pipeline 'plant-a' is not started")
                    .containsKeys("state", "connection", "inFlight", "oldestUnackedMillis", "dataLagP99Millis",
                            "deadLetters", "reconnects", "sessionsLost", "deadLetterDestinations");
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            ctx.getBean(MeterBinder.class).bindTo(registry);
            assertThat(registry.get("mqtt2td.messages.received").tag("pipeline", "plant-a").functionCounter().count())
                    .isZero();
        });
    }

    @Test
    void enabledFalse_configuresNothing() {
        runner.withPropertyValues(CONFIG).withPropertyValues("mqtt2tdengine.enabled=false")
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(SyncPipeline.class)
                        .doesNotHaveBean(PipelineConfig.class));
    }

    @Test
    void withoutActuator_noHealthIndicator_butThePipeline() {
        runner.withClassLoader(new FilteredClassLoader(healthIndicatorType())).withPropertyValues(CONFIG)
                .withPropertyValues(TDENGINE)
                .run(ctx -> assertThat(ctx).hasNotFailed().hasSingleBean(SyncPipeline.class)
                        .doesNotHaveBean("mqtt2tdengineHealthIndicator"));
    }

    @Test
    void mistakes_failTheStart_namingTheKey() {
        runner.withPropertyValues(CONFIG).withPropertyValues(TDENGINE, "mqtt2tdengine.mqtt.clean-sesion=true")
                .run(ctx -> assertThat(ctx).hasFailed().getFailure().hasStackTraceContaining(
                        "mqtt2tdengine: unknown key mqtt.clean-sesion (see docs/configuration.md, the configuration "
                                + "reference)"));
        runner.withPropertyValues(CONFIG).withPropertyValues(TDENGINE, "mqtt2tdengine.mqtt.keep-alive-seconds=soon")
                .run(ctx -> assertThat(ctx).hasFailed().getFailure().hasStackTraceContaining(
                        "mqtt2tdengine: mqtt.keepAliveSeconds must be a whole number, but was \"soon\""));
        runner.run(ctx -> assertThat(ctx).hasFailed().getFailure().hasStackTraceContaining(
                "mqtt2tdengine: config is empty (properties mqtt2tdengine.* take the keys of the config file, see "
                        + "docs/configuration.md; mqtt2tdengine.enabled=false turns the starter off)"));
        runner.withPropertyValues(CONFIG).run(ctx -> assertThat(ctx).hasFailed().getFailure().rootCause()
                .hasMessageStartingWith("mqtt2tdengine: no sink: set mqtt2tdengine.tdengine.url"));
    }

    @Test
    void aSinkBean_replacesTheTdengineSink() {
        FakeSink sink = new FakeSink();
        runner.withPropertyValues(CONFIG).withBean(Sink.class, () -> sink).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx.getBean(PipelineConfig.class).tdengine()).isEmpty();
            assertThat(ctx.getBean(SyncPipeline.class)).isNotNull();
        });
    }

    @Test
    void withoutUrl_aDataSourceBean_feedsTheTdengineSink_andWithoutOneTheStartFails() {
        String[] database = {"mqtt2tdengine.tdengine.database=power"};
        runner.withPropertyValues(CONFIG).withPropertyValues(database)
                .withBean("mqtt2tdengineDataSource", DataSource.class, () -> mock(DataSource.class))
                .withBean("otherDataSource", DataSource.class, () -> mock(DataSource.class))
                .run(ctx -> assertThat(ctx).hasNotFailed().hasSingleBean(SyncPipeline.class));
        runner.withPropertyValues(CONFIG).withPropertyValues(database)
                .withBean("dataSource", DataSource.class, () -> mock(DataSource.class))
                .run(ctx -> assertThat(ctx).hasNotFailed().hasSingleBean(SyncPipeline.class));
        runner.withPropertyValues(CONFIG).withPropertyValues(database)
                .run(ctx -> assertThat(ctx).hasFailed().getFailure().rootCause().hasMessageContaining(
                        "mqtt2tdengine.tdengine.url is not set and there is no single DataSource bean"));
    }

    @Test
    void customizers_changeTheSpecsAndTheBuilder_inOrder() {
        runner.withPropertyValues(CONFIG).withPropertyValues(TDENGINE)
                .withBean(PayloadSpecCustomizer.class, () -> (filter, spec) -> spec.toBuilder()
                        .filter(row -> ((Number) row.column("current")).doubleValue() >= 0).build())
                .withBean(PipelineCustomizer.class, () -> b -> b.name("renamed"))
                .run(ctx -> {
                    SyncPipeline p = ctx.getBean(SyncPipeline.class);
                    assertThat(p.name()).isEqualTo("renamed");
                    assertThat(p.preview("plant/m1/meters", "{\"id\":1,\"current\":-2}".getBytes()).rows()).isEmpty();
                    assertThat(p.preview("plant/m1/meters", "{\"id\":1,\"current\":2}".getBytes()).rows()).hasSize(1);
                });
    }

    @Test
    void environmentVariables_bindRelaxed_andWinOverFiles() {
        runner.withPropertyValues(CONFIG).withPropertyValues(TDENGINE, "mqtt2tdengine.mqtt.client-id=from-file")
                .withInitializer(ctx -> ctx.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource("test-systemEnvironment", Map.of("MQTT2TDENGINE_MQTT_CLIENTID", "from-env",
                                "MQTT2TDENGINE_PARSER_FIELDS_1_TYPE", "DOUBLE"))))
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBean(PipelineConfig.class).mqtt().build().toString()).contains("clientId=from-env");
                    assertThat(ctx.getBean(SyncPipeline.class).tables().toString()).contains("current DOUBLE");
                });
    }

    @Test
    void kebabAndCamelCaseKeys_bindAlike_routesAndTheOldFilterKeyToo() {
        runner.withPropertyValues(CONFIG).withPropertyValues(TDENGINE, "mqtt2tdengine.mqtt.keepAliveSeconds=30",
                "mqtt2tdengine.mqtt.clean-session=false", "mqtt2tdengine.mqtt.client-id=plant-a",
                "mqtt2tdengine.pipeline.badMessagePolicy=fail", "mqtt2tdengine.pipeline.batch-max-rows=50",
                "mqtt2tdengine.parser.filter=current > 0",
                "mqtt2tdengine.routes[0].topic-filter=plant/alarms/#",
                "mqtt2tdengine.routes[0].parser.fields[0].path=$.id",
                "mqtt2tdengine.routes[0].parser.fields[0].name=id",
                "mqtt2tdengine.routes[0].parser.fields[0].type=INT",
                "mqtt2tdengine.routes[0].parser.fields[0].as=tag",
                "mqtt2tdengine.routes[0].parser.subTable=a{id}",
                "mqtt2tdengine.routes[0].parser.superTable=alarms").run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    PipelineConfig config = ctx.getBean(PipelineConfig.class);
                    assertThat(config.settings().mqtt().keepAliveSeconds()).isEqualTo(30);
                    assertThat(config.settings().pipeline().badMessagePolicy())
                            .isEqualTo(io.github.mqtt2tdengine.BadMessagePolicy.FAIL);
                    assertThat(config.mqtt().build().toString()).contains("cleanSession=false");
                    SyncPipeline p = ctx.getBean(SyncPipeline.class);
                    assertThat(p.tables().toString()).contains("alarms").contains("meters");
                    assertThat(p.preview("plant/alarms/x", "{\"id\":3}".getBytes()).rows().get(0).subTable())
                            .isEqualTo("a3");
                    assertThat(p.preview("plant/m1/meters", "{\"id\":1,\"current\":-2}".getBytes()).rows())
                            .isEmpty(); // parser.filter, the old key: an expression
                });
    }

    @Test
    void wrongTypes_nameTheKeyInTheFilesForm_andNeverShowASecret() {
        runner.withPropertyValues(CONFIG).withPropertyValues(TDENGINE, "mqtt2tdengine.parser.fields[1].as=tga")
                .run(ctx -> assertThat(ctx).hasFailed().getFailure().hasStackTraceContaining(
                        "mqtt2tdengine: parser.fields[1].as must be one of [ignore, column, tag], but was \"tga\""));
        runner.withPropertyValues(CONFIG).withPropertyValues(TDENGINE, "mqtt2tdengine.mqtt.pasword=top-secret")
                .run(ctx -> assertThat(ctx).hasFailed().getFailure()
                        .hasStackTraceContaining("unknown key mqtt.pasword")
                        .satisfies(e -> assertThat(messages(e)).doesNotContain("top-secret")));
    }

    @Test
    void configurationMetadata_onTheStartersClassPath_describesEveryKey_once() throws Exception {
        List<String> names = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        var resources = getClass().getClassLoader().getResources("META-INF/spring-configuration-metadata.json");
        while (resources.hasMoreElements()) {
            try (InputStream in = resources.nextElement().openStream()) {
                JsonNode metadata = json.readTree(in);
                for (String section : List.of("groups", "properties")) {
                    metadata.path(section).forEach(e -> {
                        if (e.get("name").asText().startsWith("mqtt2tdengine")) {
                            names.add(e.get("name").asText());
                        }
                    });
                }
            }
        }
        List<String> expected = new ArrayList<>(List.of("mqtt2tdengine.enabled", "mqtt2tdengine.lifecycle.auto-startup",
                "mqtt2tdengine.lifecycle.phase"));
        for (String section : List.of("groups", "properties")) {
            for (Object e : (List<?>) SettingsMetadataTest.generate().get(section)) {
                expected.add((String) ((Map<?, ?>) e).get("name"));
            }
        }
        assertThat(names).as("what an IDE reads from the class path a host gets with this starter")
                .containsAll(expected).doesNotHaveDuplicates();
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t).append('\n');
        }
        return all.toString();
    }
}
