package io.github.mqtt2tdengine.settings;

/**
 * The payload formats of {@code parser.format}, each one of {@code PayloadSpec}'s starters.
 *
 * @since 0.1.0
 */
public enum PayloadFormat {
    /** JSON, {@code PayloadSpec.json()}: the default. */
    JSON,
    /** JSON Lines or a JSON array, one row per line or element: {@code PayloadSpec.jsonLines()}. */
    JSONL,
    /** A regular expression with named groups ({@code pattern}): {@code PayloadSpec.regex(pattern)}. */
    REGEX,
    /** Delimited text ({@code columns}, {@code delimiter}): {@code PayloadSpec.csv(delimiter, columns)}. */
    CSV,
    /** A single plain value ({@code valueName}): {@code PayloadSpec.plain(valueName)}. */
    PLAIN
}
