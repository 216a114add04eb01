package io.github.mqtt2tdengine.micrometer;

import io.github.mqtt2tdengine.DeadLetterDestinationMetrics;
import io.github.mqtt2tdengine.LatencySummary;
import io.github.mqtt2tdengine.PipelineHealth;
import io.github.mqtt2tdengine.PipelineMetrics;
import io.github.mqtt2tdengine.PipelineState;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.spi.ConnectionState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Publishes a pipeline's {@link PipelineMetrics} to a Micrometer registry, every meter tagged {@code pipeline=<name>}
 * and no meter tagged with a topic or a sub-table (routes are tagged by their configured topic filter, dead letters by
 * reason, states by name: all bounded). The names, in Micrometer's dotted form (Prometheus: dots become underscores,
 * counters end in {@code _total}, times in {@code _seconds}):
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>mqtt2td.messages.received</td><td>counter</td><td>messages the transport delivered</td></tr>
 *   <tr><td>mqtt2td.messages.acked</td><td>counter</td><td>messages acknowledged (committed, dead-lettered, or without
 *       rows)</td></tr>
 *   <tr><td>mqtt2td.messages.in.flight</td><td>gauge</td><td>received, not yet acknowledged</td></tr>
 *   <tr><td>mqtt2td.messages.in.flight.peak</td><td>gauge</td><td>the highest in flight so far</td></tr>
 *   <tr><td>mqtt2td.messages.dropped</td><td>counter</td><td>QoS 0 messages a transport dropped</td></tr>
 *   <tr><td>mqtt2td.messages.route</td><td>counter, tag {@code route}</td><td>messages mapped per route</td></tr>
 *   <tr><td>mqtt2td.rows.mapped / .filtered / .written</td><td>counters</td><td>rows produced, dropped by a filter,
 *       committed</td></tr>
 *   <tr><td>mqtt2td.batches.written</td><td>counter</td><td>batches committed</td></tr>
 *   <tr><td>mqtt2td.timestamp.collisions</td><td>counter</td><td>receive-time keys that collided</td></tr>
 *   <tr><td>mqtt2td.dead.letters</td><td>counter, tag {@code reason}</td><td>dead letters per reason (every reason
 *       registered, zero until one happens)</td></tr>
 *   <tr><td>mqtt2td.sink.retries</td><td>counter</td><td>retriable sink failures</td></tr>
 *   <tr><td>mqtt2td.sink.stalled.writes</td><td>counter</td><td>sink calls that passed {@code stallWarning}</td></tr>
 *   <tr><td>mqtt2td.sink.write.stalled</td><td>time gauge</td><td>how long the longest stalled call has run (0 when
 *       none)</td></tr>
 *   <tr><td>mqtt2td.commit.latency</td><td>function timer</td><td>intake to acknowledgement of committed messages:
 *       count and total</td></tr>
 *   <tr><td>mqtt2td.commit.latency.recent</td><td>time gauge, tag {@code quantile} 0.5 / 0.9 / 0.99 / 1
 *       (max)</td><td>the same over the last 30-60 s</td></tr>
 *   <tr><td>mqtt2td.data.lag, mqtt2td.data.lag.recent</td><td>as above</td><td>commit time minus the payload's own
 *       timestamp, per committed row</td></tr>
 *   <tr><td>mqtt2td.oldest.unacked</td><td>time gauge</td><td>age of the oldest message a writer holds</td></tr>
 *   <tr><td>mqtt2td.transport.reconnects</td><td>counter</td><td>connection losses</td></tr>
 *   <tr><td>mqtt2td.messages.redelivered</td><td>counter</td><td>messages the broker sent again (DUP flag)</td></tr>
 *   <tr><td>mqtt2td.transport.sessions.lost</td><td>counter</td><td>reconnects after which the broker had not kept the
 *       persistent session</td></tr>
 *   <tr><td>mqtt2td.dead.letters.stored</td><td>counter, tag {@code destination}</td><td>dead letters the
 *       destination ({@code tdengine}, {@code mqtt}, {@code file}, {@code logging}, ...) confirmed stored</td></tr>
 *   <tr><td>mqtt2td.dead.letters.store.failures</td><td>counter, tag {@code destination}</td><td>failed attempts to
 *       store (each retried)</td></tr>
 *   <tr><td>mqtt2td.dead.letters.pending</td><td>gauge, tag {@code destination}</td><td>dead letters waiting to be
 *       stored; their messages are not acknowledged</td></tr>
 *   <tr><td>mqtt2td.dead.letters.destination.failing</td><td>gauge, tag {@code destination}</td><td>1 while the
 *       latest attempt at the destination failed: alert when it stays 1</td></tr>
 *   <tr><td>mqtt2td.transport.connected</td><td>gauge</td><td>1 connected, 0 otherwise</td></tr>
 *   <tr><td>mqtt2td.paused</td><td>gauge</td><td>1 while intake is paused at {@code maxInFlight}</td></tr>
 *   <tr><td>mqtt2td.state</td><td>gauge, tag {@code state}</td><td>1 for the current {@link PipelineState}, 0 for
 *       the others</td></tr>
 *   <tr><td>mqtt2td.healthy</td><td>gauge</td><td>1 when {@link PipelineHealth} says healthy</td></tr>
 * </table>
 *
 * <p>A scrape reads the meters one after another; they share one {@link SyncPipeline#metrics()} snapshot taken at most
 * once per 100 ms, so a scrape costs one snapshot, not one per meter. The binder holds the pipeline strongly: bind it
 * for the pipeline's life (a closed pipeline reports its last figures).
 *
 * @since 0.1.0
 */
public final class PipelineMetricsBinder implements MeterBinder {
    /** The prefix of every meter name. */
    public static final String PREFIX = "mqtt2td.";
    private static final long REUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final DeadLetterDestinationMetrics NO_DESTINATION = new DeadLetterDestinationMetrics(0, 0, 0, false,
            null);

    private final SyncPipeline pipeline;
    private final Tags tags;
    private volatile PipelineMetrics last;
    private volatile long lastNanos;

    /**
     * Binds a pipeline, tagged with its name.
     *
     * @param pipeline the pipeline
     */
    public PipelineMetricsBinder(SyncPipeline pipeline) {
        this(pipeline, Tags.empty());
    }

    /**
     * Binds a pipeline, tagged with its name and extra tags (an application, a site: keep them few and fixed).
     *
     * @param pipeline the pipeline
     * @param extraTags tags added to every meter
     */
    public PipelineMetricsBinder(SyncPipeline pipeline, Iterable<Tag> extraTags) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline must not be null");
        this.tags = Tags.of("pipeline", pipeline.name()).and(Objects.requireNonNull(extraTags, "extraTags"));
    }

    /** The current snapshot, reused for 100 ms: the meters of one scrape read one snapshot. */
    PipelineMetrics metrics() {
        long now = System.nanoTime();
        PipelineMetrics m = last;
        if (m == null || now - lastNanos > REUSE_NANOS) {
            m = pipeline.metrics();
            last = m;
            lastNanos = now;
        }
        return m;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "messages.received", "messages the transport delivered", PipelineMetrics::received);
        counter(registry, "messages.acked", "messages acknowledged: committed, dead-lettered, or without rows",
                PipelineMetrics::acked);
        gauge(registry, "messages.in.flight", "messages received and not yet acknowledged", PipelineMetrics::inFlight);
        gauge(registry, "messages.in.flight.peak", "the highest number of messages in flight",
                PipelineMetrics::peakInFlight);
        counter(registry, "messages.dropped", "QoS 0 messages the transport dropped", PipelineMetrics::droppedByTransport);
        counter(registry, "messages.ignored.closing", "messages delivered after intake stopped, left to the broker",
                PipelineMetrics::ignoredWhileClosing);
        counter(registry, "rows.mapped", "rows the mappings produced", PipelineMetrics::rowsMapped);
        counter(registry, "rows.filtered", "rows a mapping's filter dropped", PipelineMetrics::rowsFiltered);
        counter(registry, "rows.written", "rows the sink committed", PipelineMetrics::rowsWritten);
        counter(registry, "batches.written", "batches the sink committed", PipelineMetrics::batches);
        counter(registry, "timestamp.collisions", "receive-time primary keys that collided",
                PipelineMetrics::timestampCollisions);
        counter(registry, "sink.retries", "retriable sink failures", PipelineMetrics::retries);
        counter(registry, "sink.stalled.writes", "batches not written within stallWarning of their first attempt, "
                + "retries included", PipelineMetrics::stalledWrites);
        timeGauge(registry, "sink.write.stalled", Tags.empty(), "how long the oldest stalled batch has waited in the "
                + "sink", m -> Duration.ofMillis(m.writeStalledMillis()));
        counter(registry, "transport.reconnects", "connection losses after which the transport reconnects",
                PipelineMetrics::reconnects);
        counter(registry, "messages.redelivered", "messages the broker sent again (MQTT DUP flag)",
                PipelineMetrics::redelivered);
        counter(registry, "transport.sessions.lost", "reconnects after which the broker had not kept the persistent "
                + "session: what it held for the client is gone", PipelineMetrics::sessionsLost);
        gauge(registry, "transport.connected", "1 while connected to the broker",
                m -> m.connectionState() == ConnectionState.CONNECTED ? 1 : 0);
        gauge(registry, "paused", "1 while intake is paused at maxInFlight", m -> m.paused() ? 1 : 0);
        gauge(registry, "healthy", "1 while running and connected",
                m -> PipelineHealth.of(pipeline.name(), m).healthy() ? 1 : 0);
        for (PipelineState s : PipelineState.values()) {
            Gauge.builder(PREFIX + "state", this, b -> b.metrics().state() == s ? 1 : 0)
                    .tags(tags).tag("state", s.name().toLowerCase(Locale.ROOT))
                    .description("1 for the pipeline's current state").register(registry);
        }
        for (DeadLetterReason r : DeadLetterReason.values()) {
            FunctionCounter.builder(PREFIX + "dead.letters", this,
                    b -> b.metrics().deadLettersByReason().getOrDefault(r, 0L))
                    .tags(tags).tag("reason", r.name().toLowerCase(Locale.ROOT))
                    .description("messages dead-lettered, per reason").register(registry);
        }
        for (String d : pipeline.metrics().deadLetterDestinations().keySet()) {
            destination(registry, d);
        }
        for (String route : pipeline.metrics().messagesByRoute().keySet()) {
            FunctionCounter.builder(PREFIX + "messages.route", this,
                    b -> b.metrics().messagesByRoute().getOrDefault(route, 0L))
                    .tags(tags).tag("route", route).description("messages mapped per route (topic filter)")
                    .register(registry);
        }
        timeGauge(registry, "oldest.unacked", Tags.empty(), "age of the oldest message a writer holds",
                PipelineMetrics::oldestUnacked);
        summary(registry, "commit.latency", "intake to acknowledgement of committed messages",
                PipelineMetrics::commitLatency);
        summary(registry, "data.lag", "commit time minus the payload's own timestamp, per committed row",
                PipelineMetrics::dataLag);
    }

    /** The meters of one dead-letter destination, tagged with its name. */
    private void destination(MeterRegistry registry, String d) {
        FunctionCounter.builder(PREFIX + "dead.letters.stored", this, b -> destination(b, d).stored())
                .tags(tags).tag("destination", d).description("dead letters the destination confirmed stored")
                .register(registry);
        FunctionCounter.builder(PREFIX + "dead.letters.store.failures", this, b -> destination(b, d).failures())
                .tags(tags).tag("destination", d).description("attempts to store dead letters that failed (each "
                        + "retried; the messages stay unacknowledged)").register(registry);
        Gauge.builder(PREFIX + "dead.letters.pending", this, b -> destination(b, d).pending())
                .tags(tags).tag("destination", d).description("dead letters waiting to be stored; their messages are "
                        + "not acknowledged").register(registry);
        Gauge.builder(PREFIX + "dead.letters.destination.failing", this, b -> destination(b, d).failing() ? 1 : 0)
                .tags(tags).tag("destination", d).description("1 while the latest attempt to store at the destination "
                        + "failed").register(registry);
    }

    private static DeadLetterDestinationMetrics destination(PipelineMetricsBinder b, String d) {
        return b.metrics().deadLetterDestinations().getOrDefault(d, NO_DESTINATION);
    }

    private void counter(MeterRegistry registry, String name, String help, ToLongFunction<PipelineMetrics> value) {
        FunctionCounter.builder(PREFIX + name, this, b -> value.applyAsLong(b.metrics())).tags(tags)
                .description(help).register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String help, ToDoubleFunction<PipelineMetrics> value) {
        Gauge.builder(PREFIX + name, this, b -> value.applyAsDouble(b.metrics())).tags(tags).description(help)
                .register(registry);
    }

    private void timeGauge(MeterRegistry registry, String name, Tags extra, String help,
            Function<PipelineMetrics, Duration> value) {
        TimeGauge.builder(PREFIX + name, this, TimeUnit.NANOSECONDS, b -> value.apply(b.metrics()).toNanos())
                .tags(tags).tags(extra).description(help).register(registry);
    }

    private void summary(MeterRegistry registry, String name, String help,
            Function<PipelineMetrics, LatencySummary> value) {
        FunctionTimer.builder(PREFIX + name, this, b -> value.apply(b.metrics()).count(),
                b -> value.apply(b.metrics()).total().toNanos(), TimeUnit.NANOSECONDS)
                .tags(tags).description(help).register(registry);
        timeGauge(registry, name + ".recent", Tags.of("quantile", "0.5"), help + ", median of the last 30-60 s",
                m -> value.apply(m).p50());
        timeGauge(registry, name + ".recent", Tags.of("quantile", "0.9"), help + ", 90th percentile of the last 30-60 s",
                m -> value.apply(m).p90());
        timeGauge(registry, name + ".recent", Tags.of("quantile", "0.99"),
                help + ", 99th percentile of the last 30-60 s", m -> value.apply(m).p99());
        timeGauge(registry, name + ".recent", Tags.of("quantile", "1"), help + ", maximum of the last 30-60 s",
                m -> value.apply(m).max());
    }
}
