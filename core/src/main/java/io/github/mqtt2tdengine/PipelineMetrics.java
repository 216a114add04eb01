package io.github.mqtt2tdengine;

import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.spi.ConnectionState;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of a pipeline's counters, taken by {@link SyncPipeline#metrics()}.
 *
 * @param state the pipeline state when the snapshot was taken
 * @param received messages the transport delivered
 * @param rowsMapped rows the mappings produced (after filters)
 * @param rowsFiltered rows the mappings' filters dropped on purpose
 * @param rowsWritten rows the sink committed
 * @param batches batches the sink committed
 * @param retries retriable sink failures (each followed by a retry)
 * @param stalledWrites batches the sink had not written within the pipeline's {@code stallWarning} of their first
 *     attempt, retries included (each logged once at WARN); a batch still under way counts once it passes the threshold
 * @param writeStalledMillis how long the oldest batch under way in the sink (first attempt, retries and back-off) has
 *     been waiting, in milliseconds, once past {@code stallWarning}; 0 while no batch is under way or every one is
 *     younger. Growing means the database is unreachable or slow: rows wait and nothing is acknowledged
 * @param deadLetters messages dead-lettered, all reasons
 * @param deadLettersByReason messages dead-lettered per reason (reasons with a count above zero)
 * @param acked messages acknowledged (committed, dead-lettered, or without rows)
 * @param inFlight messages received and not yet acknowledged
 * @param peakInFlight the highest {@code inFlight} seen
 * @param timestampCollisions rows whose receive-time primary key collided with the previous row of their sub-table
 * @param ignoredWhileClosing messages delivered after intake stopped, left unacknowledged for the broker to redeliver
 * @param droppedByTransport messages the transport reported dropped (QoS 0 under backpressure, from a transport that
 *     cannot stop reading; {@code MqttTransport} drops none)
 * @param connectionState the transport's last reported connection state
 * @param lastError the last error message (a sink failure, a dead letter's reason), may be null
 * @param fieldsNotFound per field name, the messages (or split elements) in which the field's JSONPath matched
 *     nothing, so its value was NULL; fields never missed are left out. A field that misses
 *     100 messages in a row is also logged
 *     once at WARN with its path. {@code SyncPipeline.preview} calls count too.
 * @param commitLatency from intake to acknowledgement of each message whose rows were all committed (dead-lettered
 *     messages and messages without rows are left out): how long data waits in the pipeline, batching and retries
 *     included
 * @param dataLag for each committed row whose primary key is the payload's own timestamp (not the receive time):
 *     commit time minus that timestamp. Grows when devices send late, the broker holds a backlog, or the database falls
 *     behind; the figure to alarm on. Empty when every mapping uses the receive time
 * @param oldestUnacked how long the oldest message still held by a writer (waiting, in a batch, in retries) has been
 *     in flight; zero when none is held. Grows without bound while the sink is down
 * @param reconnects how often the transport lost its connection and began to reconnect
 * @param paused whether intake is paused because {@code maxInFlight} messages are in flight (or the pipeline drains)
 * @param messagesByRoute messages mapped per route, by the route's topic filter ({@code #} for the default
 *     mapping; a message its route could not map is counted in {@code deadLetters}); routes are configuration, so the
 *     keys are few and fixed
 * @param redelivered messages the broker sent again with the MQTT DUP flag (a delivery before was not acknowledged,
 *     usually because the connection dropped); they are written again, which TDengine absorbs (same primary key)
 * @param sessionsLost reconnects after which the broker said it had not kept the persistent session
 *     ({@code sessionPresent=false}): what it held for the client while it was away is gone (each logged at WARN)
 * @param deadLetterDestinations per dead-letter destination (by its name: {@code logging}, {@code tdengine},
 *     {@code mqtt}, {@code file}, ...), the dead letters stored, the failed attempts, those pending and whether it is
 *     failing now; a destination that keeps failing holds its messages unacknowledged and, at {@code maxInFlight},
 *     pauses intake
 * @since 0.1.0
 */
