package io.github.mqtt2tdengine.deadletters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.DeadLetter;
import io.github.mqtt2tdengine.PipelineState;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.errors.RetriableSinkException;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.FakeTransport;
import io.github.mqtt2tdengine.spi.FakeTransport.FakeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file destination: what it writes reads back byte for byte, it rotates, and it refuses rather than loses. */
class FileDeadLettersTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** Payloads and topics a hostile or broken device may send. */
    static List<DeadLetter> hostile() {
        byte[] big = new byte[1 << 20];
        new Random(7).nextBytes(big);
        List<byte[]> payloads = List.of("{\"v\":'x'}".getBytes(StandardCharsets.UTF_8),
                "a`b``c\"d\\e".getBytes(StandardCharsets.UTF_8), new byte[] {0, 1, 0, 'x', 0},
                new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE}, new byte[0], big,
                "line\nbreak\r\n".getBytes(StandardCharsets.UTF_8));
        List<String> topics = List.of("plant/'a'/m", "plant/`b`/m", "plant/\"c\"/m", "plant/温度/m", "p/ space /m",
                "p/back\\slash", "p/x");
        List<DeadLetter> list = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            list.add(new DeadLetter("p'1", topics.get(i), payloads.get(i), i % 3, Instant.ofEpochMilli(1_765_000_000_123L
                    + i), DeadLetterReason.values()[i], "detail with 'quotes' and \"more\" #" + i, null));
        }
        return list;
    }

    static List<DeadLetter> read(FileDeadLetters f) throws IOException {
        List<DeadLetter> out = new ArrayList<>();
        for (Path p : f.files()) {
            for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                out.add(DeadLetterEnvelope.decode(line.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    static void assertSame(List<DeadLetter> actual, List<DeadLetter> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            DeadLetter a = actual.get(i);
            DeadLetter e = expected.get(i);
            assertThat(a.payload()).as("payload %d", i).isEqualTo(e.payload());
            assertThat(a.topic()).isEqualTo(e.topic());
            assertThat(a.pipelineName()).isEqualTo(e.pipelineName());
            assertThat(a.qos()).isEqualTo(e.qos());
            assertThat(a.receivedAt()).isEqualTo(e.receivedAt());
            assertThat(a.reason()).isEqualTo(e.reason());
            assertThat(a.message()).isEqualTo(e.message());
        }
    }

    @Test
    void hostileInput_roundTripsByteForByte() throws IOException {
        List<DeadLetter> in = hostile();
        try (FileDeadLetters f = FileDeadLetters.builder().directory(dir.resolve("new/dl")).build()) {
            f.handleAll(in.subList(0, 3));
            f.handleAll(in.subList(3, in.size()));
            assertThat(Files.readAllLines(f.currentFile())).hasSize(in.size());
            assertSame(read(f), in);
        }
    }

    @Test
    void rotatesBySize_andRefusesWhenAllFilesAreFull_untilOneIsMoved() throws IOException {
        FileDeadLetters f = FileDeadLetters.builder().directory(dir).prefix("dl").maxFileBytes(2048).maxFiles(3)
                .build();
        DeadLetter d = new DeadLetter("p", "t", new byte[600], 1, Instant.EPOCH, DeadLetterReason.INVALID_PAYLOAD,
                "bad", null); // ~1 KiB a line: two per file
        List<DeadLetter> stored = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            f.handle(d);
            stored.add(d);
        }
        assertThat(f.files()).hasSize(3);
        assertThat(f.files().get(2)).isEqualTo(f.currentFile());
        long before = Files.size(f.currentFile());
        assertThatThrownBy(() -> f.handle(d)).isInstanceOf(RetriableSinkException.class)
                .hasMessageContaining("3 dead-letter files exist (maxFiles)")
                .hasMessageContaining("move or delete files in " + dir);
        assertThat(Files.size(f.currentFile())).isEqualTo(before);
        assertSame(read(f), stored);

        Path oldest = f.files().get(0);
        Files.move(oldest, dir.resolve("archived.json"));
        f.handle(d);
        assertThat(f.files()).hasSize(3);
        f.close();
    }

    @Test
    void unwritableDirectory_fails_thenStoresOnceItIsFixed() throws IOException {
        Path blocked = dir.resolve("blocked");
        Files.writeString(blocked, "a file where the directory should be");
        FileDeadLetters f = FileDeadLetters.builder().directory(blocked).build();
        DeadLetter d = hostile().get(0);
        assertThatThrownBy(() -> f.handle(d)).isInstanceOf(RetriableSinkException.class)
                .hasMessageContaining("cannot store 1 dead letter(s) in " + blocked.resolve("dead-letters.jsonl"));
        Files.delete(blocked);
        f.handle(d);
        assertSame(read(f), List.of(d));
        f.close();
    }

    /**
     * A full disk, as the kernel reports it: the file is a link to /dev/full, whose writes fail with ENOSPC. The bad
     * messages hold their places, the transport pauses at maxInFlight, nothing unstored is acknowledged; once the
     * disk has room (the link removed) everything completes.
     */
    @Test
    void diskFull_badMessagesHeldAndTransportPaused_thenAllCompleteOnceThereIsRoom() throws IOException {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "/dev/full is not here (not Linux)");
        Files.createSymbolicLink(dir.resolve("dead-letters.jsonl"), full);
        FakeTransport transport = new FakeTransport();
        FakeSink sink = new FakeSink();
        FileDeadLetters file = FileDeadLetters.builder().directory(dir).build();
        SyncPipeline pipeline = SyncPipeline.builder().name("disk-full").source(transport).sink(sink)
                .payload(PayloadSpec.json().tag("id", "$.id", ColumnType.INT).build())
                .superTable("m").subTableTemplate("d{id}").batching(10, Duration.ofMillis(5)).maxInFlight(20)
                .retryBackoff(Duration.ofMillis(5), Duration.ofMillis(50)).deadLetterHandler(file).build();
        pipeline.start();
        try {
            List<FakeMessage> bad = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                bad.add(transport.publish("plant/" + i, ("not json " + i).getBytes(StandardCharsets.UTF_8), 1,
                        Instant.now()));
            }
            await().atMost(WAIT).until(() -> transport.paused()
                    && pipeline.metrics().deadLetterDestinations().get("file").failures() >= 3);
            assertThat(bad).noneMatch(FakeMessage::acked);
            assertThat(pipeline.metrics().deadLetterDestinations().get("file").lastError())
                    .contains("No space left on device");

            Files.delete(dir.resolve("dead-letters.jsonl"));
            await().atMost(WAIT).until(() -> bad.stream().allMatch(FakeMessage::acked));
            assertThat(bad).allMatch(m -> m.ackCount() == 1);
            assertThat(read(file)).hasSize(20);
        } finally {
            pipeline.close();
        }
    }

    @Test
    void builder_rejectsBadSettings_withHowToFix() {
        assertThatThrownBy(() -> FileDeadLetters.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessage("directory must be set: FileDeadLetters.builder().directory(Path.of(...))");
        assertThatThrownBy(() -> FileDeadLetters.builder().prefix("../x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prefix must be letters, digits, '-', '_' or '.', but was '../x'");
        assertThatThrownBy(() -> FileDeadLetters.builder().maxFiles(0)).hasMessage("maxFiles must be at least 1, but was 0");
        assertThatThrownBy(() -> FileDeadLetters.builder().maxFileBytes(10))
                .hasMessage("maxFileBytes must be at least 1024, but was 10");
    }

    @Test
    void envelope_refusesWhatItCannotRead_namingTheField() {
        assertThatThrownBy(() -> DeadLetterEnvelope.decode("[1]".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("dead-letter envelope is not a JSON object");
        assertThatThrownBy(() -> DeadLetterEnvelope.decode("{\"topic\":\"t\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("dead-letter envelope has no 'payload'");
        assertThatThrownBy(() -> DeadLetterEnvelope.decode(("{\"topic\":\"t\",\"payload\":\"AAA=\",\"reason\":\"NOPE\"}")
                .getBytes(StandardCharsets.UTF_8))).hasMessage("dead-letter reason 'NOPE' is unknown");
        assertThatThrownBy(() -> DeadLetterEnvelope.decode(("{\"topic\":\"t\",\"payload\":\"AAA=\",\"payloadLength\":5,"
                + "\"reason\":\"NO_ROUTE\",\"receivedAt\":\"1970-01-01T00:00:00Z\"}").getBytes(StandardCharsets.UTF_8)))
                .hasMessage("dead-letter envelope's payload has 2 bytes but payloadLength says 5");
    }

    /** Through a pipeline: 100 messages, 10 bad of five kinds; the file holds the 10, each acknowledged once. */
    @Test
    void pipeline_badMessagesKeptInTheFile_acknowledgedOnlyOnceSynced() throws IOException {
        FakeTransport transport = new FakeTransport();
        FakeSink sink = new FakeSink();
        FileDeadLetters file = FileDeadLetters.builder().directory(dir).build();
        SyncPipeline pipeline = SyncPipeline.builder().name("files").source(transport).sink(sink)
                .payload(PayloadSpec.json().tag("id", "$.id", ColumnType.INT).column("v", "$.v", ColumnType.TINYINT)
                        .column("s", "$.s", ColumnType.varchar(4)).build())
                .superTable("m").subTableTemplate("d{id}").batching(20, Duration.ofMillis(20))
                .deadLetterHandler(file).build();
        pipeline.start();
        try {
            List<byte[]> bad = List.of("not json".getBytes(StandardCharsets.UTF_8),
                    "{\"v\":1}".getBytes(StandardCharsets.UTF_8), "{\"id\":1,\"v\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                    "{\"id\":1,\"v\":300}".getBytes(StandardCharsets.UTF_8),
                    "{\"id\":1,\"v\":1,\"s\":\"too long\"}".getBytes(StandardCharsets.UTF_8));
            List<FakeMessage> sent = new ArrayList<>();
            List<byte[]> expectedBad = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                byte[] p = i % 10 == 9 ? bad.get(i / 10 % 5)
                        : ("{\"id\":" + (i % 7) + ",\"v\":" + (i % 100) + "}").getBytes(StandardCharsets.UTF_8);
                if (i % 10 == 9) {
                    expectedBad.add(p);
                }
                sent.add(transport.publish("plant/" + i, p, 1, Instant.now()));
            }
            await().atMost(WAIT).until(() -> sent.stream().allMatch(FakeMessage::acked));
            assertThat(sent).allMatch(m -> m.ackCount() == 1);
            assertThat(sink.rows()).hasSize(90);
            List<DeadLetter> kept = read(file);
            assertThat(kept).extracting(DeadLetter::payload).containsExactlyElementsOf(expectedBad);
            assertThat(kept).extracting(DeadLetter::reason).containsExactly(DeadLetterReason.INVALID_PAYLOAD,
                    DeadLetterReason.INVALID_TABLE_NAME, DeadLetterReason.TYPE_MISMATCH, DeadLetterReason.OUT_OF_RANGE,
                    DeadLetterReason.VALUE_TOO_LONG, DeadLetterReason.INVALID_PAYLOAD, DeadLetterReason.INVALID_TABLE_NAME,
                    DeadLetterReason.TYPE_MISMATCH, DeadLetterReason.OUT_OF_RANGE, DeadLetterReason.VALUE_TOO_LONG);
            assertThat(pipeline.metrics().deadLetterDestinations().get("file").stored()).isEqualTo(10);
        } finally {
            pipeline.close();
        }
        assertThat(pipeline.state()).isEqualTo(PipelineState.CLOSED);
        assertThat(Arrays.asList(dir.toFile().list())).containsExactly("dead-letters.jsonl");
    }
}
