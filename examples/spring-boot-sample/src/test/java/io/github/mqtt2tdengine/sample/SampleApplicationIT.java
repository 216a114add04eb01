package io.github.mqtt2tdengine.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.mqtt.testing.Mosquitto;
import io.github.mqtt2tdengine.mqtt.testing.Publisher;
import io.github.mqtt2tdengine.tdengine.testing.TDengineRestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sample service as it ships (its application.yml, its beans), against a real mosquitto and the REST test server
 * of the tdengine module (jdbc:TAOS-RS), Actuator over real HTTP.
 */
class SampleApplicationIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void sample_syncsIntoTdengine_andServesHealthAndPrometheusOverHttp() throws Exception {
        try (Mosquitto broker = Mosquitto.builder(Files.createDirectories(dir.resolve("broker"))).start();
                TDengineRestServer td = new TDengineRestServer("root", "taosdata")) {
            ConfigurableApplicationContext ctx = SpringApplication.run(SampleApplication.class,
                    "--server.port=0", "--server.address=127.0.0.1",
                    "--MQTT_ENDPOINT=127.0.0.1:" + broker.port(), "--TDENGINE_URL=" + td.url("power"));
            try {
                int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
                HttpClient http = HttpClient.newHttpClient();
                URI base = URI.create("http://127.0.0.1:" + port);
                HttpResponse<String> health = get(http, base.resolve("/actuator/health/mqtt2tdengine"));
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
                await().atMost(WAIT).until(() -> td.rowCount("power", "meters") == 8
                        && get(http, base.resolve("/actuator/prometheus")).body()
                                .contains("mqtt2td_messages_acked_total{pipeline=\"meters-sync\"} 10.0"));
                String prometheus = get(http, base.resolve("/actuator/prometheus")).body();
                assertThat(prometheus)
                        .contains("mqtt2td_rows_written_total{pipeline=\"meters-sync\"} 8.0")
                        .contains("mqtt2td_rows_filtered_total{pipeline=\"meters-sync\"} 1.0")
                        .contains("mqtt2td_dead_letters_total{pipeline=\"meters-sync\",reason=\"invalid_payload\"} 1.0")
                        .contains("mqtt2td_data_lag_seconds_count{pipeline=\"meters-sync\"} 8");
                assertThat(get(http, base.resolve("/actuator/health")).body()).contains("\"mqtt2tdengine\":{\"status\":\"UP\"");
            } finally {
                ctx.close();
            }
        }
    }

    private static HttpResponse<String> get(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
