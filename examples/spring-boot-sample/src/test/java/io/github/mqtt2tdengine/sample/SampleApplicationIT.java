package io.github.mqtt2tdengine.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mqtt2tdengine.PipelineState;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.mqtt.testing.Mosquitto;
import io.github.mqtt2tdengine.mqtt.testing.Publisher;
import io.github.mqtt2tdengine.tdengine.testing.TDenginePeer;
import io.github.mqtt2tdengine.tdengine.testing.TDengineRestServer;
import io.netty.util.Version;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sample service as it ships (its application.yml, its beans, the class path its pom gives it: Boot's parent, so
 * Boot's managed Netty, Jackson and JsonPath), against a real mosquitto and every TDengine present: the REST test
 * server always, a real TDengine over native, WebSocket and REST when {@code TDENGINE_*_URL} are set. Actuator over
 * real HTTP: health, Prometheus, and a shutdown that drains the messages in flight. Shared by the Boot 4.1 sample and
 * the Boot 3.5 one ({@code examples/spring-boot3-sample} compiles this directory).
 */
class SampleApplicationIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    static Stream<TDenginePeer.Server> servers() {
        return TDenginePeer.Server.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void sample_syncsIntoTdengine_andServesHealthAndPrometheusOverHttp(TDenginePeer.Server server) throws Exception {
        System.out.printf("SampleApplicationIT: Spring Boot %s, Netty %s, on %s%n", SpringBootVersion.getVersion(),
                Version.identify().values().stream().map(Version::artifactVersion).distinct().sorted().toList(), server);
        try (TDenginePeer peer = server.open();
                Mosquitto broker = Mosquitto.builder(Files.createDirectories(dir.resolve("broker"))).start()) {
            String db = peer.database("sample");
            ConfigurableApplicationContext ctx = start(broker, peer.url(db), db, peer.user(), peer.password());
            try {
                URI base = base(ctx);
                HttpResponse<String> health = get(base.resolve("/actuator/health/mqtt2tdengine"));
                assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
                assertThat(health.body()).contains("\"status\":\"UP\"").contains("running and connected");

                long ts = System.currentTimeMillis();
                try (Publisher pub = new Publisher(broker.port())) {
                    for (int i = 0; i < 8; i++) {
                        pub.publish("plant/m1/meters", "{\"id\":" + (i % 2) + ",\"current\":" + i + ".5,\"ts\":"
                                + (ts + i) + "}", 1);
                    }
                    pub.publish("plant/m1/meters", "{\"id\":1,\"current\":-3.0,\"ts\":" + (ts + 8) + "}", 1);
                    pub.publish("plant/m1/meters", "{\"id\":1,\"current\":", 1);
                }
                await().atMost(WAIT).until(() -> peer.rowCount(db, "meters") == 8
                        && get(base.resolve("/actuator/prometheus")).body()
                                .contains("mqtt2td_messages_acked_total{pipeline=\"meters-sync\"} 10.0"));
                String prometheus = get(base.resolve("/actuator/prometheus")).body();
                assertThat(prometheus)
                        .contains("mqtt2td_rows_written_total{pipeline=\"meters-sync\"} 8.0")
                        .contains("mqtt2td_rows_filtered_total{pipeline=\"meters-sync\"} 1.0")
                        .contains("mqtt2td_dead_letters_total{pipeline=\"meters-sync\",reason=\"invalid_payload\"} 1.0")
                        .contains("mqtt2td_data_lag_seconds_count{pipeline=\"meters-sync\"} 8");
                JsonNode all = JSON.readTree(get(base.resolve("/actuator/health")).body());
                assertThat(all.path("components").path("mqtt2tdengine").path("status").asText()).isEqualTo("UP");
                // the starter's default dead-letter table, beside the data
                assertThat(peer.rowCount(db, "mqtt2td_dead_letters")).isEqualTo(1);
            } finally {
                ctx.close();
            }
        }
    }

    @Test
    void shutdownOverHttp_drainsTheMessagesInFlight_intoTdengine_beforeTheServiceStops() throws Exception {
        try (TDengineRestServer td = new TDengineRestServer("root", "taosdata");
                Mosquitto broker = Mosquitto.builder(Files.createDirectories(dir.resolve("broker"))).start()) {
            ConfigurableApplicationContext ctx = start(broker, td.url("power"), "power", "root", "taosdata",
                    "--management.endpoints.web.exposure.include=health,prometheus,shutdown",
                    "--management.endpoint.shutdown.access=unrestricted");
            SyncPipeline pipeline = ctx.getBean(SyncPipeline.class);
            URI base = base(ctx);
            await().atMost(WAIT).until(() -> get(base.resolve("/actuator/health/mqtt2tdengine")).statusCode() == 200);
            td.delay(700); // every write now takes 0.7 s: messages wait in flight
            long ts = System.currentTimeMillis();
            try (Publisher pub = new Publisher(broker.port())) {
                for (int i = 0; i < 40; i++) {
                    pub.publish("plant/m" + (i % 4) + "/meters", "{\"id\":" + (i % 4) + ",\"current\":" + i
                            + ".5,\"ts\":" + (ts + i) + "}", 1);
                }
            }
            // as an operator sees it: the health endpoint counts the messages not yet written
            await().atMost(WAIT).until(() -> inFlight(base) >= 20);
            long inFlightAtShutdown = inFlight(base);
            HttpResponse<String> shutdown = http.send(HttpRequest.newBuilder(base.resolve("/actuator/shutdown"))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(shutdown.statusCode()).as(shutdown.body()).isEqualTo(200);
            await().atMost(WAIT).until(() -> !ctx.isActive());
            assertThat(pipeline.state()).isEqualTo(PipelineState.CLOSED);
            // everything received was written and acknowledged before the service stopped; nothing left in flight
            assertThat(td.rowCount("power", "meters")).isEqualTo(40);
            assertThat(pipeline.metrics().acked()).isEqualTo(40);
            assertThat(pipeline.metrics().inFlight()).isZero();
            System.out.printf("SampleApplicationIT: %d messages in flight at POST /actuator/shutdown, all 40 written "
                    + "and acknowledged before the context closed%n", inFlightAtShutdown);
        }
    }

    private static ConfigurableApplicationContext start(Mosquitto broker, String url, String database, String user,
            String password, String... more) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                "--MQTT_ENDPOINT=127.0.0.1:" + broker.port(), "--TDENGINE_URL=" + url,
                "--TDENGINE_PASSWORD=" + password, "--mqtt2tdengine.tdengine.database=" + database,
                "--mqtt2tdengine.tdengine.user=" + user));
        args.addAll(List.of(more));
        return SpringApplication.run(SampleApplication.class, args.toArray(String[]::new));
    }

    /** The web server's address: {@code local.server.port}, which Boot 3.5 and 4 both publish. */
    private static URI base(ConfigurableApplicationContext ctx) {
        return URI.create("http://127.0.0.1:" + ctx.getEnvironment().getProperty("local.server.port"));
    }

    private long inFlight(URI base) throws Exception {
        JsonNode health = JSON.readTree(get(base.resolve("/actuator/health/mqtt2tdengine")).body());
        return health.path("details").path("inFlight").asLong();
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
