package io.github.mqtt2tdengine.settings;

/**
 * The {@code deadLetters.tdengine} section: dead letters in a TDengine super table in the sink's database, written
 * over the sink's connection kind ({@code TDengineDeadLetters.builder()}). Immutable; every component may be null.
 *
 * @param enabled whether dead letters are kept in TDengine; default true when the sink is TDengine (not a dry run or
 *     a discarding sink)
 * @param superTable the super table, created when missing; default mqtt2td_dead_letters
 * @param maxPayloadBytes payloads up to this size are kept byte for byte (split over rows), longer ones truncated
 *     with their true length and a flag; default 4194304 (4 MiB)
 * @since 0.1.0
 */
public record DeadLetterTdengineSettings(Boolean enabled, String superTable, Integer maxPayloadBytes) {
}
