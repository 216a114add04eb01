package io.github.mqtt2tdengine.mqtt;

import static io.github.mqtt2tdengine.mqtt.testing.Seqs.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.DeadLetter;
import io.github.mqtt2tdengine.DeadLetterDestinationMetrics;
import io.github.mqtt2tdengine.DeadLetterHandler;
import io.github.mqtt2tdengine.PipelineState;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.deadletters.DeadLetterEnvelope;
import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.mqtt.testing.DeadLetterReader;
import io.github.mqtt2tdengine.mqtt.testing.Mosquitto;
import io.github.mqtt2tdengine.mqtt.testing.Publisher;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.FieldTarget;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.Row;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The MQTT dead-letter destination and its replay against real mosquitto brokers (one per test, so that each keeper
 * session sees only its own dead letters), with the real HiveMQ client, MQTT 5.0 and 3.1.1.
 */
class MqttDeadLettersIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PREFIX = MqttDeadLetters.DEFAULT_PREFIX;
    /** Socket reads under way at a pause, as in MqttTransportIT: two of 64 KiB of the smallest message here. */
    private static final int READS_UNDER_WAY = 2 * 64 * 1024 / 40;

    @TempDir
    Path dir;
    private final List<SyncPipeline> pipelines = new ArrayList<>();
    private final List<AutoCloseable> closeLast = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        pipelines.forEach(SyncPipeline::close);
        for (AutoCloseable c : closeLast) {
            c.close();
        }
    }

    private Mosquitto broker(String name) throws Exception {
        Mosquitto m = Mosquitto.builder(Files.createDirectories(dir.resolve(name))).start();
        closeLast.add(m);
        return m;
    }

    private SyncPipeline pipeline(SyncPipeline.Builder b) {
        SyncPipeline p = b.build();
        pipelines.add(p);
        return p;
    }

    private static String v(String version) {
        return version.replace('.', '-');
    }

    /** The five kinds of bad message of {@link Publisher#spec()}, by {@code seq / 10 % 5}. */
    private static byte[] bad(int seq) {
        long ts = Publisher.BASE_TS + seq;
        return switch (seq / 10 % 5) {
            case 0 -> ("not json " + seq).getBytes(StandardCharsets.UTF_8);
            case 1 -> ("{\"id\":1,\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8);
            case 2 -> ("{\"id\":1,\"seq\":\"s" + seq + "\",\"ts\":" + ts + "}").getBytes(StandardCharsets.UTF_8);
            case 3 -> ("{\"id\":3000000000,\"seq\":" + seq + ",\"ts\":" + ts + "}").getBytes(StandardCharsets.UTF_8);
            default -> {
                byte[] head = ("{\"id\":1,\"seq\":" + seq + ",\"ts\":" + ts + ",\"x\":\"").getBytes(StandardCharsets.UTF_8);
                byte[] b = new byte[head.length + 4];
                System.arraycopy(head, 0, b, 0, head.length);
                b[head.length] = (byte) 0xff;
                b[head.length + 1] = (byte) 0xfe;
                b[head.length + 2] = '"';
                b[head.length + 3] = '}';
                yield b;
            }
        };
    }

    private static DeadLetterReason reason(int seq) {
        return switch (seq / 10 % 5) {
            case 1 -> DeadLetterReason.MISSING_FIELD;
            case 2 -> DeadLetterReason.TYPE_MISMATCH;
            case 3 -> DeadLetterReason.OUT_OF_RANGE;
            default -> DeadLetterReason.INVALID_PAYLOAD;
        };
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static DeadLetterDestinationMetrics mqtt(SyncPipeline p) {
        return p.metrics().deadLetterDestinations().get("mqtt");
    }

    /** Checks the wire format of one dead letter: MQTT 5 payload and properties, or the 3.1.1 envelope. */
    private static void assertWireFormat(DeadLetterReader.Received r, String version, String pipeline) {
        assertThat(r.topic()).isEqualTo(PREFIX + "/" + r.originalTopic());
        if ("5.0".equals(version)) {
            assertThat(r.properties()).containsOnlyKeys("mqtt2td-pipeline", "mqtt2td-topic", "mqtt2td-qos",
                    "mqtt2td-receivedAt", "mqtt2td-reason", "mqtt2td-detail")
                    .containsEntry("mqtt2td-pipeline", pipeline).containsEntry("mqtt2td-qos", "1");
            assertThat(r.properties().get("mqtt2td-detail")).startsWith("Pipeline '" + pipeline + "': ");
            DeadLetterEnvelope.instant(r.properties().get("mqtt2td-receivedAt"));
        } else {
            assertThat(r.properties()).isEmpty();
            DeadLetter d = r.envelope();
            assertThat(d.pipelineName()).isEqualTo(pipeline);
            assertThat(d.qos()).isEqualTo(1);
            assertThat(d.message()).startsWith("Pipeline '" + pipeline + "': ");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.0", "3.1.1"})
    void badMessages_republishedByteForByteWithReasons_goodOnesWritten_eachMessageAckedOnce(String version)
            throws Exception {
        Mosquitto broker = broker("bad-" + v(version));
        String name = "dl-" + v(version);
        MqttTransport source = MqttTransport.builder().endpoint("127.0.0.1:" + broker.port()).protocolVersion(version)
                .clientId("it-" + name).cleanSession(false).subscribe("dl/+/m").build();
        MqttDeadLetters deadLetters = MqttDeadLetters.builder().connection(source).build();
        FakeSink sink = new FakeSink();
        SyncPipeline p = pipeline(SyncPipeline.builder().name(name).source(source).sink(sink)
                .payload(Publisher.spec()).superTable("meters").subTableTemplate("d{id}")
                .batching(200, Duration.ofMillis(20)).deadLetterHandler(deadLetters));
        p.start();
        Map<String, Integer> badSeqByPayload = new HashMap<>();
        Set<Long> good = new TreeSet<>();
        try (Publisher pub = new Publisher(broker.port())) {
            for (int seq = 0; seq < 1_000; seq++) {
                String topic = "dl/dev" + (seq % 7) + "/m";
                if (seq % 10 == 3) {
                    pub.publish(topic, bad(seq), 1);
                    badSeqByPayload.put(b64(bad(seq)), seq);
                } else {
                    pub.publish(topic, Publisher.payload(seq, 10), 1);
                    good.add((long) seq);
                }
            }
        }
        await().atMost(WAIT).until(() -> p.metrics().acked() == 1_000);
        assertThat(seqs(sink)).isEqualTo(good);
        assertThat(sink.rows()).hasSize(900);
        assertThat(p.metrics().deadLetters()).isEqualTo(100);
        assertThat(p.metrics().deadLettersByReason()).isEqualTo(Map.of(DeadLetterReason.INVALID_PAYLOAD, 40L,
                DeadLetterReason.MISSING_FIELD, 20L, DeadLetterReason.TYPE_MISMATCH, 20L,
                DeadLetterReason.OUT_OF_RANGE, 20L));
        assertThat(mqtt(p).stored()).isEqualTo(100);
        assertThat(mqtt(p).failures()).isZero();

        // read back from the keeper's session, as an operator would
        try (DeadLetterReader reader = DeadLetterReader.open(broker.port(), version,
                deadLetters.keeperClientId(name).orElseThrow(), PREFIX + "/#")) {
            await().atMost(WAIT).until(() -> reader.received().size() >= 100);
            await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> reader.received().size() == 100);
            Map<Integer, DeadLetterReader.Received> bySeq = new TreeMap<>();
            for (DeadLetterReader.Received r : reader.received()) {
                assertWireFormat(r, version, name);
                Integer seq = badSeqByPayload.get(b64(r.originalPayload()));
                assertThat(seq).as("a dead letter byte for byte as published: %s", r.topic()).isNotNull();
                assertThat(r.originalTopic()).isEqualTo("dl/dev" + (seq % 7) + "/m");
                assertThat(r.reason()).as("seq %d", seq).isEqualTo(reason(seq).name());
                bySeq.put(seq, r);
            }
            assertThat(bySeq).hasSize(100);
        }

        // each message acknowledged once: no redelivery, and the source's session holds nothing after the close
        assertThat(p.metrics().redelivered()).isZero();
        p.close();
        assertThat(p.metrics().acked()).isEqualTo(1_000);
        try (DeadLetterReader again = DeadLetterReader.open(broker.port(), version, "it-" + name, "dl/+/m")) {
            await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> again.received().isEmpty());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.0", "3.1.1"})
    void hostileTopicsAndPayloads_roundTripByteForByte_throughTheDestinationAndTheReplay(String version)
            throws Exception {
        Mosquitto broker = broker("hostile-" + v(version));
        String name = "hostile-" + v(version);
        byte[] large = new byte[(1 << 20) + 1];
        new Random(7).nextBytes(large);
        List<byte[]> payloads = List.of("\"';-- `rm -rf /` \\\"".getBytes(StandardCharsets.UTF_8),
                new byte[] {0, 'a', 0, '"', 0}, new byte[] {(byte) 0xc3, 0x28, (byte) 0xff, (byte) 0xfe, '{'},
                new byte[0], large);
        List<String> topics = List.of("h/\"quoted\"/m", "h/with space/m", "h/ünï€😀/m", "h/back`tick/m",
                "h/'single' \\ /m");
        MqttTransport source = MqttTransport.builder().endpoint("127.0.0.1:" + broker.port()).protocolVersion(version)
                .clientId("it-" + name).subscribe("h/#").build();
        List<DeadLetter> first = new CopyOnWriteArrayList<>();
        SyncPipeline p = pipeline(SyncPipeline.builder().name(name).source(source).sink(new FakeSink())
                .payload(Publisher.spec()).superTable("meters").subTableTemplate("d{id}")
                .batching(50, Duration.ofMillis(20)).deadLetterHandler(MqttDeadLetters.builder().connection(source)
                        .build()).addDeadLetterHandler(first::add));
        p.start();
        // a second subscriber that reads the wire format (the keeper's queue is left to the replay)
        DeadLetterReader wire = DeadLetterReader.open(broker.port(), version, "it-wire-" + v(version), PREFIX + "/#");
        closeLast.add(0, wire);
        Map<String, Integer> expected = new TreeMap<>();
        try (Publisher pub = new Publisher(broker.port())) {
            for (String topic : topics) {
                for (byte[] payload : payloads) {
                    pub.publish(topic, payload, 1);
                    expected.merge(topic + " " + b64(payload), 1, Integer::sum);
                }
            }
        }
        await().atMost(WAIT).until(() -> p.metrics().acked() == 25);
        assertThat(p.metrics().deadLettersByReason()).isEqualTo(Map.of(DeadLetterReason.INVALID_PAYLOAD, 20L,
                DeadLetterReason.PAYLOAD_TOO_LARGE, 5L));
        await().atMost(WAIT).until(() -> wire.received().size() >= 25);
        Map<String, Integer> onTheWire = new TreeMap<>();
        for (DeadLetterReader.Received r : wire.received()) {
            assertWireFormat(r, version, name);
            onTheWire.merge(r.originalTopic() + " " + b64(r.originalPayload()), 1, Integer::sum);
        }
        assertThat(onTheWire).isEqualTo(expected);
        p.close();

        // the replay hands the originals to the pipeline again: still bad, they are dead-lettered with what they had
        List<DeadLetter> replayed = new CopyOnWriteArrayList<>();
        SyncPipeline r = pipeline(SyncPipeline.builder().name("replay-" + name)
                .source(MqttTransport.builder().endpoint("127.0.0.1:" + broker.port()).protocolVersion(version)
                        .clientId(MqttDeadLetters.defaultKeeperClientId(name)).cleanSession(false)
                        .deadLetterReplay(PREFIX).build())
                .sink(new FakeSink()).payload(Publisher.spec()).superTable("meters").subTableTemplate("d{id}")
                .batching(50, Duration.ofMillis(20)).deadLetterHandler(replayed::add));
        r.start();
        await().atMost(WAIT).until(() -> r.metrics().acked() == 25);
        Map<String, DeadLetter> original = first.stream().collect(Collectors.toMap(d -> d.topic() + " "
                + b64(d.payload()), d -> d));
        for (DeadLetter d : replayed) {
            DeadLetter o = original.get(d.topic() + " " + b64(d.payload()));
            assertThat(o).as("replayed byte for byte: %s", d.topic()).isNotNull();
            assertThat(d.qos()).isEqualTo(1);
            assertThat(d.receivedAt()).isEqualTo(o.receivedAt());
            assertThat(d.reason()).isEqualTo(o.reason());
        }
        assertThat(replayed.stream().map(d -> d.topic() + " " + b64(d.payload())).collect(Collectors.toSet()))
                .isEqualTo(expected.keySet());
    }

    private static final String ACL_DENIED = "user ingest\ntopic readwrite acl/#\ntopic read " + PREFIX + "/#\n";
    private static final String ACL_FIXED = "user ingest\ntopic readwrite acl/#\ntopic readwrite " + PREFIX + "/#\n";

    private Mosquitto aclBroker(String name) throws Exception {
        Mosquitto m = Mosquitto.builder(Files.createDirectories(dir.resolve(name))).user("ingest", "s3cret!pw")
                .acl(ACL_DENIED).start();
        closeLast.add(m);
        return m;
    }

    private SyncPipeline heldPipeline(String name, MqttTransport source, FakeSink sink, int maxInFlight) {
        return pipeline(SyncPipeline.builder().name(name).source(source).sink(sink).payload(Publisher.spec())
                .superTable("meters").subTableTemplate("d{id}").batching(10, Duration.ofMillis(5))
                .maxInFlight(maxInFlight).retryBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
                .deadLetterHandler(MqttDeadLetters.builder().connection(source).build()));
    }

    /** Publishes seq from..to-1 on {@code topic}: every fourth (seq % 4 == 1) not JSON; returns the good seqs. */
    private static Set<Long> publishMixed(Publisher pub, String topic, int from, int to) {
        Set<Long> good = new TreeSet<>();
        for (int seq = from; seq < to; seq++) {
            if (seq % 4 == 1) {
                pub.publish(topic, "bad " + seq, 1);
            } else {
                pub.publish(topic, Publisher.payload(seq, 5), 1);
                good.add((long) seq);
            }
        }
        return good;
    }

    /**
     * While the destination fails: only committed messages are acknowledged (none of the dead-lettered ones since
     * {@code storedBefore}), and the source is held: paused once it reached its in-flight bound. The count may then sit
     * a little below the bound: the writer acknowledges the committed rows of the batch it wrote before it stores that
     * batch's dead letters (and waits there), and reading resumes only at half the bound.
     */
    private static void assertHeld(SyncPipeline p, FakeSink sink, int maxInFlight, int total, long storedBefore) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(mqtt(p).failing() && p.metrics().paused())
                .as("failing and held: %s", p.metrics()).isTrue());
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> p.metrics().paused()
                && p.metrics().inFlight() > maxInFlight / 2
                && p.metrics().received() <= p.metrics().acked() + maxInFlight + READS_UNDER_WAY);
        assertThat(mqtt(p).stored()).isEqualTo(storedBefore);
        assertThat(p.metrics().acked()).as("acknowledged = committed rows + dead letters stored before")
                .isEqualTo(seqs(sink).size() + storedBefore);
        assertThat(p.metrics().acked()).isLessThan(total);
        assertThat(p.metrics().paused()).isTrue();
        assertThat(p.state()).isEqualTo(PipelineState.RUNNING);
    }

    @Test
    void aclDeniesTheDeadLetterTopic_mqtt5_puback0x87_nothingAckedThatWasNotStored_allDoneOnceTheAclIsFixed()
            throws Exception {
        Mosquitto broker = aclBroker("acl-5");
        MqttTransport source = MqttTransport.builder().endpoint("127.0.0.1:" + broker.port()).clientId("it-acl-5")
                .credentials("ingest", "s3cret!pw").cleanSession(false).subscribe("acl/#").build();
        FakeSink sink = new FakeSink();
        SyncPipeline p = heldPipeline("acl-5", source, sink, 50);
        p.start();
        Set<Long> good;
        try (Publisher pub = new Publisher(broker.port(), "ingest", "s3cret!pw")) {
            good = publishMixed(pub, "acl/m", 0, 400);
        }
        assertHeld(p, sink, 50, 400, 0);
        assertThat(mqtt(p).lastError()).startsWith("Pipeline 'acl-5': MQTT broker 127.0.0.1:" + broker.port()
                + " refused ").contains(" dead letter(s), the first on '" + PREFIX + "/acl/m': NOT_AUTHORIZED (0x87)")
                .doesNotContain("s3cret");

        broker.acl(ACL_FIXED);
        await().atMost(WAIT).until(() -> p.metrics().acked() == 400);
        assertThat(seqs(sink)).isEqualTo(good);
        assertThat(mqtt(p).stored()).isEqualTo(100);
        try (DeadLetterReader reader = DeadLetterReader.open(broker.port(), "ingest", "s3cret!pw", "5.0",
                MqttDeadLetters.defaultKeeperClientId("acl-5"), PREFIX + "/#")) {
            await().atMost(WAIT).until(() -> reader.received().size() >= 100);
            assertThat(reader.received().stream().map(r -> new String(r.payload(), StandardCharsets.UTF_8))
                    .collect(Collectors.toSet())).hasSize(100).allMatch(s -> s.startsWith("bad "));
        }
    }

    @Test
    void aclDeniesTheDeadLetterTopic_mqtt311_brokerAcknowledgesAndDrops_theDeadLettersAreLost() throws Exception {
        // MQTT 3.1.1 has no PUBACK reason code: mosquitto acknowledges the denied publish and drops it. This pins the
        // caveat the Javadoc and docs/dead-letters-mqtt.md state
        Mosquitto broker = aclBroker("acl-311");
        MqttTransport source = MqttTransport.builder().endpoint("127.0.0.1:" + broker.port()).protocolVersion("3.1.1")
                .clientId("it-acl-311").credentials("ingest", "s3cret!pw").subscribe("acl/#").build();
        FakeSink sink = new FakeSink();
        SyncPipeline p = heldPipeline("acl-311", source, sink, 50);
        p.start();
        try (Publisher pub = new Publisher(broker.port(), "ingest", "s3cret!pw", true)) {
            publishMixed(pub, "acl/m", 0, 400);
        }
        await().atMost(WAIT).until(() -> p.metrics().acked() == 400);
        assertThat(mqtt(p).stored()).as("counted stored: the broker said PUBACK").isEqualTo(100);
        assertThat(mqtt(p).failures()).isZero();
        try (DeadLetterReader reader = DeadLetterReader.open(broker.port(), "ingest", "s3cret!pw", "3.1.1",
                MqttDeadLetters.defaultKeeperClientId("acl-311"), PREFIX + "/#")) {
            await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> reader.received().isEmpty());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.0", "3.1.1"})
    void destinationBrokerDown_atStartAndLater_messagesHeld_allDoneOnceItIsBack(String version) throws Exception {
        Mosquitto source = broker("src-" + v(version));
        Mosquitto destination = broker("dst-" + v(version));
        destination.stop();
        MqttTransport transport = MqttTransport.builder().endpoint("127.0.0.1:" + source.port())
                .protocolVersion(version).clientId("it-down-" + v(version)).cleanSession(false).subscribe("down/#")
                .build();
        MqttTransport toDestination = MqttTransport.builder().endpoint("127.0.0.1:" + destination.port())
                .protocolVersion(version).clientId("it-dst-" + v(version)).subscribe("unused")
                .connectTimeout(Duration.ofSeconds(2)).build();
        FakeSink sink = new FakeSink();
        String name = "down-" + v(version);
        SyncPipeline p = pipeline(SyncPipeline.builder().name(name).source(transport).sink(sink)
                .payload(Publisher.spec()).superTable("meters").subTableTemplate("d{id}")
                .batching(10, Duration.ofMillis(5)).maxInFlight(30)
                .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
                .deadLetterHandler(MqttDeadLetters.builder().connection(toDestination).build()));
        p.start();
        assertThat(p.state()).as("a destination that is down at start fails no pipeline")
                .isEqualTo(PipelineState.RUNNING);
        Set<Long> good = new TreeSet<>();
        try (Publisher pub = new Publisher(source.port())) {
            good.addAll(publishMixed(pub, "down/m", 0, 200));
            assertHeld(p, sink, 30, 200, 0);
            assertThat(mqtt(p).lastError()).startsWith("Pipeline '" + name + "': MQTT dead-letter destination: MQTT "
                    + "connect of client 'it-dst-" + v(version) + "-dl' to 127.0.0.1:" + destination.port()
                    + " failed: connection refused (");
            destination.start();
            await().atMost(WAIT).until(() -> p.metrics().acked() == 200);

            destination.stop();
            good.addAll(publishMixed(pub, "down/m", 200, 400));
            assertHeld(p, sink, 30, 400, 50);
            destination.start();
            await().atMost(WAIT).until(() -> p.metrics().acked() == 400);
        }
        assertThat(seqs(sink)).isEqualTo(good);
        assertThat(mqtt(p).stored()).isEqualTo(100);
        try (DeadLetterReader reader = DeadLetterReader.open(destination.port(), version,
                MqttDeadLetters.defaultKeeperClientId(name), PREFIX + "/#")) {
            await().atMost(WAIT).until(() -> reader.received().size() >= 100);
            Set<String> payloads = new TreeSet<>();
            for (DeadLetterReader.Received r : reader.received()) {
                assertWireFormat(r, version, name);
                payloads.add(new String(r.originalPayload(), StandardCharsets.UTF_8));
            }
            assertThat(payloads).hasSize(100).allMatch(s -> s.startsWith("bad "));
        }
    }

    private static PayloadSpec meters(ColumnType idType) {
        return PayloadSpec.json().timestamp("$.ts", TimestampUnit.MILLISECONDS).tag("id", "$.id", idType)
                .column("seq", "$.seq", ColumnType.BIGINT).tagFromTopicLevel("site", 1)
                .topic(FieldTarget.COLUMN).qos(FieldTarget.COLUMN).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.0", "3.1.1"})
    void replay_afterTheMappingIsFixed_writesTheDeadLetteredRows_withOriginalTopics_keeperQueueEndsEmpty(
            String version) throws Exception {
        Mosquitto broker = broker("replay-" + v(version));
        String name = "rp-" + v(version);
        MqttTransport source = MqttTransport.builder().endpoint("127.0.0.1:" + broker.port()).protocolVersion(version)
                .clientId("it-" + name).cleanSession(false).subscribe("rp/+/m").build();
        FakeSink sink = new FakeSink();
        // the mapping reads the id as INT, and one device in ten sends ids beyond it
        SyncPipeline p = pipeline(SyncPipeline.builder().name(name).source(source).sink(sink)
                .payload(meters(ColumnType.INT)).superTable("meters").subTableTemplate("d{id}")
                .batching(200, Duration.ofMillis(20)).deadLetterHandler(MqttDeadLetters.builder().connection(source)
                        .build()));
        p.start();
        Set<Long> bad = new TreeSet<>();
        try (Publisher pub = new Publisher(broker.port())) {
            for (int seq = 0; seq < 1_000; seq++) {
                long id = seq % 10 == 0 ? 3_000_000_000L + seq : seq % 10;
                pub.publish("rp/site" + (seq % 3) + "/m", "{\"id\":" + id + ",\"seq\":" + seq + ",\"ts\":"
                        + (Publisher.BASE_TS + seq) + "}", 1);
                if (seq % 10 == 0) {
                    bad.add((long) seq);
                }
            }
        }
        await().atMost(WAIT).until(() -> p.metrics().acked() == 1_000);
        assertThat(sink.rows()).hasSize(900);
        assertThat(p.metrics().deadLettersByReason()).isEqualTo(Map.of(DeadLetterReason.OUT_OF_RANGE, 100L));
        assertThat(mqtt(p).stored()).isEqualTo(100);
        p.close();

        // the mapping fixed (BIGINT), a replay pipeline reads what the broker kept for the keeper
        String keeper = MqttDeadLetters.defaultKeeperClientId(name);
        FakeSink replayed = new FakeSink();
        SyncPipeline r = pipeline(SyncPipeline.builder().name(name + "-replay")
                .source(MqttTransport.builder().endpoint("127.0.0.1:" + broker.port()).protocolVersion(version)
                        .clientId(keeper).cleanSession(false).sessionExpiry(MqttDeadLetters.KEEPER_SESSION_EXPIRY)
                        .deadLetterReplay(PREFIX).build())
                .payload(meters(ColumnType.BIGINT)).superTable("meters").subTableTemplate("d{id}").sink(replayed)
                .batching(200, Duration.ofMillis(20)));
        r.start();
        await().atMost(WAIT).until(() -> r.metrics().acked() == 100);
        assertThat(seqs(replayed)).isEqualTo(bad);
        assertThat(r.metrics().deadLetters()).isZero();
        for (Row row : replayed.rows()) {
            long seq = (Long) row.column("seq");
            assertThat(row.column("topic")).isEqualTo("rp/site" + (seq % 3) + "/m");
            assertThat(row.tag("site")).isEqualTo("site" + (seq % 3));
            assertThat(row.tag("id")).isEqualTo(3_000_000_000L + seq);
            assertThat(row.column("qos")).isEqualTo(1L);
            assertThat(row.subTable()).isEqualTo("d" + (3_000_000_000L + seq));
        }
        r.close();
        try (DeadLetterReader later = DeadLetterReader.open(broker.port(), version, keeper, PREFIX + "/#")) {
            await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> later.received().isEmpty());
        }
    }

    @Test
    void mqtt31_throughPaho_deadLettersAreEnvelopes_andTheReplayReadsThem() throws Exception {
        Mosquitto broker = broker("v31");
        MqttTransport source = MqttTransport.builder().endpoint("127.0.0.1:" + broker.port()).protocolVersion("3.1")
                .clientId("it-v31").cleanSession(false).subscribe("v31/+/m").build();
        FakeSink sink = new FakeSink();
        SyncPipeline p = pipeline(SyncPipeline.builder().name("v31").source(source).sink(sink)
                .payload(meters(ColumnType.INT)).superTable("meters").subTableTemplate("d{id}")
                .batching(50, Duration.ofMillis(20)).deadLetterHandler(MqttDeadLetters.builder().connection(source)
                        .keeper("v31-keeper").build()));
        p.start();
        try (Publisher pub = new Publisher(broker.port())) {
            for (int seq = 0; seq < 100; seq++) {
                long id = seq % 10 == 0 ? 3_000_000_000L + seq : seq % 10;
                pub.publish("v31/site" + (seq % 3) + "/m", "{\"id\":" + id + ",\"seq\":" + seq + ",\"ts\":"
                        + (Publisher.BASE_TS + seq) + "}", 1);
            }
        }
        await().atMost(WAIT).until(() -> p.metrics().acked() == 100);
        assertThat(sink.rows()).hasSize(90);
        assertThat(mqtt(p).stored()).isEqualTo(10);
        p.close();
        FakeSink replayed = new FakeSink();
        SyncPipeline r = pipeline(SyncPipeline.builder().name("v31-replay")
                .source(MqttTransport.builder().endpoint("127.0.0.1:" + broker.port()).protocolVersion("3.1")
                        .clientId("v31-keeper").cleanSession(false).deadLetterReplay(PREFIX).build())
                .payload(meters(ColumnType.BIGINT)).superTable("meters").subTableTemplate("d{id}").sink(replayed)
                .batching(50, Duration.ofMillis(20)));
        r.start();
        await().atMost(WAIT).until(() -> r.metrics().acked() == 10);
        assertThat(seqs(replayed)).containsExactly(0L, 10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L);
        for (Row row : replayed.rows()) {
            long seq = (Long) row.column("seq");
            assertThat(row.column("topic")).isEqualTo("v31/site" + (seq % 3) + "/m");
            assertThat(row.tag("site")).isEqualTo("site" + (seq % 3));
        }
    }

    @Test
    void keeperQueueFull_mosquittoAcknowledgesAndDropsTheNewest_asDocumented() throws Exception {
        // mosquitto's max_queued_messages (1000 by default) bounds the keeper's queue; beyond it the broker still
        // answers PUBACK 0x00 and drops the message, so the destination cannot tell
        Mosquitto broker = Mosquitto.builder(Files.createDirectories(dir.resolve("queue-full"))).maxQueued(5).start();
        closeLast.add(broker);
        MqttTransport source = MqttTransport.builder().endpoint("127.0.0.1:" + broker.port()).clientId("it-full")
                .subscribe("full/#").build();
        SyncPipeline p = pipeline(SyncPipeline.builder().name("full").source(source).sink(new FakeSink())
                .payload(Publisher.spec()).superTable("meters").subTableTemplate("d{id}")
                .deadLetterHandler(MqttDeadLetters.builder().connection(source).build()));
        p.start();
        try (Publisher pub = new Publisher(broker.port())) {
            for (int i = 0; i < 12; i++) {
                pub.publish("full/m", "bad " + i, 1);
            }
        }
        await().atMost(WAIT).until(() -> p.metrics().acked() == 12);
        assertThat(mqtt(p).stored()).isEqualTo(12);
        assertThat(mqtt(p).failures()).isZero();
        try (DeadLetterReader reader = DeadLetterReader.open(broker.port(), "5.0",
                MqttDeadLetters.defaultKeeperClientId("full"), PREFIX + "/#")) {
            await().atMost(WAIT).until(() -> reader.received().size() >= 5);
            await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> reader.received().size() == 5);
        }
        assertThat(broker.log()).contains("Outgoing messages are being dropped for client "
                + MqttDeadLetters.defaultKeeperClientId("full"));
    }

    @Test
    void handlerOnItsOwn_storesAndThrowsAsTheContractSays() throws Exception {
        Mosquitto broker = broker("direct");
        MqttTransport source = MqttTransport.builder().endpoint("127.0.0.1:" + broker.port()).clientId("it-direct")
                .subscribe("direct/#").build();
        DeadLetterHandler handler = MqttDeadLetters.builder().connection(source).noKeeper()
                .publishTimeout(Duration.ofSeconds(2)).build();
        DeadLetter d = new DeadLetter("direct", "direct/a", new byte[] {1, 2, 3}, 1, java.time.Instant.now(),
                DeadLetterReason.INVALID_PAYLOAD, "Pipeline 'direct': payload is not JSON", null);
        // no keeper and nobody subscribed: MQTT 5 says 0x10, the broker discarded it
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> handler.handle(d))
                .isInstanceOf(io.github.mqtt2tdengine.errors.RetriableSinkException.class)
                .hasMessage("Pipeline 'direct': MQTT broker 127.0.0.1:" + broker.port() + " refused 1 of 1 dead "
                        + "letter(s), the first on '" + PREFIX + "/direct/a': NO_MATCHING_SUBSCRIBERS (0x10)");
        try (DeadLetterReader reader = DeadLetterReader.open(broker.port(), "5.0", "it-direct-reader",
                PREFIX + "/#")) {
            handler.handleAll(List.of(d, d));
            await().atMost(WAIT).until(() -> reader.received().size() == 2);
            assertThat(reader.received().get(0).payload()).containsExactly(1, 2, 3);
        }
        handler.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> handler.handle(d))
                .hasMessage("Pipeline 'direct': the MQTT dead-letter destination is closed");
    }
}