public record PipelineMetrics(PipelineState state, long received, long rowsMapped, long rowsFiltered, long rowsWritten,
        long batches, long retries, long stalledWrites, long writeStalledMillis, long deadLetters,
        Map<DeadLetterReason, Long> deadLettersByReason, long acked, long inFlight, long peakInFlight,
        long timestampCollisions, long ignoredWhileClosing, long droppedByTransport, ConnectionState connectionState,
        String lastError, Map<String, Long> fieldsNotFound, LatencySummary commitLatency, LatencySummary dataLag,
        Duration oldestUnacked, long reconnects, boolean paused, Map<String, Long> messagesByRoute, long redelivered,
        long sessionsLost, Map<String, DeadLetterDestinationMetrics> deadLetterDestinations) {

    /**
     * Creates a snapshot (the maps are copied); each parameter is the component of the same name.
     *
     * @param state see {@link #state()}
     * @param received see {@link #received()}
     * @param rowsMapped see {@link #rowsMapped()}
     * @param rowsFiltered see {@link #rowsFiltered()}
     * @param rowsWritten see {@link #rowsWritten()}
     * @param batches see {@link #batches()}
     * @param retries see {@link #retries()}
     * @param stalledWrites see {@link #stalledWrites()}
     * @param writeStalledMillis see {@link #writeStalledMillis()}
     * @param deadLetters see {@link #deadLetters()}
     * @param deadLettersByReason see {@link #deadLettersByReason()}
     * @param acked see {@link #acked()}
     * @param inFlight see {@link #inFlight()}
     * @param peakInFlight see {@link #peakInFlight()}
     * @param timestampCollisions see {@link #timestampCollisions()}
     * @param ignoredWhileClosing see {@link #ignoredWhileClosing()}
     * @param droppedByTransport see {@link #droppedByTransport()}
     * @param connectionState see {@link #connectionState()}
     * @param lastError see {@link #lastError()}
     * @param fieldsNotFound see {@link #fieldsNotFound()}
     * @param commitLatency see {@link #commitLatency()}
     * @param dataLag see {@link #dataLag()}
     * @param oldestUnacked see {@link #oldestUnacked()}
     * @param reconnects see {@link #reconnects()}
     * @param paused see {@link #paused()}
     * @param messagesByRoute see {@link #messagesByRoute()}
     * @param redelivered see {@link #redelivered()}
     * @param sessionsLost see {@link #sessionsLost()}
     * @param deadLetterDestinations see {@link #deadLetterDestinations()}
     */
    public PipelineMetrics {
        deadLetterDestinations = Collections.unmodifiableMap(new LinkedHashMap<>(deadLetterDestinations));
        deadLettersByReason = Map.copyOf(deadLettersByReason);
        fieldsNotFound = Map.copyOf(fieldsNotFound);
        messagesByRoute = Collections.unmodifiableMap(new LinkedHashMap<>(messagesByRoute));
        Objects.requireNonNull(commitLatency, "commitLatency");
        Objects.requireNonNull(dataLag, "dataLag");
        Objects.requireNonNull(oldestUnacked, "oldestUnacked");
    }

    /**
     * Creates a snapshot without the counters added in 0.2.0 (they are 0).
     *
     * @param state see {@link #state()}
     * @param received see {@link #received()}
     * @param rowsMapped see {@link #rowsMapped()}
     * @param rowsFiltered see {@link #rowsFiltered()}
     * @param rowsWritten see {@link #rowsWritten()}
     * @param batches see {@link #batches()}
     * @param retries see {@link #retries()}
     * @param stalledWrites see {@link #stalledWrites()}
     * @param writeStalledMillis see {@link #writeStalledMillis()}
     * @param deadLetters see {@link #deadLetters()}
     * @param deadLettersByReason see {@link #deadLettersByReason()}
     * @param acked see {@link #acked()}
     * @param inFlight see {@link #inFlight()}
     * @param peakInFlight see {@link #peakInFlight()}
     * @param timestampCollisions see {@link #timestampCollisions()}
     * @param ignoredWhileClosing see {@link #ignoredWhileClosing()}
     * @param droppedByTransport see {@link #droppedByTransport()}
     * @param connectionState see {@link #connectionState()}
     * @param lastError see {@link #lastError()}
     * @param fieldsNotFound see {@link #fieldsNotFound()}
     * @param commitLatency see {@link #commitLatency()}
     * @param dataLag see {@link #dataLag()}
     * @param oldestUnacked see {@link #oldestUnacked()}
     * @param reconnects see {@link #reconnects()}
     * @param paused see {@link #paused()}
     * @param messagesByRoute see {@link #messagesByRoute()}
     * @deprecated since 0.2.0: use the canonical constructor, which adds {@code redelivered} and {@code sessionsLost}
     */
    @Deprecated(since = "0.2.0", forRemoval = true)
    public PipelineMetrics(PipelineState state, long received, long rowsMapped, long rowsFiltered, long rowsWritten,
            long batches, long retries, long stalledWrites, long writeStalledMillis, long deadLetters,
            Map<DeadLetterReason, Long> deadLettersByReason, long acked, long inFlight, long peakInFlight,
            long timestampCollisions, long ignoredWhileClosing, long droppedByTransport, ConnectionState connectionState,
            String lastError, Map<String, Long> fieldsNotFound, LatencySummary commitLatency, LatencySummary dataLag,
            Duration oldestUnacked, long reconnects, boolean paused, Map<String, Long> messagesByRoute) {
        this(state, received, rowsMapped, rowsFiltered, rowsWritten, batches, retries, stalledWrites, writeStalledMillis,
                deadLetters, deadLettersByReason, acked, inFlight, peakInFlight, timestampCollisions,
                ignoredWhileClosing, droppedByTransport, connectionState, lastError, fieldsNotFound, commitLatency,
                dataLag, oldestUnacked, reconnects, paused, messagesByRoute, 0, 0, Map.of());
    }

    /**
     * Returns the last error message.
     *
     * @return the message, absent when there was none
     */
    public Optional<String> lastErrorMessage() {
        return Optional.ofNullable(lastError);
    }
}
