package io.github.mqtt2tdengine.internal.payload;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.spi.CapturedLog;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MissedPathsTest {
    private static final String WARN = "matched nothing in the last " + MissedPaths.WARN_AFTER + " messages";

    private static MissedPaths counter() {
        return new MissedPaths("p", new String[] {"a", "b"},
                new String[] {"field 'a' (JSONPath '$.a')", "field 'b' (JSONPath '$.b')"});
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void missed_aHundredInARow_warnsOnce_andAHitStartsTheRunAgain() {
        MissedPaths m = counter();
        try (CapturedLog log = CapturedLog.start(false)) {
            for (int i = 0; i < MissedPaths.WARN_AFTER - 1; i++) {
                m.missed(0);
            }
            m.found(0);
            m.missed(0);
            assertThat(log.text()).doesNotContain(WARN);
            for (int i = 0; i < 3 * MissedPaths.WARN_AFTER; i++) {
                m.missed(0);
            }
            assertThat(count(log.text(), WARN)).isEqualTo(1);
            assertThat(log.text()).contains("Pipeline 'p': field 'a' (JSONPath '$.a') " + WARN);
        }
        Map<String, Long> counts = new HashMap<>();
        m.addTo(counts);
        assertThat(counts).containsExactly(Map.entry("a", (long) 4 * MissedPaths.WARN_AFTER));
    }

    @Test
    void missedAndFound_fromSeveralThreadsAtOnce_loseNoCount_andWarnOncePerPath() throws Exception {
        MissedPaths m = counter();
        int threads = 8;
        int perThread = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try (CapturedLog log = CapturedLog.start(false)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        m.missed(0); // path a never matches
                        if ((i + id) % 50 == 0) {
                            m.found(1); // path b matches now and then, so its runs stay short
                        } else {
                            m.missed(1);
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertThat(count(log.text(), "field 'a' (JSONPath '$.a') " + WARN)).isEqualTo(1);
            assertThat(count(log.text(), "field 'b'")).isLessThanOrEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        long hitsOfB = 0;
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                hitsOfB += (i + t) % 50 == 0 ? 1 : 0;
            }
        }
        assertThat(m.count(0)).isEqualTo((long) threads * perThread);
        assertThat(m.count(1)).isEqualTo((long) threads * perThread - hitsOfB);
        Map<String, Long> counts = new HashMap<>();
        m.addTo(counts);
        assertThat(counts).containsOnly(Map.entry("a", m.count(0)), Map.entry("b", m.count(1)));
    }

    @Test
    void mapping_previewOnTheCallersThreadAndMessagesOnOthers_shareOneCounter() throws Exception {
        PayloadSpec spec = PayloadSpec.json()
                .tag("id", "$.id", ColumnType.INT)
                .column("v", "$.metrics.v", ColumnType.DOUBLE)
                .superTable("m").subTableTemplate("d{id}").build();
        Mapping mapping = new Mapping("p", "#", spec);
        byte[] payload = "{\"id\":1,\"v\":2}".getBytes(StandardCharsets.UTF_8);
        int threads = 4;
        int perThread = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try (CapturedLog log = CapturedLog.start(false)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        mapping.map("t", payload, 1, Instant.EPOCH,
                                TimePrecision.MILLISECONDS);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertThat(count(log.text(), "field 'v' (JSONPath '$.metrics.v') " + WARN)).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        Map<String, Long> counts = new HashMap<>();
        mapping.addNotFound(counts);
        assertThat(counts).containsExactly(Map.entry("v", (long) threads * perThread));
    }
}
