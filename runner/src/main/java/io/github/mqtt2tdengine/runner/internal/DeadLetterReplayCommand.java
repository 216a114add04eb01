package io.github.mqtt2tdengine.runner.internal;

import io.github.mqtt2tdengine.DeadLetterHandler;
import io.github.mqtt2tdengine.PipelineMetrics;
import io.github.mqtt2tdengine.PipelineState;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.settings.ConfigException;
import io.github.mqtt2tdengine.settings.PipelineConfig;
import io.github.mqtt2tdengine.tdengine.TDengineDeadLetterReplay;
import io.github.mqtt2tdengine.tdengine.TDengineDeadLetters;
import io.github.mqtt2tdengine.tdengine.TDengineSink;
import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The runner's {@code --replay-dead-letters}: runs the configured pipeline (its mapping, its TDengine sink) with the
 * dead letters kept in the sink's database ({@link TDengineDeadLetters}, table {@code deadLetters.tdengine.superTable},
 * {@value TDengineDeadLetters#DEFAULT_SUPER_TABLE} by default) as its source instead of MQTT, and the config's
 * dead-letter destinations (that table among them) as before, until every selected dead letter was written again or
 * dead-lettered again, and deleted; then prints a summary. Only the config's pipeline's dead letters are selected, of
 * a reason and from a time on when those are given. Not API; may change in any release.
 */
public final class DeadLetterReplayCommand {
    /** The error without a tdengine section. */
    public static final String NO_TDENGINE = "--replay-dead-letters needs the config's tdengine section: the dead "
            + "letters are read from that database and the replayed messages written to it";

    private DeadLetterReplayCommand() {
    }

    /**
     * What to replay.
     *
     * @param since the first store time, or null for all
     * @param reason the reason, or null for every reason
     */
    public record Selection(Instant since, DeadLetterReason reason) {
    }

    /**
     * Reads {@code --since}: an ISO-8601 instant ({@code 2026-12-08T10:00:00Z}), a date-time with an offset
     * ({@code 2026-12-08T11:00:00+01:00}) or a date (its start, UTC).
     *
     * @param text the value
     * @return the instant
     * @throws ConfigException naming the value when it is none of those
     */
    public static Instant since(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            // not an instant: the other forms
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            // not a date-time with an offset
        }
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new ConfigException("--since must be an ISO-8601 instant (2026-12-08T10:00:00Z), a date-time with "
                    + "an offset or a date (2026-12-08, UTC), but was '" + text + "'");
        }
    }

    /**
     * Reads {@code --reason}: a dead-letter reason's name, in any case.
     *
     * @param text the value
     * @return the reason
     * @throws ConfigException naming the value and the reasons when it is none
     */
    public static DeadLetterReason reason(String text) {
        try {
            return DeadLetterReason.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--reason must be one of " + Arrays.toString(DeadLetterReason.values())
                    + ", but was '" + text + "'");
        }
    }

    /**
     * Replays and returns the exit code: 0 when every selected dead letter was replayed and deleted (those dead-lettered
     * again are kept again, with their new reason), 1 when the pipeline or the replay failed or the process was asked
     * to stop first, 2 without a tdengine section or with a config the pipeline refuses.
     *
     * @param config the loaded config
     * @param selection what to replay
     * @param process where a stop signal arrives
     * @param out where progress and the summary go
     * @param err where errors go
     * @return the exit code
     */
    public static int run(PipelineConfig config, Selection selection, ProcessExit process, PrintStream out,
            PrintStream err) {
        Optional<TDengineSink.Builder> tdengine = config.tdengine();
        if (tdengine.isEmpty()) {
            err.println("error: " + NO_TDENGINE);
            return 2;
        }
        TDengineDeadLetterReplay replay;
        SyncPipeline pipeline;
        TDengineDeadLetters table;
        try {
            TDengineSink sink = tdengine.get().build();
            // the config's own destinations: the dead letters of this run go back where the pipeline keeps them
            List<DeadLetterHandler> destinations = config.deadLetterHandlers(sink, config.mqtt().build());
            // the table read from is the one stored into: one destination instance for the run
            table = destinations.stream().filter(TDengineDeadLetters.class::isInstance)
                    .map(TDengineDeadLetters.class::cast).findFirst().orElse(null);
            if (table == null) {
                err.println("error: deadLetters.tdengine.enabled is false: this config keeps no dead letters in "
                        + "TDengine, so there are none to replay (remove the key, or replay from its MQTT topic)");
                return 2;
            }
            replay = table.replay().since(selection.since()).reason(selection.reason())
                    .pipelineName(config.name()).build();
            SyncPipeline.Builder b = config.pipeline().source(replay).sink(sink)
                    .deadLetterHandler(destinations.get(0));
            destinations.subList(1, destinations.size()).forEach(b::addDeadLetterHandler);
            pipeline = b.build();
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("error: config: " + e.getMessage());
            return 2;
        }
        try {
            pipeline.start();
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            pipeline.close();
            return 1;
        }
        out.println("replaying: dead letters of pipeline '" + config.name() + "'" + (selection.reason() == null ? ""
                : ", reason " + selection.reason()) + (selection.since() == null ? "" : ", stored since "
                + selection.since()) + ", from table " + table.superTable() + " of database " + table.database());
        String stopped = await(replay.completion(), pipeline, process);
        pipeline.close();
        PipelineMetrics m = pipeline.metrics();
        TDengineDeadLetterReplay.Result r = replay.progress();
        long again = m.deadLetters();
        out.println("replayed=" + r.delivered() + " writtenAgain=" + Math.max(0, r.deleted() - again)
                + " deadLetteredAgain=" + again + " skippedTruncated=" + r.skippedTruncated() + " skippedIncomplete="
                + r.skippedIncomplete() + " notDeleted=" + (r.delivered() - r.deleted()));
        if (stopped != null) {
            err.println("error: " + stopped);
            return 1;
        }
        return 0;
    }

    /** Waits for the replay's end; returns null when it completed, else why it stopped. */
    private static String await(CompletableFuture<TDengineDeadLetterReplay.Result> done, SyncPipeline pipeline,
            ProcessExit process) {
        try {
            while (!done.isDone()) {
                if (process.awaitStop(200)) {
                    return "stopped before every dead letter was replayed";
                }
                if (pipeline.metrics().state() == PipelineState.FAILED) {
                    return "pipeline failed: " + pipeline.metrics().lastErrorMessage().orElse("see the log");
                }
            }
            done.get();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (ExecutionException e) {
            return "replay failed: " + e.getCause().getMessage();
        }
    }
}
