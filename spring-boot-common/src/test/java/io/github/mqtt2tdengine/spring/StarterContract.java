package io.github.mqtt2tdengine.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.PipelineListener;
import io.github.mqtt2tdengine.PipelineState;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.deadletters.DeadLetterEnvelope;
import io.github.mqtt2tdengine.mqtt.testing.Mosquitto;
import io.github.mqtt2tdengine.mqtt.testing.Publisher;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.Row;
import io.github.mqtt2tdengine.tdengine.testing.TDengineRestServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

/**
 * A Spring Boot application with the starter, configured by the README's {@code application.yml} word for word (the
 * broker's port and the password placeholder given beside it), against a real mosquitto, rows into a recording sink:
 * started with the context, meters in the application's registry, health, and the drain when the context closes. The
 * contract both starters pass, each on its own Boot line: a subclass ({@code SpringBootStarterIT},
 * {@code SpringBoot4StarterIT}) reads its Boot line's health API.
 */
public abstract class StarterContract {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /**
     * The status of the {@code mqtt2tdengine} health indicator now.
     *
     * @param ctx the application
     * @return {@code UP}, {@code DOWN}, ...
     */
    protected abstract String healthStatus(ConfigurableApplicationContext ctx);

    /**
     * The details of the {@code mqtt2tdengine} health indicator now.
     *
     * @param ctx the application
     * @return the details
     */
    protected abstract Map<String, Object> healthDetails(ConfigurableApplicationContext ctx);

