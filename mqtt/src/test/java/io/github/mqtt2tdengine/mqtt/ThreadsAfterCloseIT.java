package io.github.mqtt2tdengine.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.errors.TransportException;
import io.github.mqtt2tdengine.mqtt.testing.Mosquitto;
import io.github.mqtt2tdengine.mqtt.testing.Publisher;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.InboundMessage;
import io.github.mqtt2tdengine.spi.TransportContext;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A host's JVM exits when its {@code main} returns: after {@code close()} no thread the pipeline started (writers,
 * the MQTT client's network thread, Paho's threads) is left, for every protocol version and session kind. Persistent
 * sessions are the case that matters: the HiveMQ client keeps its own event loop until the session expires.
 */
class ThreadsAfterCloseIT {
    @TempDir
    static Path dir;
    private static Mosquitto broker;

    @BeforeAll
    static void start() throws Exception {
        broker = Mosquitto.builder(Files.createDirectories(dir.resolve("broker"))).start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static Set<Thread> threads() {
        return Thread.getAllStackTraces().keySet();
    }

    private static List<String> newNonDaemon(Set<Thread> before) {
        return threads().stream().filter(t -> t.isAlive() && !t.isDaemon() && !before.contains(t))
                .map(Thread::getName).sorted().collect(Collectors.toList());
    }

    @ParameterizedTest(name = "MQTT {0}, clean session {1}")
    @CsvSource({"3.1, true", "3.1, false", "3.1.1, true", "3.1.1, false", "5.0, true", "5.0, false"})
    void close_afterRunning_leavesNoNonDaemonThread(String version, boolean clean) {
        Set<Thread> before = threads();
        String topic = "threads/" + version + "/" + clean;
        FakeSink sink = new FakeSink();
        SyncPipeline p = SyncPipeline.builder().name("threads")
                .source(MqttTransport.builder().endpoint("127.0.0.1:" + broker.port()).protocolVersion(version)
                        .clientId("thr-" + version.replace('.', '-') + "-" + clean).cleanSession(clean)
                        .subscribe(topic + "/+").build())
                .payload(PayloadSpec.json().timestamp("$.ts", TimestampUnit.MILLISECONDS)
                        .tag("id", "$.id", ColumnType.INT).column("seq", "$.seq", ColumnType.BIGINT).build())
                .superTable("meters").subTableTemplate("d{id}").sink(sink).build();
        p.start();
        assertThat(newNonDaemon(before)).as("threads while running").isNotEmpty();
        try (Publisher pub = new Publisher(broker.port())) {
            pub.publishRange(topic + "/m", 0, 50, 1, 5);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> p.metrics().acked() == 50);
        p.close();
        await().pollInSameThread().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(newNonDaemon(before))
                .as("non-daemon threads left after close()").isEmpty());
        assertThat(sink.rows()).hasSize(50);
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.1", "3.1.1", "5.0"})
    void close_withTheMqttDeadLetterDestination_leavesNoNonDaemonThread(String version) {
        Set<Thread> before = threads();
        String v = version.replace('.', '-');
        MqttTransport source = MqttTransport.builder().endpoint("127.0.0.1:" + broker.port()).protocolVersion(version)
                .clientId("thr-dl-" + v).subscribe("thr-dl/" + v + "/+").build();
        SyncPipeline p = SyncPipeline.builder().name("threads-dl").source(source)
                .payload(PayloadSpec.json().timestamp("$.ts", TimestampUnit.MILLISECONDS)
                        .tag("id", "$.id", ColumnType.INT).build())
                .superTable("meters").subTableTemplate("d{id}").sink(new FakeSink())
                .deadLetterHandler(MqttDeadLetters.builder().connection(source).keeper("thr-keeper-" + v).build())
                .build();
        p.start();
        try (Publisher pub = new Publisher(broker.port())) {
            for (int i = 0; i < 5; i++) {
                pub.publish("thr-dl/" + v + "/m", "not json " + i, 1);
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> p.metrics().acked() == 5);
        assertThat(p.metrics().deadLetterDestinations().get("mqtt").stored()).isEqualTo(5);
        p.close();
        await().pollInSameThread().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(newNonDaemon(before))
                .as("non-daemon threads left after close()").isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.1", "3.1.1", "5.0"})
    void close_afterFailedStart_isQuietAndLeavesNoThread(String version) throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Set<Thread> before = threads();
        MqttTransport t = MqttTransport.builder().endpoint("127.0.0.1:" + closedPort).protocolVersion(version)
                .clientId("thr-fail-" + version.replace('.', '-')).cleanSession(false)
                .connectTimeout(Duration.ofSeconds(2)).subscribe("x/#").build();
        assertThatThrownBy(() -> t.start(new TransportContext() {
            @Override
            public void onMessage(InboundMessage message) {
                message.acknowledge();
            }
        })).isInstanceOf(TransportException.class).hasMessageContaining("127.0.0.1:" + closedPort)
                .hasMessageContaining("refused");
        assertThatCode(t::close).doesNotThrowAnyException();
        await().pollInSameThread().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(newNonDaemon(before)).isEmpty());
    }
}
