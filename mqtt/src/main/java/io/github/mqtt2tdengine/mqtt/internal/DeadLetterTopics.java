package io.github.mqtt2tdengine.mqtt.internal;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The dead-letter topics {@code <prefix>/<original topic>}: the prefix's rules, the topic of a dead letter, and which
 * subscriptions take them. Not API; may change in any release.
 */
public final class DeadLetterTopics {
    /** The longest topic MQTT carries, in UTF-8 bytes. */
    static final int MAX_TOPIC_BYTES = 65_535;
    private static final String SHARE = "$share/";

    private DeadLetterTopics() {
    }

    /**
     * Checks a dead-letter prefix: one or more non-empty levels, no wildcard, no U+0000, not starting with {@code $}.
     *
     * @param prefix the prefix
     * @param option the option's name, for the message
     * @return the prefix
     * @throws IllegalArgumentException naming the prefix and the rule it breaks
     */
    public static String checkPrefix(String prefix, String option) {
        Objects.requireNonNull(prefix, option + " must not be null");
        String why = null;
        if (prefix.isEmpty()) {
            why = "it is empty";
        } else if (prefix.contains("+") || prefix.contains("#")) {
            why = "it contains a wildcard ('+' or '#')";
        } else if (prefix.indexOf('\u0000') >= 0) {
            why = "it contains U+0000";
        } else if (prefix.startsWith("$")) {
            why = "topics starting with '$' are the broker's";
        } else if (prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("//")) {
            why = "it has an empty level (a leading, trailing or double '/')";
        } else if (prefix.getBytes(StandardCharsets.UTF_8).length > 1024) {
            why = "it is longer than 1024 bytes";
        }
        if (why != null) {
            throw new IllegalArgumentException(option + " '" + prefix + "' is not valid: " + why
                    + "; write topic levels such as mqtt2td/dead-letters");
        }
        return prefix;
    }

    /**
     * Returns the topic a dead letter is published to: {@code <prefix>/<original topic>}. An original topic too long
     * for that (more than 65,535 bytes with the prefix) is cut at a character boundary; the whole topic travels in the
     * user property or the envelope.
     *
     * @param prefix the checked prefix
     * @param original the original topic
     * @return the topic
     */
    public static String topic(String prefix, String original) {
        return cut(prefix + "/" + original, MAX_TOPIC_BYTES);
    }

    /**
     * Cuts a string to at most {@code maxBytes} UTF-8 bytes, at a character boundary.
     *
     * @param s the string
     * @param maxBytes the bound
     * @return the string, or its longest head that fits
     */
    static String cut(String s, int maxBytes) {
        if (s.length() * 3 <= maxBytes || s.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return s;
        }
        int budget = maxBytes;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int bytes = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes > budget) {
                break;
            }
            budget -= bytes;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }

    /**
     * Whether a subscription takes messages published under {@code <prefix>/}: a pipeline subscribed so would receive
     * its own dead letters.
     *
     * @param filter the subscription's filter, optionally {@code $share/<group>/...}
     * @param prefix the checked prefix
     * @return true when some topic {@code <prefix>/...} matches
     */
    public static boolean takes(String filter, String prefix) {
        String[] f = unshared(filter).split("/", -1);
        String[] p = prefix.split("/", -1);
        for (int i = 0; i < p.length; i++) {
            if (i >= f.length) {
                return false;
            }
            if (f[i].equals("#")) {
                return true;
            }
            if (!f[i].equals("+") && !f[i].equals(p[i])) {
                return false;
            }
        }
        return f.length > p.length;
    }

    /**
     * Returns the filter of original topics a subscription under the prefix stands for: {@code <prefix>/plant/#}
     * stands for {@code plant/#}, {@code <prefix>/#} for {@code #}.
     *
     * @param filter the subscription's filter, optionally {@code $share/<group>/...}
     * @param prefix the checked prefix, may be null
     * @return the filter of original topics, or the filter itself when it is not under the prefix
     */
    public static String original(String filter, String prefix) {
        if (prefix == null) {
            return filter;
        }
        String rest = unshared(filter);
        String share = filter.substring(0, filter.length() - rest.length());
        return rest.startsWith(prefix + "/") && rest.length() > prefix.length() + 1
                ? share + rest.substring(prefix.length() + 1) : filter;
    }

    private static String unshared(String filter) {
        if (filter.startsWith(SHARE)) {
            int slash = filter.indexOf('/', SHARE.length());
            if (slash > 0) {
                return filter.substring(slash + 1);
            }
        }
        return filter;
    }
}
