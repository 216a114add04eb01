package io.github.mqtt2tdengine.examples.bench;

import io.github.mqtt2tdengine.internal.payload.MappedMessage;
import io.github.mqtt2tdengine.internal.payload.Mapping;
import io.github.mqtt2tdengine.payload.TimePrecision;
import java.time.Instant;
import java.util.Random;
import java.util.function.LongUnaryOperator;

/**
 * One build's mapping of the benchmark payloads, driven by {@link MappingCompare}: loaded once per build, each in its
 * own class loader, so the two builds' {@code Mapping} classes are compiled and profiled apart. It uses only the API
 * both builds have ({@code new Mapping(name, filter, spec)}, {@code map(...)}, {@link BenchPayload}'s specs).
 */
public final class MappingDriver implements LongUnaryOperator {
    private static final int MESSAGES = 1_000;
    private static final Instant NOW = Instant.parse("2026-11-24T00:00:00Z");

    private final byte[][] payloads = new byte[MESSAGES][];
    private final String[] topics = new String[MESSAGES];
    private final Mapping mapping;
    private int next;

    /**
     * Builds the payloads (the same ones as {@code MappingBenchmark}) and compiles the mapping.
     *
     * @param five the five-field load, else the ten-field one
     */
    public MappingDriver(boolean five) {
        Random random = new Random(7);
        for (int i = 0; i < MESSAGES; i++) {
            payloads[i] = five ? BenchPayload.payloadFive(i, MESSAGES, random) : BenchPayload.payload(i, MESSAGES, random);
            topics[i] = BenchPayload.topic(i);
        }
        mapping = new Mapping("bench", "#", five ? BenchPayload.specFive() : BenchPayload.spec());
    }

    /**
     * Maps {@code count} messages.
     *
     * @param count how many
     * @return a sum over the rows' sub-table names, so that no mapping can be left out by the compiler
     */
    @Override
    public long applyAsLong(long count) {
        long sum = 0;
        for (long n = 0; n < count; n++) {
            int i = next;
            next = i + 1 == MESSAGES ? 0 : i + 1;
            MappedMessage m = mapping.map(topics[i], payloads[i], 1, NOW, TimePrecision.MILLISECONDS);
            sum += m.rows().size() + m.rows().get(0).subTable().length();
        }
        return sum;
    }
}
