package io.github.mqtt2tdengine.tdengine;

import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.errors.TransportException;
import io.github.mqtt2tdengine.spi.Transport;
import io.github.mqtt2tdengine.spi.TransportContext;
import io.github.mqtt2tdengine.tdengine.internal.DeadLetterReplayer;
import io.github.mqtt2tdengine.tdengine.internal.DeadLetterTable;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A source that replays the dead letters {@link TDengineDeadLetters} kept: each selected dead letter goes to the
 * pipeline as a message with its original topic, payload, QoS and receive time, and its rows are deleted once the
 * pipeline acknowledged it, that is once it was written again, or dead-lettered again (a new row, with the new reason).
 * Run it in a pipeline with the fixed mapping, the same sink and a {@link TDengineDeadLetters} destination:
 *
 * <pre>{@code
 * TDengineDeadLetters deadLetters = TDengineDeadLetters.builder().sink(sink).build();
 * TDengineDeadLetterReplay replay = deadLetters.replay().reason(DeadLetterReason.TYPE_MISMATCH).build();
 * try (SyncPipeline p = SyncPipeline.builder().name("plant-a").source(replay).sink(sink).payload(fixedSpec)
 *         ...
 *         .deadLetterHandler(deadLetters).build()) {
 *     p.start();
 *     TDengineDeadLetterReplay.Result r = replay.completion().get(); // all delivered, acknowledged, deleted
 * }
 * }</pre>
 *
 * <p>The selection is fixed when the pipeline starts it: the dead letters stored from {@link Builder#since} until
 * then, of one reason and one pipeline when those are set; dead letters stored later (the replay's own among them) are
 * left for another run. Dead letters stored truncated cannot be replayed faithfully: they are counted, logged and left
 * in place, as are incomplete ones (a part missing: still being written, or a write never finished).
 *
 * <p>Threads: one thread of its own ({@code mqtt2td-dead-letter-replay}) reads, page by page, and hands the messages
 * to the pipeline; it waits while the pipeline paused it or {@code maxInFlight} messages are unacknowledged, and runs
 * the deletes. {@link #close()} ends it. A read or delete that keeps failing (8 attempts with back-off) fails the
 * pipeline ({@code TransportContext.onTransportFailed}) and {@link #completion()}.
 *
 * @since 0.1.0
 */
public final class TDengineDeadLetterReplay implements Transport {
    private final TDengineSink sink;
    private final String superTable;
    private final Instant since;
    private final DeadLetterReason reason;
    private final String pipelineName;
    private final DeadLetterReplayer replayer;
    private final CompletableFuture<Result> completion;

    /**
     * What a replay did.
     *
     * @param found complete dead letters selected (truncated ones included)
     * @param delivered handed to the pipeline
     * @param deleted acknowledged by the pipeline (written again, or dead-lettered again) and deleted
     * @param skippedTruncated stored truncated, so not replayed; left in place
     * @param skippedIncomplete parts missing, so not replayed; left in place
     * @since 0.1.0
     */
    public record Result(long found, long delivered, long deleted, long skippedTruncated, long skippedIncomplete) {
    }

    private TDengineDeadLetterReplay(Builder b) {
        this.sink = b.sink;
        this.superTable = b.superTable;
        this.since = b.since;
        this.reason = b.reason;
        this.pipelineName = b.pipelineName;
        this.replayer = new DeadLetterReplayer(new DeadLetterTable(sink.database(), superTable),
                sink.connections(pipelineName == null ? "dead-letter replay" : pipelineName), since,
                reason == null ? null : reason.name(),
                pipelineName == null ? null : DeadLetterTable.clean(pipelineName, DeadLetterTable.PIPELINE_BYTES));
        this.completion = replayer.done().thenApply(v -> progress());
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Fixes the selection and starts delivering: connects, reads the database precision and lists the sub-tables
     * selected, then returns; a thread of its own delivers. Called once, by the pipeline's start.
     *
     * @param context where messages go
     * @throws TransportException when TDengine cannot be reached or the database does not exist
     */
    @Override
    public void start(TransportContext context) throws TransportException {
        replayer.start(context);
    }

    /** Stops handing out messages until {@link #resume()}; never blocks. */
    @Override
    public void pause() {
        replayer.pause();
    }

    /** Hands out messages again; never blocks. */
    @Override
    public void resume() {
        replayer.resume();
    }

    /**
     * Returns a future completed with the result once every selected dead letter was delivered, acknowledged and
     * deleted (or skipped); completed exceptionally when reading or deleting failed, or when the replay was closed
     * before.
     *
     * @return the future; completed on the replay's thread
     */
    public CompletableFuture<Result> completion() {
        return completion;
    }

    /**
     * Returns what the replay did so far.
     *
     * @return the counters
     */
    public Result progress() {
        long[] c = replayer.counts();
        return new Result(c[0], c[1], c[2], c[3], c[4]);
    }

    /**
     * Stops delivering and ends the replay's thread (waiting up to 10 s for it); deletes already acknowledged are
     * run first. Messages delivered and not acknowledged keep their rows. Idempotent.
     */
    @Override
    public void close() {
        replayer.close();
    }

    @Override
    public String toString() {
        return "TDengineDeadLetterReplay{" + sink.safeUrlForLogs() + ", table=" + sink.database() + "." + superTable
                + ", since=" + since + ", reason=" + reason + ", pipeline=" + pipelineName + '}';
    }

    /** Builds a {@link TDengineDeadLetterReplay}; mutable, not thread-safe, reusable. */
    public static final class Builder {
        private TDengineSink sink;
        private String superTable = TDengineDeadLetters.DEFAULT_SUPER_TABLE;
        private Instant since;
        private DeadLetterReason reason;
        private String pipelineName;

        private Builder() {
        }

        /**
         * Reads where this sink writes: its JDBC URL or DataSource, its credentials and its database; required.
         *
         * @param sink the sink
         * @return this builder
         */
        public Builder sink(TDengineSink sink) {
            this.sink = Objects.requireNonNull(sink, "sink must not be null");
            return this;
        }

        /**
         * Sets the super table; default {@value TDengineDeadLetters#DEFAULT_SUPER_TABLE}.
         *
         * @param name the super table of the {@link TDengineDeadLetters} to replay
         * @return this builder
         */
        public Builder superTable(String name) {
            this.superTable = TDengineDeadLetters.checkSuperTable(name);
            return this;
        }

        /**
         * Selects the dead letters stored at or after this instant; default all.
         *
         * @param since the first store time, may be null for all
         * @return this builder
         */
        public Builder since(Instant since) {
            this.since = since;
            return this;
        }

        /**
         * Selects the dead letters of one reason; default every reason.
         *
         * @param reason the reason, may be null for every reason
         * @return this builder
         */
        public Builder reason(DeadLetterReason reason) {
            this.reason = reason;
            return this;
        }

        /**
         * Selects the dead letters of one pipeline (its {@code SyncPipeline} name); default every pipeline that keeps
         * its dead letters in the table.
         *
         * @param name the pipeline's name, may be null for every pipeline
         * @return this builder
         */
        public Builder pipelineName(String name) {
            if (name != null && name.isBlank()) {
                throw new IllegalArgumentException("pipelineName must not be blank");
            }
            this.pipelineName = name;
            return this;
        }

        /**
         * Builds the replay; nothing connects before the pipeline starts it.
         *
         * @return the replay, to be started once
         * @throws IllegalStateException when the sink is not set, or is a dry run
         */
        public TDengineDeadLetterReplay build() {
            if (sink == null) {
                throw new IllegalStateException("sink must be set: TDengineDeadLetterReplay.builder().sink(tdengineSink)");
            }
            if (sink.dryRun()) {
                throw new IllegalStateException("sink is a dry run, which has no database to replay dead letters from");
            }
            return new TDengineDeadLetterReplay(this);
        }
    }
}
