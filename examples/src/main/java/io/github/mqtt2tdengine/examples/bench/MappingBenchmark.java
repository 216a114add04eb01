package io.github.mqtt2tdengine.examples.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.mqtt2tdengine.internal.payload.JsonPayloadParser;
import io.github.mqtt2tdengine.internal.payload.Mapping;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.Compression;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Mapping alone, in messages per second on one thread: the library's mapping of the benchmark payload
 * ({@link BenchPayload#spec()}: JSON parse, ten fields, type checks and conversions, sub-table name) next to B1's
 * hand-written extraction of the same fields (Jackson {@code readTree} and {@code path(...)} navigation), and the same
 * pair for the five-field payload ({@link BenchPayload#specFive()}). Run with
 * {@code java -cp examples/target/mqtt2tdengine-demo.jar org.openjdk.jmh.Main MappingBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MappingBenchmark {
    private static final int MESSAGES = 1_000;
    private static final Instant NOW = Instant.parse("2026-11-24T00:00:00Z");

    private final ObjectMapper mapper = new ObjectMapper();
    /** B1 given the library's faster double parsing, to show how much of the gap that setting closes. */
    private final ObjectMapper fastMapper = JsonMapper.builder(JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build()).build();
    private byte[][] payloads;
    private byte[][] payloadsFive;
    private String[] topics;
    private Mapping mapping;
    private Mapping mappingFive;
    private byte[][] gzipFive;
    private byte[][] csvFive;
    private byte[][] regexFive;
    private byte[][] plainOne;
    private Mapping mappingGzip;
    private Mapping mappingJsonLines;
    private Mapping mappingCsv;
    private Mapping mappingRegex;
    private Mapping mappingPlain;
    private int next;

    /** Builds the payloads and compiles the mapping. */
    @Setup
    public void setUp() {
        Random random = new Random(7);
        payloads = new byte[MESSAGES][];
        payloadsFive = new byte[MESSAGES][];
        topics = new String[MESSAGES];
        for (int i = 0; i < MESSAGES; i++) {
            payloads[i] = BenchPayload.payload(i, MESSAGES, random);
            payloadsFive[i] = BenchPayload.payloadFive(i, MESSAGES, random);
            topics[i] = BenchPayload.topic(i);
        }
        mapping = new Mapping("bench", "#", BenchPayload.spec());
        mappingFive = new Mapping("bench", "#", BenchPayload.specFive());
        // the same five values in each other format
        gzipFive = new byte[MESSAGES][];
        csvFive = new byte[MESSAGES][];
        regexFive = new byte[MESSAGES][];
        plainOne = new byte[MESSAGES][];
        for (int i = 0; i < MESSAGES; i++) {
            JsonNode n;
            try {
                n = mapper.readTree(payloadsFive[i]);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (GZIPOutputStream z = new GZIPOutputStream(out)) {
                    z.write(payloadsFive[i]);
                }
                gzipFive[i] = out.toByteArray();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            csvFive[i] = (n.path("id").asText() + "," + n.path("ts").asText() + "," + n.path("temp").asText() + ","
                    + n.path("hum").asText() + "," + n.path("status").asText()).getBytes(StandardCharsets.UTF_8);
            regexFive[i] = ("id=" + n.path("id").asText() + " ts=" + n.path("ts").asText() + " temp="
                    + n.path("temp").asText() + " hum=" + n.path("hum").asText() + " status="
                    + n.path("status").asText()).getBytes(StandardCharsets.UTF_8);
            plainOne[i] = n.path("temp").asText().getBytes(StandardCharsets.UTF_8);
        }
        mappingGzip = new Mapping("bench", "#", BenchPayload.specFive().toBuilder().compression(Compression.GZIP)
                .build());
        mappingJsonLines = new Mapping("bench", "#", five(PayloadSpec.jsonLines()));
        mappingCsv = new Mapping("bench", "#", five(PayloadSpec.csv(',', List.of("id", "ts", "temp", "hum",
                "status"))));
        mappingRegex = new Mapping("bench", "#", five(PayloadSpec.regex(
                "id=(?<id>\\d+) ts=(?<ts>\\d+) temp=(?<temp>\\S+) hum=(?<hum>\\S+) status=(?<status>\\w+)")));
        mappingPlain = new Mapping("bench", "#", PayloadSpec.plain("temp").tagFromTopicLevel("id", 1, ColumnType.INT)
                .column("temp", "$.temp", ColumnType.DOUBLE).superTable("sensors").subTableTemplate("s{id}").build());
    }

    /** The five-field spec's fields on another format's builder. */
    private static PayloadSpec five(PayloadSpec.Builder b) {
        return b.withoutReceiveTime().timestamp("ts", "$.ts", TimestampUnit.MILLISECONDS)
                .tag("id", "$.id", ColumnType.INT).column("temp", "$.temp", ColumnType.DOUBLE)
                .column("hum", "$.hum", ColumnType.DOUBLE).column("status", "$.status", ColumnType.varchar(8))
                .superTable("sensors").subTableTemplate("s{id}").build();
    }

    /**
     * The five-field payload gzipped: expansion, then the same mapping as {@link #libraryFive()}.
     *
     * @return the rows
     */
    @Benchmark
    public Object gzipFive() {
        int i = next++ % MESSAGES;
        return mappingGzip.map(topics[i], gzipFive[i], 1, NOW, TimePrecision.MILLISECONDS);
    }

    /**
     * The five-field payload as JSON Lines (one line): the tree and a split of one element.
     *
     * @return the rows
     */
    @Benchmark
    public Object jsonLinesFive() {
        int i = next++ % MESSAGES;
        return mappingJsonLines.map(topics[i], payloadsFive[i], 1, NOW, TimePrecision.MILLISECONDS);
    }

    /**
     * The five values as one CSV line with column names.
     *
     * @return the rows
     */
    @Benchmark
    public Object csvFive() {
        int i = next++ % MESSAGES;
        return mappingCsv.map(topics[i], csvFive[i], 1, NOW, TimePrecision.MILLISECONDS);
    }

    /**
     * The five values matched by a regular expression with named groups.
     *
     * @return the rows
     */
    @Benchmark
    public Object regexFive() {
        int i = next++ % MESSAGES;
        return mappingRegex.map(topics[i], regexFive[i], 1, NOW, TimePrecision.MILLISECONDS);
    }

    /**
     * One plain value, its tag from the topic, the receive time as key.
     *
     * @return the rows
     */
    @Benchmark
    public Object plainOne() {
        int i = next++ % MESSAGES;
        return mappingPlain.map(topics[i], plainOne[i], 1, NOW, TimePrecision.MILLISECONDS);
    }

    /**
     * The library's mapping: payload to typed rows with their sub-table and tags.
     *
     * @return the rows
     */
    @Benchmark
    public Object library() {
        int i = next++ % MESSAGES;
        return mapping.map(topics[i], payloads[i], 1, NOW, TimePrecision.MILLISECONDS);
    }

    /**
     * For reference, the library's JSON parse alone (Jackson tree, trailing tokens and nesting depth checked): the
     * floor under {@link #library()}.
     *
     * @return the tree
     */
    @Benchmark
    public Object libraryParseOnly() {
        int i = next++ % MESSAGES;
        return JsonPayloadParser.INSTANCE.parseTree(payloads[i]);
    }

    /**
     * For reference, a plain {@code ObjectMapper.readTree}: the floor under {@link #handWritten()}.
     *
     * @return the tree
     * @throws IOException never for these payloads
     */
    @Benchmark
    public Object plainParseOnly() throws IOException {
        int i = next++ % MESSAGES;
        return mapper.readTree(payloads[i]);
    }

    /**
     * B1's hand-written extraction: the same fields with the same types, and the sub-table name.
     *
     * @return the values
     * @throws IOException never for these payloads
     */
    @Benchmark
    public Object handWritten() throws IOException {
        return extract(mapper.readTree(payloads[next++ % MESSAGES]));
    }

    /**
     * B1's hand-written extraction with the library's parser setting (FastDoubleParser), for reference.
     *
     * @return the values
     * @throws IOException never for these payloads
     */
    @Benchmark
    public Object handWrittenFastDoubles() throws IOException {
        return extract(fastMapper.readTree(payloads[next++ % MESSAGES]));
    }

    /**
     * The library's mapping of the five-field payload ({@link BenchPayload#specFive()}).
     *
     * @return the rows
     */
    @Benchmark
    public Object libraryFive() {
        int i = next++ % MESSAGES;
        return mappingFive.map(topics[i], payloadsFive[i], 1, NOW, TimePrecision.MILLISECONDS);
    }

    /**
     * B1's hand-written extraction of the five-field payload.
     *
     * @return the values
     * @throws IOException never for these payloads
     */
    @Benchmark
    public Object handWrittenFive() throws IOException {
        JsonNode n = mapper.readTree(payloadsFive[next++ % MESSAGES]);
        int id = n.path("id").asInt();
        return new Object[] {"s" + id, n.path("ts").asLong(), id, n.path("temp").asDouble(), n.path("hum").asDouble(),
            n.path("status").asText()};
    }

    private static Object[] extract(JsonNode n) {
        JsonNode site = n.path("site");
        int id = n.path("id").asInt();
        return new Object[] {"d" + id, n.path("ts").asLong(), id, (float) n.path("current").asDouble(),
            n.path("voltage").asInt(), (float) n.path("phase").asDouble(), (float) n.path("temperature").asDouble(),
            n.path("power").asDouble(), n.path("status").asText(), site.path("location").asText(),
            site.path("floor").asInt()};
    }
}
