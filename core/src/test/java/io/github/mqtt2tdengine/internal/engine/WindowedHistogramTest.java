package io.github.mqtt2tdengine.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mqtt2tdengine.LatencySummary;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WindowedHistogramTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void everyValue_fallsIntoTheBucketWhoseBoundsHoldIt() {
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            long v = i < 5_000 ? i : (random.nextLong() >>> 1) >>> random.nextInt(63);
            int b = WindowedHistogram.bucket(v);
            assertThat(b).isBetween(0, WindowedHistogram.BUCKETS - 1);
            assertThat(WindowedHistogram.upperBound(b)).isGreaterThanOrEqualTo(v);
            long lower = b == 0 ? 0 : WindowedHistogram.upperBound(b - 1) + 1;
            assertThat(lower).isLessThanOrEqualTo(v);
            // at most 12.5 % above the value (and exact below 16)
            assertThat(WindowedHistogram.upperBound(b) - v).isLessThanOrEqualTo(Math.max(0, v / 8));
        }
        assertThat(WindowedHistogram.upperBound(WindowedHistogram.BUCKETS - 1)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void percentiles_areWithinTheBucketErrorOfTheExactOnes() {
        WindowedHistogram h = new WindowedHistogram(Duration.ofMinutes(1), 0);
        Random random = new Random(11);
        long[] values = new long[10_000];
        long sum = 0;
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) Math.exp(random.nextDouble() * 14); // 1 µs .. 1.2 s, log-uniform
            sum += values[i];
            h.record(values[i], i);
        }
        Arrays.sort(values);
        LatencySummary s = h.snapshot(values.length);
        assertThat(s.count()).isEqualTo(10_000);
        assertThat(s.windowCount()).isEqualTo(10_000);
        assertThat(s.total()).isEqualTo(Duration.ofNanos(sum * 1000));
        assertNear(s.p50(), values[4_999]);
        assertNear(s.p90(), values[8_999]);
        assertNear(s.p99(), values[9_899]);
        assertThat(s.max()).isEqualTo(Duration.ofNanos(values[9_999] * 1000));
    }

    private static void assertNear(Duration actual, long exactMicros) {
        long micros = actual.toNanos() / 1000;
        assertThat(micros).isBetween(exactMicros, exactMicros + exactMicros / 8 + 1);
    }

    @Test
    void theWindowSlides_oldValuesLeaveIt_allTimeFiguresStay() {
        WindowedHistogram h = new WindowedHistogram(Duration.ofSeconds(60), 0);
        h.record(5_000_000, 0); // 5 s, at the start
        h.record(1_000, 10 * SECOND);
        LatencySummary early = h.snapshot(20 * SECOND);
        assertThat(early.windowCount()).isEqualTo(2);
        assertThat(early.max()).isEqualTo(Duration.ofSeconds(5));
        // 40 s in: the first slot (0-30 s) is now the previous one, still in the window
        h.record(2_000, 40 * SECOND);
        assertThat(h.snapshot(40 * SECOND).windowCount()).isEqualTo(3);
        // 65 s in: the 0-30 s slot was reused for 60-90 s, so the 5 s value is out
        LatencySummary later = h.snapshot(65 * SECOND);
        assertThat(later.windowCount()).isEqualTo(1);
        assertThat(later.max()).isEqualTo(Duration.ofNanos(2_000_000));
        assertThat(later.count()).isEqualTo(3);
        // idle for ten minutes: nothing in the window, every percentile zero
        LatencySummary idle = h.snapshot(700 * SECOND);
        assertThat(idle.windowCount()).isZero();
        assertThat(idle.p99()).isEqualTo(Duration.ZERO);
        assertThat(idle.max()).isEqualTo(Duration.ZERO);
        assertThat(idle.count()).isEqualTo(3);
    }

    @Test
    void negativeValues_countAsZero() {
        WindowedHistogram h = new WindowedHistogram(Duration.ofMinutes(1), 0);
        h.record(-50, 1);
        LatencySummary s = h.snapshot(2);
        assertThat(s.count()).isEqualTo(1);
        assertThat(s.max()).isEqualTo(Duration.ZERO);
        assertThat(s.total()).isEqualTo(Duration.ZERO);
    }
}
