package io.github.mqtt2tdengine.payload;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * An MQTT topic filter ({@code +}, {@code #}, and {@code $share/group/} prefixes) matched against topics.
 * Routes, subscriptions and the topic levels fields read are checked with it, and nothing else in the library parses a
 * topic filter. Immutable.
 *
 * @since 0.1.0
 */
public final class TopicFilter {
    private static final String SHARE_PREFIX = "$share/";

    private final String text;
    private final String[] levels;

    private TopicFilter(String text, String[] levels) {
        this.text = text;
        this.levels = levels;
    }

    /**
     * Parses a filter.
     *
     * @param filter the filter, optionally {@code $share/<group>/<filter>}
     * @return the filter
     * @throws IllegalArgumentException naming the filter when it breaks MQTT's wildcard rules
     */
    public static TopicFilter parse(String filter) {
        Objects.requireNonNull(filter, "topic filter must not be null");
        String f = filter;
        if (f.startsWith(SHARE_PREFIX)) {
            int slash = f.indexOf('/', SHARE_PREFIX.length());
            if (slash < 0 || slash == SHARE_PREFIX.length()) {
                throw bad(filter, "a shared subscription needs $share/<group>/<filter>");
            }
            f = f.substring(slash + 1);
        }
        if (f.isEmpty()) {
            throw bad(filter, "it is empty");
        }
        String[] levels = f.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                throw bad(filter, "'#' must be a whole level and the last one");
            }
            if (level.contains("+") && !level.equals("+")) {
                throw bad(filter, "'+' must be a whole level");
            }
            if (level.indexOf('\u0000') >= 0) {
                throw bad(filter, "it contains U+0000");
            }
        }
        return new TopicFilter(filter, levels);
    }

    private static IllegalArgumentException bad(String filter, String why) {
        return new IllegalArgumentException("topic filter '" + filter + "' is not valid: " + why);
    }

    /**
     * Returns whether a topic matches; wildcards in the first level do not match topics starting with {@code $}.
     *
     * @param topic the topic
     * @return true when it matches
     */
    public boolean matches(String topic) {
        int pos = 0;
        int n = topic.length();
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.equals("#")) {
                return !(i == 0 && topic.startsWith("$"));
            }
            if (pos > n) {
                return false;
            }
            int end = topic.indexOf('/', pos);
            if (end < 0) {
                end = n;
            }
            if (level.equals("+")) {
                if (i == 0 && topic.startsWith("$")) {
                    return false;
                }
            } else if (end - pos != level.length() || !topic.regionMatches(pos, level, 0, level.length())) {
                return false;
            }
            pos = end + 1;
            if (i == levels.length - 1) {
                return end == n;
            }
            if (end == n) {
                // topic ended; only a trailing '#' may still match ("a/#" matches "a")
                return i + 2 == levels.length && levels[i + 1].equals("#");
            }
        }
        return false;
    }

    /**
     * Returns the deepest 0-based level a topic matching this filter can have: 2 for {@code plant/+/meters} and for
     * {@code $share/g/plant/+/meters}.
     *
     * @return the level, or empty when the filter ends in {@code #} (topics of any depth match)
     * @since 0.2.0
     */
    public OptionalInt deepestLevel() {
        return levels[levels.length - 1].equals("#") ? OptionalInt.empty() : OptionalInt.of(levels.length - 1);
    }

    /**
     * Returns the filter as written.
     *
     * @return the text
     */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicFilter other && other.text().equals(text());
    }

    @Override
    public int hashCode() {
        return text().hashCode();
    }
}
