package io.github.mqtt2tdengine;

import java.time.Duration;

/**
 * A distribution of durations in a {@link PipelineMetrics} snapshot: all-time count and total, and percentiles and
 * maximum over a recent window (the last 30 to 60 seconds). Percentiles come from log-linear buckets and are at most
 * 12.5 % above the true value; they are zero while the window holds no value.
 *
 * @param count values recorded since the pipeline was built
 * @param total the sum of all values recorded since the pipeline was built (for a mean: {@code total / count})
 * @param windowCount values in the window
 * @param p50 the median of the window
 * @param p90 the 90th percentile of the window
 * @param p99 the 99th percentile of the window
 * @param max the largest value in the window
 * @since 0.1.0
 */
public record LatencySummary(long count, Duration total, long windowCount, Duration p50, Duration p90, Duration p99,
        Duration max) {

    /** A summary of nothing: every figure zero. */
    public static final LatencySummary EMPTY = new LatencySummary(0, Duration.ZERO, 0, Duration.ZERO, Duration.ZERO,
            Duration.ZERO, Duration.ZERO);
}
