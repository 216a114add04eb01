package io.github.mqtt2tdengine.settings;

/**
 * The {@code deadLetters.file} section: dead letters as JSON Lines files, one envelope per line with the payload in
 * base64 ({@code FileDeadLetters.builder()}). Immutable; every component may be null (not set).
 *
 * @param enabled false keeps the section but turns the files off; default true when the section is present
 * @param directory directory of the files, created when missing; required
 * @param prefix file name prefix: the current file is prefix.jsonl, rotated ones prefix-time.jsonl; default
 *     dead-letters
 * @param maxFileBytes size at which a file is rotated, in bytes; default 67108864 (64 MiB)
 * @param maxFiles files kept, the current one included; when all are full, storing fails (messages stay
 *     unacknowledged, intake pauses) until files are moved or deleted; default 16
 * @since 0.1.0
 */
public record DeadLetterFileSettings(Boolean enabled, String directory, String prefix, Long maxFileBytes,
        Integer maxFiles) {
}
