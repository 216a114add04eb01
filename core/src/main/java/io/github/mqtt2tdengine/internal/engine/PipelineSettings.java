package io.github.mqtt2tdengine.internal.engine;

import io.github.mqtt2tdengine.BadMessagePolicy;
import io.github.mqtt2tdengine.DeadLetterHandler;
import io.github.mqtt2tdengine.PipelineListener;
import io.github.mqtt2tdengine.internal.payload.Router;
import io.github.mqtt2tdengine.spi.Sink;
import io.github.mqtt2tdengine.spi.Transport;
import java.time.Duration;
import java.util.List;

/**
 * Everything the builder validated. Not API; may change in any release.
 *
 * @param name pipeline name
 * @param transport the source
 * @param sink the destination
 * @param router the compiled mappings
 * @param batchMaxRows rows per batch
 * @param batchGrowth how many times batchMaxRows a batch may reach under a backlog
 * @param batchMaxAge age of a batch's first row before it is written
 * @param batchIdle how long without new rows before a partial batch is written
 * @param maxInFlight unacknowledged message bound
 * @param writers writer threads
 * @param retryInitialBackoff first retry delay
 * @param retryMaxBackoff retry delay cap
 * @param maxRetries retries per batch, -1 unlimited
 * @param shutdownTimeout how long close waits
 * @param stallWarning how long one sink write may run before it is reported
 * @param deadLetterHandler where bad messages go
 * @param badMessagePolicy dead-letter or fail
 * @param listeners event listeners
 */
public record PipelineSettings(String name, Transport transport, Sink sink, Router router, int batchMaxRows,
        int batchGrowth,
        Duration batchMaxAge, Duration batchIdle, int maxInFlight, int writers, Duration retryInitialBackoff, Duration retryMaxBackoff,
        int maxRetries, Duration shutdownTimeout, Duration stallWarning, DeadLetterHandler deadLetterHandler,
        BadMessagePolicy badMessagePolicy, List<PipelineListener> listeners) {
}