    /** The application: the starter's auto-configuration, a sink bean and a listener bean. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        static final FakeSink SINK = new FakeSink();
        static final List<String> STATES = new CopyOnWriteArrayList<>();

        @Bean
        FakeSink sink() {
            return SINK;
        }

        @Bean
        PipelineListener states() {
            return new PipelineListener() {
                @Override
                public void onStateChanged(PipelineState previous, PipelineState current) {
                    STATES.add(previous + "->" + current);
                }
            };
        }
    }

    /** The application.yml of docs/spring-boot.md, as Spring Boot reads such a file. */
    static List<PropertySource<?>> readmeYaml() throws Exception {
        String readme = Files.readString(Path.of("..", "docs", "spring-boot.md"));
        int start = readme.indexOf("```yaml\nmqtt2tdengine:\n");
        assertThat(start).as("the application.yml of docs/spring-boot.md").isNotNegative();
        String yaml = readme.substring(start + 8, readme.indexOf("```", start + 8));
        return new YamlPropertySourceLoader().load("README application.yml",
                new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readmeApplicationYml_runsEndToEnd_andTheContextCloseDrainsThePipeline() throws Exception {
        List<PropertySource<?>> yaml = readmeYaml();
        try (Mosquitto broker = Mosquitto.builder(Files.createDirectories(dir.resolve("broker"))).start()) {
            ConfigurableApplicationContext ctx = new SpringApplicationBuilder(App.class)
                    .initializers(c -> {
                        yaml.forEach(c.getEnvironment().getPropertySources()::addLast);
                        // as a command line would: above the file
                        c.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", Map.of(
                                "mqtt2tdengine.mqtt.endpoint", "127.0.0.1:" + broker.port(),
                                "TDENGINE_PASSWORD", "unused")));
                    })
                    .properties("spring.main.banner-mode=off")
                    .run();
            SyncPipeline pipeline = ctx.getBean(SyncPipeline.class);
            FakeSink sink = App.SINK;
            try {
                assertThat(pipeline.name()).isEqualTo("meters-sync");
                assertThat(pipeline.state()).isEqualTo(PipelineState.RUNNING);
                await().atMost(WAIT).until(() -> healthStatus(ctx).equals("UP"));
                long ts = System.currentTimeMillis();
                try (Publisher pub = new Publisher(broker.port())) {
                    for (int i = 0; i < 20; i++) {
                        pub.publish("plant/m" + (i % 4) + "/meters", "{\"id\":" + (i % 4) + ",\"current\":" + i
                                + ".5,\"ts\":" + (ts + i) + "}", 1);
                    }
                    await().atMost(WAIT).until(() -> sink.rows().size() == 20);
                    Row first = sink.rows().get(0);
                    assertThat(first.subTable()).startsWith("d");
                    MeterRegistry registry = ctx.getBean(MeterRegistry.class);
                    await().atMost(WAIT).until(() -> registry.get("mqtt2td.messages.acked")
                            .tag("pipeline", "meters-sync").functionCounter().count() == 20.0);
                    assertThat(registry.get("mqtt2td.data.lag").functionTimer().count()).isEqualTo(20.0);
                    assertThat(registry.get("mqtt2td.healthy").gauge().value()).isEqualTo(1.0);

                    // the drain: five messages held by a stalled sink when the context closes are written first
                    sink.block();
                    for (int i = 20; i < 25; i++) {
                        pub.publish("plant/m1/meters", "{\"id\":1,\"current\":1.0,\"ts\":" + (ts + i) + "}", 1);
                    }
                    await().atMost(WAIT).until(() -> pipeline.metrics().inFlight() == 5);
                }
                Thread unblock = new Thread(() -> {
                    await().atMost(WAIT).until(() -> pipeline.state() == PipelineState.CLOSING);
                    sink.unblock();
                });
                unblock.start();
                ctx.close();
                unblock.join(WAIT.toMillis());
                assertThat(pipeline.state()).isEqualTo(PipelineState.CLOSED);
                assertThat(sink.rows()).hasSize(25);
                assertThat(pipeline.metrics().acked()).isEqualTo(25);
                assertThat(pipeline.metrics().inFlight()).isZero();
                assertThat(App.STATES).containsSubsequence("NEW->STARTING", "STARTING->RUNNING", "RUNNING->CLOSING",
                        "CLOSING->CLOSED");
            } finally {
                sink.unblock();
                ctx.close();
            }
        }
    }

    /** An application without a sink of its own: the starter's TDengine sink, and its dead letters. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TdengineApp {
    }

    @Test
    void deadLetters_byDefaultInATdengineTable_plusFilesFromProperties_acknowledgedOnceStored() throws Exception {
        List<PropertySource<?>> yaml = readmeYaml();
        Path files = dir.resolve("dead-letters");
        try (Mosquitto broker = Mosquitto.builder(Files.createDirectories(dir.resolve("broker"))).start();
                TDengineRestServer server = new TDengineRestServer()) {
            server.createDatabase("power", "ms");
            ConfigurableApplicationContext ctx = new SpringApplicationBuilder(TdengineApp.class)
                    .initializers(c -> {
                        yaml.forEach(c.getEnvironment().getPropertySources()::addLast);
                        c.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", Map.of(
                                "mqtt2tdengine.mqtt.endpoint", "127.0.0.1:" + broker.port(),
                                "mqtt2tdengine.mqtt.client-id", "mqtt2td-dl-it",
                                "mqtt2tdengine.tdengine.url", server.url("power"),
                                "TDENGINE_PASSWORD", "taosdata",
                                "mqtt2tdengine.dead-letters.file.directory", files.toString(),
                                "mqtt2tdengine.dead-letters.file.max-files", "4")));
                    })
                    .properties("spring.main.banner-mode=off")
                    .run();
            SyncPipeline pipeline = ctx.getBean(SyncPipeline.class);
            try {
                assertThat(pipeline.metrics().deadLetterDestinations().keySet())
                        .containsExactly("tdengine", "file", "logging");
                long ts = System.currentTimeMillis();
                List<byte[]> bad = List.of("not json".getBytes(StandardCharsets.UTF_8),
                        "{\"id\":\"x\",\"current\":1,\"ts\":1}".getBytes(StandardCharsets.UTF_8),
                        new byte[] {'{', 0, (byte) 0xFF, '\'', '`', '}'});
                try (Publisher pub = new Publisher(broker.port())) {
                    for (int i = 0; i < 20; i++) {
                        pub.publish("plant/m" + (i % 4) + "/meters", "{\"id\":" + (i % 4) + ",\"current\":" + i
                                + ".5,\"ts\":" + (ts + i) + "}", 1);
                    }
                    for (byte[] b : bad) {
                        pub.publish("plant/x/meters", b, 1);
                    }
                }
                await().atMost(WAIT).until(() -> pipeline.metrics().acked() == 23);
                assertThat(server.rowCount("power", "meters")).isEqualTo(20);
                assertThat(server.rowCount("power", "mqtt2td_dead_letters")).isEqualTo(3);
                List<byte[]> inFiles = new java.util.ArrayList<>();
                for (String line : Files.readAllLines(files.resolve("dead-letters.jsonl"))) {
                    inFiles.add(DeadLetterEnvelope.decode(line.getBytes(StandardCharsets.UTF_8)).payload());
                }
                assertThat(inFiles).containsExactlyElementsOf(bad);
                assertThat(healthDetails(ctx).get("deadLetterDestinations")).isEqualTo(Map.of(
                        "tdengine", Map.of("stored", 3L, "pending", 0L, "failing", false),
                        "file", Map.of("stored", 3L, "pending", 0L, "failing", false),
                        "logging", Map.of("stored", 3L, "pending", 0L, "failing", false)));
                MeterRegistry registry = ctx.getBean(MeterRegistry.class);
                assertThat(registry.get("mqtt2td.dead.letters.stored").tag("destination", "tdengine").functionCounter()
                        .count()).isEqualTo(3.0);
            } finally {
                ctx.close();
            }
        }
    }
}
