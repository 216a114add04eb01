package io.github.mqtt2tdengine.mqtt;

import static io.github.mqtt2tdengine.mqtt.testing.Seqs.range;
import static io.github.mqtt2tdengine.mqtt.testing.Seqs.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.mqtt2tdengine.PipelineListener;
import io.github.mqtt2tdengine.PipelineState;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.errors.TransportException;
import io.github.mqtt2tdengine.mqtt.testing.Ejabberd;
import io.github.mqtt2tdengine.mqtt.testing.HiveMqCe;
import io.github.mqtt2tdengine.mqtt.testing.MosquittoBroker;
import io.github.mqtt2tdengine.mqtt.testing.Publisher;
import io.github.mqtt2tdengine.mqtt.testing.RabbitMq;
import io.github.mqtt2tdengine.mqtt.testing.TestBroker;
import io.github.mqtt2tdengine.mqtt.testing.TestCerts;
import io.github.mqtt2tdengine.spi.ConnectionState;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT transport's integration tests against every broker a user may run: mosquitto, HiveMQ CE (embedded),
 * RabbitMQ's MQTT plugin and ejabberd's mod_mqtt, each on 127.0.0.1, started once for the class when a test first
 * needs it. A broker that is not installed, and a case a broker does not support, is skipped with the reason. Tests
 * named for a broker show where it differs from the MQTT specification in a way an at-least-once consumer notices.
 */
