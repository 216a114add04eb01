package io.github.mqtt2tdengine;

/**
 * One dead-letter destination's counters, part of {@link PipelineMetrics#deadLetterDestinations()}.
 *
 * @param stored dead letters this destination confirmed stored
 * @param failures store attempts that threw (each followed by a retry after back-off)
 * @param pending dead letters handed to this destination and not yet stored (waiting in a writer's batch, or being
 *     retried); their messages are not acknowledged
 * @param failing whether the latest attempt at this destination failed (true until one succeeds): the state to alert on
 * @param lastError the latest failure's message, may be null
 * @since 0.1.0
 */
public record DeadLetterDestinationMetrics(long stored, long failures, long pending, boolean failing,
        String lastError) {

    /**
     * Creates the counters.
     *
     * @param stored see {@link #stored()}
     * @param failures see {@link #failures()}
     * @param pending see {@link #pending()}
     * @param failing see {@link #failing()}
     * @param lastError see {@link #lastError()}
     */
    public DeadLetterDestinationMetrics {
        if (stored < 0 || failures < 0 || pending < 0) {
            throw new IllegalArgumentException("counters must not be negative");
        }
    }
}
