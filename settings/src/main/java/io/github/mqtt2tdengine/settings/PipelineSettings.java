package io.github.mqtt2tdengine.settings;

import io.github.mqtt2tdengine.BadMessagePolicy;

/**
 * The {@code pipeline} section: batching, flow control, writers, retries and shutdown
 * ({@code SyncPipeline.builder()}). Immutable; every component may be null (not set: the builder's default).
 *
 * @param batchMaxRows a batch is written when it has this many rows; default 1000
 * @param batchMaxAgeMillis a batch is written when its first row is this old, in ms; default 500
 * @param batchIdleMillis a partial batch is written when no row arrived for this long, in ms; default 20
 * @param batchGrowth under a backlog a batch may grow up to this many times batchMaxRows; 1 keeps it fixed; default 10
 * @param maxInFlight unacknowledged messages; at the bound the transport stops reading; default 10000
 * @param writers writer threads; rows are partitioned by sub-table; default 1
 * @param retryInitialMillis first delay of the capped exponential backoff between retries of a batch, in ms;
 *     default 100
 * @param retryMaxMillis longest delay between retries of a batch, in ms; default 30000
 * @param maxRetries retries of one batch before the pipeline fails; -1 retries for ever (the default)
 * @param shutdownTimeoutSeconds how long close waits for in-flight messages, in seconds; default 30
 * @param stallWarningMillis a sink write running longer is logged at WARN, in ms; default 5000
 * @param badMessagePolicy a message that cannot be mapped: dead_letter (counted, kept by the deadLetters
 *     destinations, acknowledged once stored) or fail (stops the pipeline); default dead_letter
 * @since 0.1.0
 */
public record PipelineSettings(Integer batchMaxRows, Integer batchMaxAgeMillis, Integer batchIdleMillis,
        Integer batchGrowth, Integer maxInFlight, Integer writers, Integer retryInitialMillis, Integer retryMaxMillis,
        Integer maxRetries, Integer shutdownTimeoutSeconds, Integer stallWarningMillis,
        BadMessagePolicy badMessagePolicy) {
}