class BrokerMatrixIT {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerMatrixIT.class);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> BROKERS = List.of("mosquitto", "hivemq-ce", "rabbitmq", "ejabberd");
    private static final List<String> VERSIONS = List.of("3.1", "3.1.1", "5.0");
    /**
     * How many unacknowledged QoS 1 messages each broker sends one subscriber (MQTT 5 with receive maximum 65535, or
     * MQTT 3.1.1): mosquitto its max_inflight_messages (1000) and RabbitMQ its mqtt.prefetch (1000), as configured
     * here; HiveMQ CE and ejabberd one, whatever the receive maximum (window_* shows it).
     */
    private static final Map<String, Long> WINDOWS = Map.of("mosquitto", 1_000L, "rabbitmq", 1_000L,
            "hivemq-ce", 1L, "ejabberd", 1L);

    @TempDir
    static Path shared;
    private static TestCerts certs;
    private static final Map<String, TestBroker> STARTED = new LinkedHashMap<>();
    private static final Map<String, Duration> START_TIMES = new LinkedHashMap<>();
    private static long classStart;

    private final List<SyncPipeline> pipelines = new ArrayList<>();
    private final List<FakeSink> sinks = new ArrayList<>();

    /** The brokers of the matrix; {@code -Dmatrix.brokers=rabbitmq,ejabberd} runs only those. */
    static Stream<String> brokers() {
        String only = System.getProperty("matrix.brokers", "");
        return only.isBlank() ? BROKERS.stream() : Stream.of(only.split(",")).map(String::trim);
    }

    static Stream<Arguments> brokersAndVersions() {
        return brokers().flatMap(b -> VERSIONS.stream().map(v -> Arguments.of(b, v)));
    }

    @BeforeAll
    static void certificates() throws Exception {
        classStart = System.nanoTime();
        certs = TestCerts.generate(Files.createDirectories(shared.resolve("certs")));
    }

    @AfterAll
    static void stopBrokers() {
        STARTED.values().forEach(TestBroker::close);
        STARTED.clear();
        LOG.info("BrokerMatrixIT: broker start times {}; class total {} s", START_TIMES,
                (System.nanoTime() - classStart) / 1_000_000_000.0);
    }

    @AfterEach
    void closePipelines() {
        // a failed assertion may leave a sink blocked: close() would wait for it until its timeout
        sinks.forEach(FakeSink::unblock);
        long t0 = System.nanoTime();
        // each close() waits up to the transport's 5 s disconnect timeout: close them side by side
        pipelines.parallelStream().forEach(SyncPipeline::close);
        LOG.info("closed {} pipeline(s) in {} ms", pipelines.size(), (System.nanoTime() - t0) / 1_000_000);
    }

    private FakeSink sink() {
        FakeSink s = new FakeSink();
        sinks.add(s);
        return s;
    }

    /** Why the named broker cannot run here, or null when it can. */
    private static String unavailable(String name) {
        switch (name) {
            case "mosquitto":
                return MosquittoBroker.installed() ? null
                        : "mosquitto is not installed (scripts/test installs Debian's mosquitto)";
            case "rabbitmq":
                return RabbitMq.installed() ? null
                        : "RabbitMQ is not installed (scripts/test installs Debian's rabbitmq-server)";
            case "ejabberd":
                return Ejabberd.installed() ? null
                        : "ejabberd is not installed (scripts/test installs Debian's ejabberd)";
            default:
                return null;
        }
    }

    /** The named broker, started on first use and shared by the class; skips the test when it is not installed. */
    private static TestBroker broker(String name) throws Exception {
        String reason = unavailable(name);
        assumeTrue(reason == null, reason);
        TestBroker b = STARTED.get(name);
        if (b == null) {
            long t0 = System.nanoTime();
            Path dir = Files.createDirectories(shared.resolve(name));
            switch (name) {
                case "mosquitto":
                    b = MosquittoBroker.start(dir, certs);
                    break;
                case "hivemq-ce":
                    b = HiveMqCe.start(dir, certs);
                    break;
                case "rabbitmq":
                    b = RabbitMq.start(dir);
                    break;
                case "ejabberd":
                    b = Ejabberd.start(dir);
                    break;
                default:
                    throw new IllegalArgumentException("unknown broker " + name);
            }
            START_TIMES.put(name, Duration.ofNanos(System.nanoTime() - t0));
            STARTED.put(name, b);
        }
        return b;
    }

    private static TestBroker broker(String name, String version) throws Exception {
        TestBroker b = broker(name);
        assumeTrue(b.protocolVersions().contains(version), name + " does not speak MQTT " + version);
        return b;
    }

    private SyncPipeline pipeline(MqttTransport transport, FakeSink sink, int maxInFlight,
            PipelineListener... listeners) {
        SyncPipeline.Builder b = SyncPipeline.builder().name("matrix").source(transport).sink(sink).payload(Publisher.spec())
                .superTable("meters").subTableTemplate("d{id}").batching(200, Duration.ofMillis(2))
                .maxInFlight(maxInFlight);
        for (PipelineListener l : listeners) {
            b.listener(l);
        }
        SyncPipeline p = b.build();
        pipelines.add(p);
        return p;
    }

    private SyncPipeline pipeline(MqttTransport transport, FakeSink sink, PipelineListener... listeners) {
        return pipeline(transport, sink, 1_000, listeners);
    }

    /** A client identifier unique to the broker and the case, at most 23 characters (MQTT 3.1's limit). */
    private static String id(String broker, String test) {
        String s = "m-" + broker.substring(0, 3) + "-" + test;
        return s.length() <= 23 ? s : s.substring(0, 23);
    }

    /** Records the connection states a pipeline passes through. */
    private static PipelineListener states(List<ConnectionState> states) {
        return new PipelineListener() {
            @Override
            public void onConnectionStateChanged(ConnectionState state, String detail) {
                states.add(state);
            }
        };
    }

    /**
     * Most messages the socket reads under way at a pause can hold, which the client still delivers: two Netty reads
     * of at most 64 KiB; the smallest packet here is the payload, a 6-byte topic and 4 to 6 header bytes.
     */
    private static final int READS_UNDER_WAY = 2 * 64 * 1024 / (Publisher.payload(0, 10).length() + 6 + 4);

    // ---------------------------------------------------------------------------------------------------------------
    // every broker

    @ParameterizedTest(name = "{0} MQTT {1}")
    @MethodSource("brokersAndVersions")
    void delivery_eachProtocolVersion_qos0AndQos1_everyMessageCommittedAsPublished(String name, String version)
            throws Exception {
        TestBroker b = broker(name, version);
        String t = "v/" + version.replace('.', '-');
        FakeSink sink = sink();
        SyncPipeline p = pipeline(b.transport().protocolVersion(version).clientId(id(name, "v" + version))
                .topics(t + "/q1/#::1," + t + "/q0/#::0").build(), sink);
        p.start();
        try (Publisher pub = b.publisher()) {
            pub.publishRange(t + "/q1/m", 0, 300, 1, 10);
            pub.publishRange(t + "/q0/m", 300, 600, 0, 10);
        }
        await().atMost(WAIT).until(() -> sink.rows().size() >= 600);
        assertThat(seqs(sink)).isEqualTo(range(0, 600));
        assertThat(sink.rows()).hasSize(600);
        for (Row row : sink.rows()) {
            long seq = (Long) row.column("seq");
            assertThat(row.column("topic")).isEqualTo(t + (seq < 300 ? "/q1/m" : "/q0/m"));
            assertThat(row.column("qos")).isEqualTo(seq < 300 ? 1L : 0L);
        }
        assertThat(p.metrics().connectionState()).isEqualTo(ConnectionState.CONNECTED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokers")
    void manualAcks_5000Qos1MessagesUnderLoad_allAckedNoneLost(String name) throws Exception {
        TestBroker b = broker(name);
        FakeSink sink = sink();
        SyncPipeline p = pipeline(b.transport().clientId(id(name, "load")).subscribe("load/#").build(), sink, 500);
        p.start();
        int total = 5_000;
        try (Publisher pub = b.publisher()) {
            pub.publishRange("load/m", 0, total, 1, 50);
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> p.metrics().acked() >= total);
        assertThat(seqs(sink)).isEqualTo(range(0, total));
        assertThat(p.metrics().acked()).isEqualTo(total);
        assertThat(p.metrics().peakInFlight()).isLessThanOrEqualTo(500 + READS_UNDER_WAY);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokers")
    void backpressure_sinkBlocked_inFlightHeldAtTheBound_unblocked_allArrive(String name) throws Exception {
        TestBroker b = broker(name);
        assumeTrue(WINDOWS.get(name) > 200, name + " sends " + WINDOWS.get(name) + " unacknowledged message(s) at a "
                + "time: its own window, not the pipeline's pause, holds the flow (window_* shows it)");
        FakeSink sink = sink().block();
        SyncPipeline p = pipeline(b.transport().clientId(id(name, "hold")).subscribe("hold/#").build(), sink, 200);
        p.start();
        int total = 3_000;
        try (Publisher pub = b.publisher()) {
            pub.publishRange("hold/m", 0, total, 1, 10);
        }
        await().atMost(WAIT).until(() -> p.metrics().received() >= 200);
        await().during(Duration.ofSeconds(2)).atMost(WAIT)
                .until(() -> p.metrics().received() <= 200 + READS_UNDER_WAY);
        assertThat(p.metrics().received()).as("reads stop at the bound, plus the socket reads under way")
                .isBetween(200L, 200L + READS_UNDER_WAY);
        sink.unblock();
        await().atMost(WAIT).until(() -> p.metrics().acked() >= total);
        assertThat(seqs(sink)).isEqualTo(range(0, total));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokers")
    void persistentSession_pipelineRestarted_receivesTheBacklog_andNothingAlreadyAcked(String name) throws Exception {
        TestBroker b = broker(name);
        assumeTrue(!b.sessionsSurviveRestart(), name + ": persistentSession_publishedWhileAwayAndAcrossABrokerRestart "
                + "covers it (the pipeline is away too)");
        String cid = id(name, "backlog");
        FakeSink first = sink();
        SyncPipeline a = pipeline(b.transport().clientId(cid).cleanSession(false).subscribe("backlog/#").build(),
                first);
        a.start();
        try (Publisher pub = b.publisher()) {
            pub.publishRange("backlog/m", 0, 100, 1, 10);
            await().atMost(WAIT).until(() -> a.metrics().acked() == 100);
            a.close();
            pub.publishRange("backlog/m", 100, 600, 1, 10);
        }
        FakeSink second = sink();
        SyncPipeline c = pipeline(b.transport().clientId(cid).cleanSession(false).subscribe("backlog/#").build(),
                second);
        c.start();
        await().atMost(WAIT).until(() -> seqs(second).size() >= 500);
        assertThat(seqs(first)).isEqualTo(range(0, 100));
        assertThat(seqs(second)).isEqualTo(range(100, 600));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokers")
    void persistentSession_publishedWhileAwayAndAcrossABrokerRestart_allArrive(String name) throws Exception {
        TestBroker b = broker(name);
        assumeTrue(b.sessionsSurviveRestart(), name + " does not keep persistent sessions across its restart "
                + "(ejabberd_brokerRestart_dropsPersistentSessionsAndTheirQueuedMessages shows it)");
        String cid = id(name, "away");
        FakeSink first = sink();
        SyncPipeline a = pipeline(b.transport().clientId(cid).cleanSession(false).subscribe("away/#").build(), first);
        a.start();
        try (Publisher pub = b.publisher()) {
            pub.publishRange("away/m", 0, 100, 1, 10);
            await().atMost(WAIT).until(() -> a.metrics().acked() == 100);
            a.close();
            pub.publishRange("away/m", 100, 300, 1, 10);
        }
        b.restart();
        try (Publisher pub = b.publisher()) {
            pub.publishRange("away/m", 300, 400, 1, 10);
        }
        FakeSink second = sink();
        SyncPipeline c = pipeline(b.transport().clientId(cid).cleanSession(false).subscribe("away/#").build(),
                second);
        c.start();
        await().atMost(WAIT).until(() -> seqs(second).size() >= 300);
        assertThat(seqs(first)).isEqualTo(range(0, 100));
        assertThat(seqs(second)).isEqualTo(range(100, 400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokers")
    void brokerRestartedMidStream_transportReconnects_everyMessageCommitted(String name) throws Exception {
        TestBroker b = broker(name);
        FakeSink sink = sink();
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        SyncPipeline p = pipeline(b.transport().clientId(id(name, "restart")).cleanSession(false).subscribe("r/#")
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(500)).build(), sink, states(states));
        p.start();
        int total = 1_000;
        try (Publisher pub = b.publisher()) {
            pub.publishRange("r/m", 0, total / 2, 1, 20);
            if (!b.sessionsSurviveRestart()) {
                // what the broker queued for us would go with the restart: let it all arrive first
                await().atMost(WAIT).until(() -> p.metrics().acked() >= total / 2);
            }
            b.restart();
            if (!b.sessionsSurviveRestart()) {
                // the broker forgot the subscription: publish once the transport has subscribed again
                await().atMost(WAIT).until(() -> p.metrics().connectionState() == ConnectionState.CONNECTED);
                await().atMost(WAIT).ignoreExceptions().until(() -> {
                    pub.publish("r/probe", Publisher.payload(1_000_000, 20), 1);
                    return seqs(sink).contains(1_000_000L);
                });
            }
            pub.publishRange("r/m", total / 2, total, 1, 20);
        }
        await().atMost(WAIT).until(() -> seqs(sink).containsAll(range(0, total)));
        Set<Long> got = seqs(sink);
        got.remove(1_000_000L);
        assertThat(got).isEqualTo(range(0, total));
        assertThat(states).contains(ConnectionState.RECONNECTING);
        await().atMost(WAIT).until(() -> states.get(states.size() - 1) == ConnectionState.CONNECTED);
        assertThat(states.subList(states.indexOf(ConnectionState.RECONNECTING), states.size()))
                .contains(ConnectionState.CONNECTED);
        assertThat(p.state()).isEqualTo(PipelineState.RUNNING);
        // a broker that forgets sessions says so in its CONNACK (sessionPresent=false): counted, logged at WARN
        assertThat(p.metrics().sessionsLost()).as("sessions the broker did not keep across its restart")
                .isEqualTo(b.sessionsSurviveRestart() ? 0 : 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokers")
    void redelivery_unacknowledgedAtABrokerRestart_sentAgainWithTheDupFlag_andCounted(String name) throws Exception {
        TestBroker b = broker(name);
        assumeTrue(b.sessionsSurviveRestart(), name + " does not keep persistent sessions across its restart, so "
                + "it has nothing to send again (ejabberd_brokerRestart_dropsPersistentSessionsAndTheirQueuedMessages)");
        FakeSink sink = sink().block();
        SyncPipeline p = pipeline(b.transport().clientId(id(name, "dup")).cleanSession(false).subscribe("dup/#")
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(500)).build(), sink);
        p.start();
        try (Publisher pub = b.publisher()) {
            pub.publishRange("dup/m", 0, 20, 1, 5);
        }
        await().atMost(WAIT).until(() -> p.metrics().received() >= Math.min(20, WINDOWS.get(name)));
        long before = p.metrics().received();
        assertThat(p.metrics().redelivered()).isZero();
        b.restart();
        // what was delivered and not acknowledged comes again on the new connection, marked DUP
        await().atMost(WAIT).until(() -> p.metrics().redelivered() >= 1);
        assertThat(p.metrics().redelivered()).as("redelivered of %d unacknowledged", before).isLessThanOrEqualTo(before);
        sink.unblock();
        await().atMost(WAIT).until(() -> seqs(sink).containsAll(range(0, 20)));
        assertThat(seqs(sink)).isEqualTo(range(0, 20));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokers")
    void sharedSubscription_twoPipelines_splitTheLoad_nothingLost(String name) throws Exception {
        TestBroker b = broker(name);
        assumeTrue(b.sharedSubscriptions(), name + " has no shared subscriptions (" + name
                + "_sharedSubscription_* shows what it does instead)");
        FakeSink sinkA = sink();
        FakeSink sinkB = sink();
        SyncPipeline a = pipeline(b.transport().clientId(id(name, "share-a")).topics("$share/g/shared/#::1").build(),
                sinkA);
        SyncPipeline c = pipeline(b.transport().clientId(id(name, "share-b")).topics("$share/g/shared/#::1").build(),
                sinkB);
        a.start();
        c.start();
        try (Publisher pub = b.publisher()) {
            pub.publishRange("shared/m", 0, 1_000, 1, 10);
        }
        await().atMost(WAIT).until(() -> a.metrics().acked() + c.metrics().acked() >= 1_000);
        Set<Long> union = new TreeSet<>(seqs(sinkA));
        union.addAll(seqs(sinkB));
        assertThat(union).isEqualTo(range(0, 1_000));
        assertThat(seqs(sinkA).size() + seqs(sinkB).size()).as("each message to one member of the group only")
                .isEqualTo(1_000);
        // how a broker spreads the messages over the group is its own choice (the specification leaves it open)
        LOG.info("{}: shared subscription split {} / {}", name, seqs(sinkA).size(), seqs(sinkB).size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokers")
    void tls_caOnly_deliversMessages(String name) throws Exception {
        TestBroker b = broker(name);
        assumeTrue(b.tlsPort() > 0, name + ": no TLS listener in this matrix (its set-up is not cheap)");
        FakeSink sink = sink();
        SyncPipeline p = pipeline(b.transport().endpoint("127.0.0.1:" + b.tlsPort()).clientId(id(name, "tls"))
                .tls(TlsConfig.builder().caPem(certs.pem("ca.crt")).build()).subscribe("tls/#").build(), sink);
        p.start();
        try (Publisher pub = b.publisher()) {
            pub.publishRange("tls/m", 0, 50, 1, 5);
        }
        await().atMost(WAIT).until(() -> p.metrics().acked() >= 50);
        assertThat(seqs(sink)).isEqualTo(range(0, 50));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokers")
    void window_sinkBlocked_brokerSendsOnlyItsOwnWindow_oneForHivemqAndEjabberd(String name) throws Exception {
        TestBroker b = broker(name);
        assumeTrue(WINDOWS.get(name) <= 200, name + ": its window (" + WINDOWS.get(name) + ", as configured here) is "
                + "above the pipeline's bound; backpressure_* shows the bound holding");
        FakeSink sink = sink().block();
        SyncPipeline p = pipeline(b.transport().clientId(id(name, "window")).subscribe("window/#").build(), sink,
                5_000);
        p.start();
        try (Publisher pub = b.publisher()) {
            pub.publishRange("window/m", 0, 2_000, 1, 10);
        }
        await().atMost(WAIT).until(() -> p.metrics().received() > 0);
        long[] last = {-1};
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> {
            long now = p.metrics().received();
            boolean same = now == last[0];
            last[0] = now;
            return same;
        });
        LOG.info("{}: the broker sent {} of 2000 messages while none was acknowledged", name, p.metrics().received());
        assertThat(p.metrics().received()).as("%s's window of unacknowledged messages", name)
                .isEqualTo(WINDOWS.get(name));
        sink.unblock();
        await().atMost(WAIT).until(() -> p.metrics().acked() >= 2_000);
        assertThat(seqs(sink)).isEqualTo(range(0, 2_000));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // where a broker differs from the specification

    @Test
    void ejabberd_brokerRestart_dropsPersistentSessionsAndTheirQueuedMessages() throws Exception {
        TestBroker b = broker("ejabberd");
        String cid = id("ejabberd", "dropped");
        FakeSink first = sink();
        SyncPipeline a = pipeline(b.transport().clientId(cid).cleanSession(false).subscribe("dropped/#").build(),
                first);
        a.start();
        a.close();
        try (Publisher pub = b.publisher()) {
            pub.publishRange("dropped/m", 0, 100, 1, 10);
        }
        b.restart();
        FakeSink second = sink();
        SyncPipeline c = pipeline(b.transport().clientId(cid).cleanSession(false).subscribe("dropped/#").build(),
                second);
        c.start();
        try (Publisher pub = b.publisher()) {
            pub.publishRange("dropped/m", 100, 200, 1, 10);
        }
        await().atMost(WAIT).until(() -> seqs(second).size() >= 100);
        assertThat(seqs(second)).as("the 100 messages queued for the session before the restart are gone")
                .isEqualTo(range(100, 200));
    }

    @Test
    void ejabberd_connectWithoutUserName_isRefused() throws Exception {
        TestBroker b = broker("ejabberd");
        SyncPipeline p = pipeline(MqttTransport.builder().endpoint("127.0.0.1:" + b.port()).clientId("m-ej-anon")
                .subscribe("anon/#").build(), new FakeSink());
        assertThatThrownBy(p::start).isInstanceOf(TransportException.class)
                .hasMessageStartingWith("MQTT broker 127.0.0.1:" + b.port()
                        + " refused the connection of client 'm-ej-anon': ");
    }

    @Test
    void ejabberd_sharedSubscription_isNeverAnswered() throws Exception {
        // ejabberd 23.01 announces no shared subscriptions in its CONNACK, and sends no SUBACK (not even a refusal)
        // for a $share filter: the subscribe times out
        TestBroker b = broker("ejabberd");
        SyncPipeline p = pipeline(b.transport().clientId("m-ej-share").topics("$share/g/eshare/#::1")
                .connectTimeout(Duration.ofSeconds(1)).build(), sink());
        assertThatThrownBy(p::start).isInstanceOf(TransportException.class)
                .hasMessage("MQTT broker 127.0.0.1:" + b.port() + " did not answer the subscribe within 3000 ms");
    }

    @Test
    void rabbitmq_sharedSubscription_isAnOrdinaryFilterThatNothingMatches() throws Exception {
        TestBroker b = broker("rabbitmq");
        FakeSink sink = sink();
        SyncPipeline p = pipeline(b.transport().clientId("m-rab-share").topics("$share/g/rshare/#::1").build(), sink);
        p.start();
        assertThat(p.state()).as("no error at SUBSCRIBE").isEqualTo(PipelineState.RUNNING);
        try (Publisher pub = b.publisher()) {
            pub.publishRange("rshare/m", 0, 10, 1, 10);
        }
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> sink.rows().isEmpty());
        assertThat(sink.rows()).as("nothing published on rshare/m arrives").isEmpty();
    }
}
