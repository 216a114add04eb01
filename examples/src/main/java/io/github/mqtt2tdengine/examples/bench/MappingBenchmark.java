package io.github.mqtt2tdengine.examples.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.mqtt2tdengine.internal.payload.JsonPayloadParser;
import io.github.mqtt2tdengine.internal.payload.Mapping;
import io.github.mqtt2tdengine.payload.TimePrecision;
import java.io.IOException;
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
