package io.github.mqtt2tdengine.mqtt;

import static io.github.mqtt2tdengine.mqtt.testing.Seqs.range;
import static io.github.mqtt2tdengine.mqtt.testing.Seqs.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.PipelineListener;
import io.github.mqtt2tdengine.PipelineState;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.errors.TransportException;
import io.github.mqtt2tdengine.mqtt.testing.Mosquitto;
import io.github.mqtt2tdengine.mqtt.testing.Publisher;
import io.github.mqtt2tdengine.mqtt.testing.TestCerts;
import io.github.mqtt2tdengine.spi.ConnectionState;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The MQTT transport against a real mosquitto broker on 127.0.0.1, with the real HiveMQ and Paho clients. */
class MqttTransportIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path shared;
    private static TestCerts certs;
    private static Mosquitto broker;
    private static Mosquitto secured;

    private final List<SyncPipeline> pipelines = new ArrayList<>();

    @BeforeAll
    static void brokers() throws Exception {
        certs = TestCerts.generate(Files.createDirectories(shared.resolve("certs")));
        broker = Mosquitto.builder(Files.createDirectories(shared.resolve("plain"))).websockets().start();
        secured = Mosquitto.builder(Files.createDirectories(shared.resolve("secured"))).user("ingest", "s3cret!pw")
                .tls(certs).start();
    }

    @AfterAll
    static void stopBrokers() {
        if (broker != null) {
            broker.close();
        }
        if (secured != null) {
            secured.close();
        }
    }

    @AfterEach
    void closePipelines() {
        pipelines.forEach(SyncPipeline::close);
    }

    private SyncPipeline pipeline(MqttTransport transport, FakeSink sink, PipelineListener... listeners) {
        SyncPipeline.Builder b = SyncPipeline.builder().name("it").source(transport).sink(sink).payload(Publisher.spec())
                .superTable("meters").subTableTemplate("d{id}").batching(200, Duration.ofMillis(20));
        for (PipelineListener l : listeners) {
            b.listener(l);
        }
        SyncPipeline p = b.build();
        pipelines.add(p);
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.1", "3.1.1", "5.0"})
    void eachProtocolVersion_deliversEveryMessageAndAcksIt(String version) {
        FakeSink sink = new FakeSink();
        SyncPipeline p = pipeline(MqttTransport.builder().endpoint("127.0.0.1:" + broker.port())
                .protocolVersion(version).clientId("it-v" + version.replace('.', '-')).topics("v/" + version + "/#::1")
                .build(), sink);
        p.start();
        try (Publisher pub = new Publisher(broker.port())) {
            pub.publishRange("v/" + version + "/meters", 0, 300, 1, 10);
        }
        await().atMost(WAIT).until(() -> p.metrics().acked() == 300);
        assertThat(seqs(sink)).isEqualTo(range(0, 300));
        Row row = sink.rows().get(0);
        assertThat(row.column("topic")).isEqualTo("v/" + version + "/meters");
        assertThat(row.column("qos")).isEqualTo(1L);
        assertThat(p.metrics().connectionState()).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void topics_wildcardsAndPerTopicQos_deliverOnlyMatches_atGrantedQos() {
        FakeSink sink = new FakeSink();
        SyncPipeline p = pipeline(MqttTransport.builder().endpoint("127.0.0.1:" + broker.port())
                .topics("plant/+/meters::1,alarms/#::0").build(), sink);
        p.start();
        try (Publisher pub = new Publisher(broker.port())) {
            pub.publish("plant/a/meters", Publisher.payload(1, 10), 1);
            pub.publish("plant/a/b/meters", Publisher.payload(2, 10), 1);
            pub.publish("alarms/x/y", Publisher.payload(3, 10), 1);
            pub.publish("other/z", Publisher.payload(4, 10), 1);
            pub.publish("alarms", Publisher.payload(5, 10), 2);
        }
        await().atMost(WAIT).until(() -> sink.rows().size() == 3);
        assertThat(sink.rows()).extracting(r -> r.column("topic") + "@" + r.column("qos"))
                .containsExactlyInAnyOrder("plant/a/meters@1", "alarms/x/y@0", "alarms@0");
    }

    @Test
    void credentials_rightPasswordConnects_wrongPasswordIsRefusedWithoutShowingIt() {
        FakeSink sink = new FakeSink();
        SyncPipeline ok = pipeline(MqttTransport.builder().serverHost("127.0.0.1").serverPort(secured.port())
                .credentials("ingest", "s3cret!pw").subscribe("auth/#").build(), sink);
        ok.start();
        assertThat(ok.state()).isEqualTo(PipelineState.RUNNING);

        for (String version : new String[] {"5.0", "3.1.1", "3.1"}) {
            MqttTransport bad = MqttTransport.builder().serverHost("127.0.0.1").serverPort(secured.port())
                    .protocolVersion(version).clientId("wrong-pw").credentials("ingest", "not-the-password")
                    .subscribe("auth/#").build();
            SyncPipeline p = pipeline(bad, new FakeSink());
            assertThatThrownBy(p::start).isInstanceOf(TransportException.class)
                    .hasMessageStartingWith("MQTT broker 127.0.0.1:" + secured.port()
                            + " refused the connection of client 'wrong-pw': ")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-password"));
            assertThat(p.state()).isEqualTo(PipelineState.FAILED);
        }
        MqttTransport anonymous = MqttTransport.builder().serverHost("127.0.0.1").serverPort(secured.port())
                .clientId("anon").subscribe("auth/#").build();
        assertThatThrownBy(pipeline(anonymous, new FakeSink())::start).isInstanceOf(TransportException.class)
                .hasMessageContaining("refused the connection of client 'anon'");
    }

    @Test
    void unreachableBroker_failsStartQuicklyWithClearMessage() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        SyncPipeline p = pipeline(MqttTransport.builder().endpoint("127.0.0.1:" + closedPort)
                .connectTimeout(Duration.ofSeconds(3)).subscribe("x").build(), new FakeSink());
        long t0 = System.nanoTime();
        assertThatThrownBy(p::start).isInstanceOf(TransportException.class)
                .hasMessageStartingWith("MQTT connect to 127.0.0.1:" + closedPort + " failed: connection refused");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(6_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.1", "5.0"})
    void tls_caOnly_connects_wrongCaAndHostnameMismatchAreRefused(String version) {
        TlsConfig caOnly = TlsConfig.builder().caPem(certs.pem("ca.crt")).build();
        SyncPipeline ok = pipeline(MqttTransport.builder().endpoint("127.0.0.1:" + secured.tlsPort())
                .protocolVersion(version).credentials("ingest", "s3cret!pw").tls(caOnly).subscribe("tls/#").build(),
                new FakeSink());
        ok.start();
        assertThat(ok.state()).isEqualTo(PipelineState.RUNNING);

        TlsConfig wrongCa = TlsConfig.builder().caPem(certs.pem("other-ca.crt")).build();
        SyncPipeline untrusted = pipeline(MqttTransport.builder().endpoint("127.0.0.1:" + secured.tlsPort())
                .protocolVersion(version).credentials("ingest", "s3cret!pw").tls(wrongCa).subscribe("tls/#")
                .connectTimeout(Duration.ofSeconds(5)).build(), new FakeSink());
        assertThatThrownBy(untrusted::start).isInstanceOf(TransportException.class)
                .hasMessageContaining("127.0.0.1:" + secured.tlsPort())
                .hasMessageContaining("TLS handshake failed");

        SyncPipeline wrongHost = pipeline(MqttTransport.builder().endpoint("127.0.0.1:"
                + secured.tlsLocalhostOnlyPort()).protocolVersion(version).credentials("ingest", "s3cret!pw")
                .tls(caOnly).subscribe("tls/#").connectTimeout(Duration.ofSeconds(5)).build(), new FakeSink());
        assertThatThrownBy(wrongHost::start).isInstanceOf(TransportException.class)
                .hasMessageContaining("TLS handshake failed");

        TlsConfig noHostCheck = TlsConfig.builder().caPem(certs.pem("ca.crt")).hostnameVerification(false).build();
        SyncPipeline relaxed = pipeline(MqttTransport.builder().endpoint("127.0.0.1:"
                + secured.tlsLocalhostOnlyPort()).protocolVersion(version).credentials("ingest", "s3cret!pw")
                .tls(noHostCheck).subscribe("tls/#").build(), new FakeSink());
        relaxed.start();
        assertThat(relaxed.state()).isEqualTo(PipelineState.RUNNING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.1", "5.0"})
    void tls_expiredServerCertificate_isRefused(String version) {
        SyncPipeline p = pipeline(MqttTransport.builder().endpoint("127.0.0.1:" + secured.tlsExpiredPort())
                .protocolVersion(version).credentials("ingest", "s3cret!pw")
                .tls(TlsConfig.builder().caPem(certs.pem("ca.crt")).build()).subscribe("tls/#")
                .connectTimeout(Duration.ofSeconds(5)).build(), new FakeSink());
        assertThatThrownBy(p::start).isInstanceOf(TransportException.class)
                .hasMessageContaining("127.0.0.1:" + secured.tlsExpiredPort())
                .hasMessageContaining("TLS handshake failed")
                .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("expired"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"client-ec.sec1.pem", "client-ec.pkcs8.pem"})
    void mutualTls_fromPemContents_deliversMessages(String keyFile) {
        String cert = keyFile.startsWith("client-ec") ? "client-ec.crt" : "client-rsa.crt";
        TlsConfig mtls = TlsConfig.builder().caPem(certs.pem("ca.crt")).clientCertPem(certs.pem(cert))
                .clientKeyPem(certs.pem(keyFile)).build();
        FakeSink sink = new FakeSink();
        SyncPipeline p = pipeline(MqttTransport.builder().endpoint("127.0.0.1:" + secured.mtlsPort())
                .credentials("ingest", "s3cret!pw").tls(mtls).subscribe("mtls/#").build(), sink);
        p.start();
        assertThat(p.state()).isEqualTo(PipelineState.RUNNING);
        assertThat(mtls.toString()).doesNotContain("PRIVATE KEY");

        TlsConfig noClientCert = TlsConfig.builder().caPem(certs.pem("ca.crt")).build();
        SyncPipeline refused = pipeline(MqttTransport.builder().endpoint("127.0.0.1:" + secured.mtlsPort())
                .credentials("ingest", "s3cret!pw").tls(noClientCert).subscribe("mtls/#")
                .connectTimeout(Duration.ofSeconds(5)).build(), new FakeSink());
        assertThatThrownBy(refused::start).isInstanceOf(TransportException.class)
                .hasMessageContaining("127.0.0.1:" + secured.mtlsPort());
    }

    @Test
    void mutualTls_rsaPkcs1Key_fromFiles() {
        TlsConfig mtls = TlsConfig.builder().caFile(certs.path("ca.crt")).clientCertFile(certs.path("client-rsa.crt"))
                .clientKeyFile(certs.path("client-rsa.pkcs1.pem")).build();
        SyncPipeline p = pipeline(MqttTransport.builder().endpoint("127.0.0.1:" + secured.mtlsPort())
                .protocolVersion("3.1.1").credentials("ingest", "s3cret!pw").tls(mtls).subscribe("mtls/#").build(),
                new FakeSink());
        p.start();
        assertThat(p.state()).isEqualTo(PipelineState.RUNNING);
    }

    @Test
    void webSocket_deliversMessages() {
        FakeSink sink = new FakeSink();
        SyncPipeline p = pipeline(MqttTransport.builder().endpoint("127.0.0.1:" + broker.wsPort())
                .webSocket("/mqtt").subscribe("ws/#").build(), sink);
        p.start();
        try (Publisher pub = new Publisher(broker.port())) {
            pub.publishRange("ws/meters", 0, 20, 1, 5);
        }
        await().atMost(WAIT).until(() -> p.metrics().acked() == 20);
        assertThat(seqs(sink)).isEqualTo(range(0, 20));
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.1", "3.1.1", "5.0"})
    void persistentSession_pipelineRestarted_receivesBacklog_andNothingAlreadyAcked(String version) {
        String id = "it-backlog-" + version.replace('.', '-');
        String topic = "backlog/" + version;
        FakeSink first = new FakeSink();
        SyncPipeline a = pipeline(MqttTransport.builder().endpoint("127.0.0.1:" + broker.port())
                .protocolVersion(version).clientId(id).cleanSession(false).subscribe(topic + "/#").build(), first);
        a.start();
        try (Publisher pub = new Publisher(broker.port())) {
            pub.publishRange(topic + "/m", 0, 100, 1, 10);
            await().atMost(WAIT).until(() -> a.metrics().acked() == 100);
            a.close();
            pub.publishRange(topic + "/m", 100, 600, 1, 10);
        }
        FakeSink second = new FakeSink();
        SyncPipeline b = pipeline(MqttTransport.builder().endpoint("127.0.0.1:" + broker.port())
                .protocolVersion(version).clientId(id).cleanSession(false).subscribe(topic + "/#").build(), second);
        b.start();
        await().atMost(WAIT).until(() -> seqs(second).size() == 500);
        assertThat(seqs(first)).isEqualTo(range(0, 100));
        assertThat(seqs(second)).isEqualTo(range(100, 600));
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.1", "3.1.1", "5.0"})
    void brokerRestartedMidStream_persistentSession_everyMessageCommitted(String version) throws Exception {
        Mosquitto own = Mosquitto.builder(Files.createDirectories(shared.resolve("restart-" + version))).start();
        try {
            FakeSink sink = new FakeSink();
            List<ConnectionState> states = new CopyOnWriteArrayList<>();
            SyncPipeline p = pipeline(MqttTransport.builder().endpoint("127.0.0.1:" + own.port())
                    .protocolVersion(version).clientId("it-restart").cleanSession(false).subscribe("r/#")
                    .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(500)).build(), sink,
                    new PipelineListener() {
                        @Override
                        public void onConnectionStateChanged(ConnectionState state, String detail) {
                            states.add(state);
                        }
                    });
            p.start();
            int total = 2_000;
            try (Publisher pub = new Publisher(own.port())) {
                pub.publishRange("r/m", 0, total / 2, 1, 20);
                own.restart();
                pub.publishRange("r/m", total / 2, total, 1, 20);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> seqs(sink).size() == total);
            assertThat(seqs(sink)).isEqualTo(range(0, total));
            assertThat(states).contains(ConnectionState.RECONNECTING);
            assertThat(states.get(states.size() - 1)).isEqualTo(ConnectionState.CONNECTED);
            assertThat(p.state()).isEqualTo(PipelineState.RUNNING);
        } finally {
            own.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.1", "3.1.1", "5.0"})
    void brokerRestarted_withCredentials_reconnectLogsInAgain(String version) throws Exception {
        // the HiveMQ client's automatic reconnect sends only the credentials set on the client, not those of the
        // first CONNECT (hivemq-mqtt-client#574): a broker that checks them refused every reconnect
        Mosquitto own = Mosquitto.builder(Files.createDirectories(shared.resolve("auth-restart-" + version)))
                .user("ingest", "s3cret!pw").start();
        try {
            List<ConnectionState> states = new CopyOnWriteArrayList<>();
            SyncPipeline p = pipeline(MqttTransport.builder().endpoint("127.0.0.1:" + own.port())
                    .protocolVersion(version).clientId("it-auth-restart").cleanSession(false)
                    .credentials("ingest", "s3cret!pw").subscribe("ar/#")
                    .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(500)).build(), new FakeSink(),
                    new PipelineListener() {
                        @Override
                        public void onConnectionStateChanged(ConnectionState state, String detail) {
                            states.add(state);
                        }
                    });
            p.start();
            own.restart();
            await().atMost(WAIT).until(() -> states.contains(ConnectionState.RECONNECTING)
                    && p.metrics().connectionState() == ConnectionState.CONNECTED);
            assertThat(p.state()).isEqualTo(PipelineState.RUNNING);
        } finally {
            own.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.1", "5.0"})
    void close_afterTheDrainPausedTheTransport_returnsPromptly(String version) {
        // the drain pauses the transport (reads held); the disconnect must still see the broker close the connection
        SyncPipeline p = pipeline(MqttTransport.builder().endpoint("127.0.0.1:" + broker.port())
                .protocolVersion(version).clientId("it-close").subscribe("close/#").build(), new FakeSink());
        p.start();
        long t0 = System.nanoTime();
        p.close();
        assertThat((System.nanoTime() - t0) / 1_000_000).as("close() in ms").isLessThan(2_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.1", "3.1.1", "5.0"})
    void brokerRestartedWithoutPersistence_sessionLostIsCounted_clientResubscribes(String version) throws Exception {
        Mosquitto own = Mosquitto.builder(Files.createDirectories(shared.resolve("no-persistence-" + version)))
                .persistence(false).start();
        try {
            FakeSink sink = new FakeSink();
            SyncPipeline p = pipeline(MqttTransport.builder().endpoint("127.0.0.1:" + own.port())
                    .protocolVersion(version).clientId("it-resub").cleanSession(false).subscribe("s/#")
                    .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(500)).build(), sink);
            p.start();
            assertThat(p.metrics().sessionsLost()).as("the first connect of a session is no loss").isZero();
            own.restart();
            await().atMost(WAIT).until(() -> p.metrics().reconnects() == 1
                    && p.metrics().connectionState() == ConnectionState.CONNECTED);
            // MQTT 3.1's CONNACK has no session-present flag: a lost session cannot be told there
            assertThat(p.metrics().sessionsLost()).as("sessionPresent=false after the reconnect")
                    .isEqualTo("3.1".equals(version) ? 0 : 1);
            try (Publisher pub = new Publisher(own.port())) {
                await().atMost(WAIT).until(() -> {
                    pub.publish("s/m", Publisher.payload(7, 1), 1);
                    return !sink.rows().isEmpty();
                });
            }
        } finally {
            own.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.1", "3.1.1", "5.0"})
    void unacknowledgedMessages_redeliveredAfterBrokerRestart_areCountedAsRedelivered(String version)
            throws Exception {
        Mosquitto own = Mosquitto.builder(Files.createDirectories(shared.resolve("dup-" + version))).maxInflight(0)
                .start();
        try {
            FakeSink sink = new FakeSink().block();
            SyncPipeline p = pipeline(MqttTransport.builder().endpoint("127.0.0.1:" + own.port())
                    .protocolVersion(version).clientId("it-dup").cleanSession(false).subscribe("dup/#")
                    .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(500)).build(), sink);
            p.start();
            try (Publisher pub = new Publisher(own.port())) {
                pub.publishRange("dup/m", 0, 50, 1, 5);
            }
            await().atMost(WAIT).until(() -> p.metrics().received() == 50);
            assertThat(p.metrics().redelivered()).isZero();
            // SIGTERM: mosquitto saves the session with its 50 unacknowledged deliveries and sends them again, with
            // the DUP flag, once the client is back
            own.restart();
            await().atMost(WAIT).until(() -> p.metrics().redelivered() == 50);
            assertThat(p.metrics().sessionsLost()).isZero();
            sink.unblock();
            await().atMost(WAIT).until(() -> p.metrics().acked() == 100);
            assertThat(seqs(sink)).isEqualTo(range(0, 50));
        } finally {
            own.close();
        }
    }

    @Test
    void sharedSubscription_twoPipelines_splitTheLoad_nothingLost() {
        FakeSink sinkA = new FakeSink();
        FakeSink sinkB = new FakeSink();
        SyncPipeline a = pipeline(MqttTransport.builder().endpoint("127.0.0.1:" + broker.port()).clientId("share-a")
                .topics("$share/g/shared/#::1").build(), sinkA);
        SyncPipeline b = pipeline(MqttTransport.builder().endpoint("127.0.0.1:" + broker.port()).clientId("share-b")
                .topics("$share/g/shared/#::1").build(), sinkB);
        a.start();
        b.start();
        try (Publisher pub = new Publisher(broker.port())) {
            pub.publishRange("shared/m", 0, 1_000, 1, 10);
        }
        await().atMost(WAIT).until(() -> a.metrics().acked() + b.metrics().acked() == 1_000);
        Set<Long> union = new TreeSet<>(seqs(sinkA));
        union.addAll(seqs(sinkB));
        assertThat(union).isEqualTo(range(0, 1_000));
        assertThat(seqs(sinkA)).isNotEmpty();
        assertThat(seqs(sinkB)).isNotEmpty();
        assertThat(seqs(sinkA).size() + seqs(sinkB).size()).isEqualTo(1_000);
    }

    @Test
    void slowSink_backlogStaysInBroker_boundedByBrokerWindow() throws Exception {
        // mosquitto's max_inflight_messages is the window; the pipeline's in-flight bound matches it
        Mosquitto own = Mosquitto.builder(Files.createDirectories(shared.resolve("flow"))).maxInflight(20).start();
        try {
            FakeSink sink = new FakeSink().block();
            SyncPipeline p = SyncPipeline.builder().name("flow").source(MqttTransport.builder()
                    .endpoint("127.0.0.1:" + own.port()).clientId("it-flow").subscribe("flow/#").build())
                    .sink(sink).payload(Publisher.spec()).superTable("meters").subTableTemplate("d{id}")
                    .batching(5, Duration.ofMillis(5)).maxInFlight(20).build();
            pipelines.add(p);
            p.start();
            try (Publisher pub = new Publisher(own.port())) {
                pub.publishRange("flow/m", 0, 300, 1, 10);
            }
            await().atMost(WAIT).until(() -> p.metrics().inFlight() == 20);
            assertThat(p.metrics().received()).as("the other 280 wait in the broker").isEqualTo(20);
            assertThat(p.metrics().peakInFlight()).isEqualTo(20);
            sink.unblock();
            await().atMost(WAIT).until(() -> p.metrics().acked() == 300);
            assertThat(seqs(sink)).isEqualTo(range(0, 300));
        } finally {
            own.close();
        }
    }

    @Test
    void receiveMaximumTiedToPipeline_isSentToBroker() throws Exception {
        Mosquitto own = Mosquitto.builder(Files.createDirectories(shared.resolve("rm"))).maxInflight(0).start();
        try {
            FakeSink sink = new FakeSink().block();
            SyncPipeline p = SyncPipeline.builder().name("rm").source(MqttTransport.builder()
                    .endpoint("127.0.0.1:" + own.port()).clientId("it-rm").subscribe("rm/#")
                    .receiveMaximumFromPipeline().build())
                    .sink(sink).payload(Publisher.spec()).superTable("meters").subTableTemplate("d{id}")
                    .batching(5, Duration.ofMillis(5)).maxInFlight(15).build();
            pipelines.add(p);
            p.start();
            try (Publisher pub = new Publisher(own.port())) {
                pub.publishRange("rm/m", 0, 100, 1, 10);
            }
            await().atMost(WAIT).until(() -> p.metrics().inFlight() == 15);
            assertThat(p.metrics().received()).as("the broker honours the receive maximum").isEqualTo(15);
            sink.unblock();
        } finally {
            own.close();
        }
    }

    /**
     * Most messages the socket reads under way at a pause can hold, which the client still delivers: two Netty reads
     * of at most 64 KiB (one with NIO, two with native epoll); the smallest packet here is the payload, a 6-byte topic
     * and 4 to 6 header bytes.
     */
    private static final int READS_UNDER_WAY = 2 * 64 * 1024 / (Publisher.payload(0, 10).length() + 6 + 4);

    @ParameterizedTest
    @ValueSource(strings = {"3.1", "3.1.1", "5.0"})
    void pause_stopsReadingTheSocket_inFlightHeldAtBound_evenWithAnUnlimitedBrokerWindow(String version)
            throws Exception {
        Mosquitto own = Mosquitto.builder(Files.createDirectories(shared.resolve("hold-" + version))).maxInflight(0)
                .start();
        try {
            FakeSink sink = new FakeSink().block();
            SyncPipeline p = SyncPipeline.builder().name("hold").source(MqttTransport.builder()
                    .endpoint("127.0.0.1:" + own.port()).protocolVersion(version).clientId("it-hold")
                    .subscribe("hold/#").build())
                    .sink(sink).payload(Publisher.spec()).superTable("meters").subTableTemplate("d{id}")
                    .batching(50, Duration.ofMillis(5)).maxInFlight(200).build();
            pipelines.add(p);
            p.start();
            int total = 5_000;
            try (Publisher pub = new Publisher(own.port())) {
                pub.publishRange("hold/m", 0, total, 1, 10);
            }
            awaitHeld(p, 200);
            long held = p.metrics().received();
            assertThat(held).as("reads stop at the bound, plus the socket reads under way").isBetween(200L,
                    200L + READS_UNDER_WAY);
            sink.unblock();
            await().atMost(Duration.ofSeconds(60)).until(() -> p.metrics().acked() == total);
            assertThat(seqs(sink)).isEqualTo(range(0, total));
            assertThat(p.metrics().peakInFlight()).isLessThanOrEqualTo(200 + READS_UNDER_WAY);
        } finally {
            own.close();
        }
    }

    @Test
    void pauseLongerThanKeepAlive_pingTimesOut_reconnectIsHeldToo_nothingLost() throws Exception {
        Mosquitto own = Mosquitto.builder(Files.createDirectories(shared.resolve("long-pause"))).maxInflight(0)
                .start();
        try {
            FakeSink sink = new FakeSink().block();
            List<ConnectionState> states = new CopyOnWriteArrayList<>();
            SyncPipeline p = SyncPipeline.builder().name("long").source(MqttTransport.builder()
                    .endpoint("127.0.0.1:" + own.port()).clientId("it-long").cleanSession(false).subscribe("long/#")
                    .keepAlive(Duration.ofSeconds(1)).reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
                    .build())
                    .sink(sink).payload(Publisher.spec()).superTable("meters").subTableTemplate("d{id}")
                    .batching(50, Duration.ofMillis(5)).maxInFlight(100)
                    .listener(new PipelineListener() {
                        @Override
                        public void onConnectionStateChanged(ConnectionState state, String detail) {
                            states.add(state);
                        }
                    }).build();
            pipelines.add(p);
            p.start();
            int total = 20_000;
            try (Publisher pub = new Publisher(own.port())) {
                pub.publishRange("long/m", 0, total, 1, 10);
            }
            await().atMost(WAIT).until(() -> states.contains(ConnectionState.RECONNECTING)
                    && states.get(states.size() - 1) == ConnectionState.CONNECTED);
            // held: in flight stays within the bound plus the reads under way of each connection, for 3 s on end
            await().during(Duration.ofSeconds(3)).atMost(WAIT)
                    .until(() -> p.metrics().inFlight() <= 100 + 3L * READS_UNDER_WAY);
            long held = p.metrics().inFlight();
            assertThat(held).as("the new connection is held too: in flight " + held + " of " + total)
                    .isLessThanOrEqualTo(100 + 3L * READS_UNDER_WAY);
            sink.unblock();
            await().atMost(Duration.ofSeconds(60)).until(() -> seqs(sink).size() == total);
            assertThat(seqs(sink)).isEqualTo(range(0, total));
        } finally {
            own.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.1", "3.1.1", "5.0"})
    void backlogLargerThanTheBound_atStart_boundHolds_andStartCompletes(String version) throws Exception {
        // the broker sends the session's backlog right after CONNACK, before the SUBACK: the pause holds reads at once,
        // so the SUBACK waits behind unread messages; start() must return anyway and the bound must hold
        String id = "it-startpause-" + version.replace('.', '-');
        String topic = "startpause/" + version;
        Mosquitto own = Mosquitto.builder(Files.createDirectories(shared.resolve("startpause-" + version)))
                .maxInflight(0).start();
        try {
            try (Publisher pub = new Publisher(own.port())) {
                pub.subscribeSession(id, topic + "/#");
                pub.publishRange(topic + "/m", 0, 10_000, 1, 10);
            }
            FakeSink sink = new FakeSink().block();
            SyncPipeline p = SyncPipeline.builder().name("startpause").source(MqttTransport.builder()
                    .endpoint("127.0.0.1:" + own.port()).protocolVersion(version).clientId(id).cleanSession(false)
                    .subscribe(topic + "/#").connectTimeout(Duration.ofSeconds(2)).build())
                    .sink(sink).payload(Publisher.spec()).superTable("meters").subTableTemplate("d{id}")
                    .batching(50, Duration.ofMillis(5)).maxInFlight(100).build();
            pipelines.add(p);
            p.start();
            // for longer than the connect timeout the subscribe is awaited with: still running, still held
            await().during(Duration.ofSeconds(5)).atMost(WAIT).until(() -> p.state() == PipelineState.RUNNING
                    && p.metrics().received() <= 100L + READS_UNDER_WAY);
            assertThat(p.state()).isEqualTo(PipelineState.RUNNING);
            assertThat(p.metrics().connectionState()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(p.metrics().received()).as("reads held at the bound while the SUBACK waits")
                    .isLessThanOrEqualTo(100L + READS_UNDER_WAY);
            sink.unblock();
            await().atMost(Duration.ofSeconds(60)).until(() -> seqs(sink).size() == 10_000);
            assertThat(seqs(sink)).isEqualTo(range(0, 10_000));
        } finally {
            own.close();
        }
    }

    /**
     * Waits until the pause took hold (the pipeline received {@code bound} messages), then until the received count has
     * stayed within the bound plus the socket reads under way for three seconds on end.
     */
    private static void awaitHeld(SyncPipeline p, long bound) {
        await().atMost(WAIT).until(() -> p.metrics().received() >= bound);
        await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() -> p.metrics().received() <= bound + READS_UNDER_WAY);
    }

    @Test
    void qos0_underBackpressure_isHeldInTheSocket_notDropped() throws Exception {
        FakeSink sink = new FakeSink().block();
        SyncPipeline p = SyncPipeline.builder().name("qos0").source(MqttTransport.builder()
                .endpoint("127.0.0.1:" + broker.port()).clientId("it-qos0").subscribe("q0/#", 0).build())
                .sink(sink).payload(Publisher.spec()).superTable("meters").subTableTemplate("d{id}")
                .batching(5, Duration.ofMillis(5)).maxInFlight(10).build();
        pipelines.add(p);
        p.start();
        try (Publisher pub = new Publisher(broker.port())) {
            for (int i = 0; i < 5_000; i++) {
                pub.publish("q0/m", Publisher.payload(i, 10), 0);
            }
            pub.publish("q0/m", Publisher.payload(5_000, 10), 1);
        }
        awaitHeld(p, 10);
        assertThat(p.metrics().received()).isLessThanOrEqualTo(10L + READS_UNDER_WAY);
        sink.unblock();
        await().atMost(WAIT).untilAsserted(() -> assertThat(sink.rows()).as(() -> "rows written; " + p.metrics())
                .hasSize(5_001));
        assertThat(p.metrics().droppedByTransport()).isZero();
        assertThat(seqs(sink)).isEqualTo(range(0, 5_001));
    }
}
