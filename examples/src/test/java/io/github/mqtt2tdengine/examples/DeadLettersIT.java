package io.github.mqtt2tdengine.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.DeadLetter;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.deadletters.DeadLetterEnvelope;
import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.mqtt.MqttDeadLetters;
import io.github.mqtt2tdengine.mqtt.MqttTransport;
import io.github.mqtt2tdengine.mqtt.testing.Mosquitto;
import io.github.mqtt2tdengine.mqtt.testing.Publisher;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.Field;
import io.github.mqtt2tdengine.payload.NonFiniteNumberPolicy;
import io.github.mqtt2tdengine.payload.PayloadPolicies;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.StringOverflowPolicy;
import io.github.mqtt2tdengine.payload.TableNamePolicy;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.Row;
import io.github.mqtt2tdengine.tdengine.TDengineDeadLetterReplay;
import io.github.mqtt2tdengine.tdengine.TDengineSink;
import io.github.mqtt2tdengine.tdengine.testing.TDenginePeer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue #28 end to end: 1,000 messages through a real mosquitto, 100 of them bad in five ways; the 900 good rows in
 * TDengine, the 100 bad ones byte for byte in all three destinations of {@link DeadLetterExample} (a TDengine table, an
 * MQTT topic kept for the keeper session, a JSON Lines file), each message acknowledged once; then the mapping fixed
 * and the dead letters replayed, from MQTT into a recording sink and from TDengine into TDengine, which empties the
 * table. Against the REST test server and every real TDengine connection present.
 */
class DeadLettersIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final long BASE_TS = 1_765_000_000_000L;

    @TempDir
    Path dir;

    static List<TDenginePeer.Server> servers() {
        return TDenginePeer.Server.all().toList();
    }

    /** The mapping before the fix: strict. */
    static PayloadSpec strict() {
        return spec(true, PayloadPolicies.builder().stringOverflow(StringOverflowPolicy.REJECT)
                .nonFiniteNumber(NonFiniteNumberPolicy.REJECT).tableName(TableNamePolicy.REJECT).build());
    }

    /** The mapping fixed: a missing current or voltage is NULL, long locations are cut, odd ids are made legal. */
    static PayloadSpec fixed() {
        return spec(false, PayloadPolicies.builder().stringOverflow(StringOverflowPolicy.TRUNCATE)
                .nonFiniteNumber(NonFiniteNumberPolicy.NULL).tableName(TableNamePolicy.REPLACE).build());
    }

    private static PayloadSpec spec(boolean required, PayloadPolicies policies) {
        return PayloadSpec.json()
                .withoutReceiveTime()
                .timestamp("ts", "$.ts", TimestampUnit.MILLISECONDS)
                .field(Field.builder("current").path("$.current").type(ColumnType.DOUBLE).required(required).build())
                .field(Field.builder("voltage").path("$.voltage").type(ColumnType.INT).required(required).build())
                .field(Field.builder("seq").path("$.seq").type(ColumnType.BIGINT).required(true).build())
                .tag("id", "$.id", ColumnType.varchar(32))
                .tag("loc", "$.loc", ColumnType.varchar(16))
                .superTable("meters").subTableTemplate("d{id}")
                .policies(policies)
                .build();
    }

    /** Message {@code seq}: every tenth is bad, in one of five ways by {@code seq / 10 % 5}. */
    static byte[] payload(int seq) {
        String id = "m" + (seq % 7);
        long ts = BASE_TS + seq;
        String body;
        if (seq % 10 != 9) {
            body = "\"current\":" + (seq % 50) + ".5,\"voltage\":230,\"loc\":\"hall-1\"";
        } else {
            body = switch (seq / 10 % 5) {
                case 0 -> "\"voltage\":230,\"loc\":\"hall-1\"";                                   // no current
                case 1 -> "\"current\":1.5,\"voltage\":230,\"loc\":\"hall-1 'east' `wing` \\\\ \\\"x\\\"\"";
                case 2 -> "\"current\":\"NaN\",\"voltage\":230,\"loc\":\"hall-1\"";               // not a number
                case 3 -> "\"current\":2.5,\"loc\":\"hall-1\"";                                   // no voltage
                default -> "\"current\":3.5,\"voltage\":230,\"loc\":\"hall-1\"";                  // id made odd below
            };
            if (seq / 10 % 5 == 4) {
                id = "m." + (seq % 7);
            }
        }
        return ("{\"id\":\"" + id + "\",\"ts\":" + ts + ",\"seq\":" + seq + "," + body + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static DeadLetterReason reason(int seq) {
        return switch (seq / 10 % 5) {
            case 0, 3 -> DeadLetterReason.MISSING_FIELD;
            case 1 -> DeadLetterReason.VALUE_TOO_LONG;
            case 2 -> DeadLetterReason.NON_FINITE_NUMBER;
            default -> DeadLetterReason.INVALID_TABLE_NAME;
        };
    }

    static String topic(int seq) {
        return "plant-a/m" + (seq % 7) + "/meters";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void badMessages_keptInEveryDestinationByteForByte_thenReplayedAfterTheFix(TDenginePeer.Server server)
            throws Exception {
        try (TDenginePeer peer = server.open();
                Mosquitto broker = Mosquitto.builder(Files.createDirectories(dir.resolve("broker"))).start()) {
            String db = peer.database("dl_e2e");
            peer.createDatabase(db, "ms");
            TDengineSink sink = TDengineSink.builder().jdbcUrl(peer.url(db)).credentials(peer.user(), peer.password())
                    .build();
            MqttTransport source = MqttTransport.builder().endpoint("127.0.0.1:" + broker.port())
                    .clientId("mqtt2td-dl-e2e").subscribe("plant-a/+/meters").build();
            Path files = dir.resolve("dead-letters");
            SyncPipeline pipeline = DeadLetterExample.pipeline(source, sink, strict(), files);
            Map<String, Integer> bad = new HashMap<>(); // base64 payload -> seq
            pipeline.start();
            try (Publisher pub = new Publisher(broker.port())) {
                for (int seq = 0; seq < 1_000; seq++) {
                    pub.publish(topic(seq), payload(seq), 1);
                    if (seq % 10 == 9) {
                        bad.put(b64(payload(seq)), seq);
                    }
                }
            }
            await().atMost(WAIT).until(() -> pipeline.metrics().acked() == 1_000);
            pipeline.close();
            assertThat(pipeline.metrics().received()).isEqualTo(1_000);
            assertThat(pipeline.metrics().rowsWritten()).isEqualTo(900);
            assertThat(pipeline.metrics().deadLetters()).isEqualTo(100);
            assertThat(peer.rowCount(db, "meters")).isEqualTo(900);
            pipeline.metrics().deadLetterDestinations().forEach((name, m) ->
                    assertThat(m.stored()).as("stored at %s", name).isEqualTo(100));

            // the file: every bad message, byte for byte, with its reason
            List<DeadLetter> inFile = new ArrayList<>();
            for (String line : Files.readAllLines(files.resolve("dead-letters.jsonl"))) {
                inFile.add(DeadLetterEnvelope.decode(line.getBytes(StandardCharsets.UTF_8)));
            }
            assertKept(inFile, bad);

            // the TDengine table: one row per dead letter (each payload fits one part), same bytes and reasons
            List<DeadLetter> inTable = new ArrayList<>();
            for (String table : peer.tableNames(db)) {
                if (!table.startsWith("dl_")) {
                    continue;
                }
                DeadLetterReason reason = DeadLetterReason.valueOf((String) peer.tags(db, table).get("reason"));
                for (Map<String, Object> row : peer.rows(db, table).values()) {
                    inTable.add(new DeadLetter("plant-a-meters", (String) row.get("mqtt_topic"), (byte[]) row.get(
                            "payload"), 1, java.time.Instant.EPOCH, reason, (String) row.get("detail"), null));
                }
            }
            assertKept(inTable, bad);

            // MQTT: a replay pipeline on the keeper's session takes what the broker kept, through the fixed mapping
            FakeSink replayed = new FakeSink();
            SyncPipeline fromMqtt = SyncPipeline.builder().name("plant-a-meters-mqtt-replay")
                    .source(MqttTransport.builder().endpoint("127.0.0.1:" + broker.port())
                            .clientId(MqttDeadLetters.defaultKeeperClientId("plant-a-meters")).cleanSession(false)
                            .sessionExpiry(MqttDeadLetters.KEEPER_SESSION_EXPIRY)
                            .deadLetterReplay(MqttDeadLetters.DEFAULT_PREFIX).build())
                    .payload(fixed()).sink(replayed).build();
            fromMqtt.start();
            try {
                await().atMost(WAIT).until(() -> replayed.rows().size() == 100);
            } finally {
                fromMqtt.close();
            }
            assertThat(fromMqtt.metrics().deadLetters()).isZero();
            Map<Long, Row> bySeq = new TreeMap<>();
            replayed.rows().forEach(r -> bySeq.put((Long) r.column("seq"), r));
            assertThat(bySeq.keySet()).containsExactlyInAnyOrderElementsOf(bad.values().stream().map(Long::valueOf)
                    .toList());

            // TDengine: the replay writes the 100 rows into the same table and empties the dead letters
            TDengineDeadLetterReplay.Result result = DeadLetterExample.replay(sink, fixed());
            assertThat(result.found()).isEqualTo(100);
            assertThat(result.deleted()).isEqualTo(100);
            assertThat(peer.rowCount(db, "meters")).isEqualTo(1_000);
            assertThat(peer.rowCount(db, "mqtt2td_dead_letters")).isZero();
        }
    }

    private static void assertKept(List<DeadLetter> kept, Map<String, Integer> bad) {
        assertThat(kept).hasSize(100);
        Map<String, Integer> seen = new HashMap<>();
        for (DeadLetter d : kept) {
            Integer seq = bad.get(b64(d.payload()));
            assertThat(seq).as("a kept payload that was published as bad: %s", d.payloadPreview()).isNotNull();
            assertThat(d.topic()).isEqualTo(topic(seq));
            assertThat(d.reason()).as("reason of seq %d", seq).isEqualTo(reason(seq));
            assertThat(d.message()).contains("topic '" + topic(seq) + "'");
            seen.merge(b64(d.payload()), 1, Integer::sum);
        }
        assertThat(seen).hasSize(100).allSatisfy((k, n) -> assertThat(n).isEqualTo(1));
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
