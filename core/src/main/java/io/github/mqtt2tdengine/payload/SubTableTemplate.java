package io.github.mqtt2tdengine.payload;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A sub-table name template such as {@code d{id}} or {@code meter_{site}_{device}}: literal text and {@code {name}}
 * placeholders, as {@code subTableTemplate(...)} takes it. {@link #parse} checks it the way the builders do.
 * Immutable.
 *
 * @since 0.1.0
 */
public final class SubTableTemplate {
    private final String text;
    private final List<String> literals;
    private final List<String> placeholders;

    private SubTableTemplate(String text, List<String> literals, List<String> placeholders) {
        this.text = text;
        this.literals = literals;
        this.placeholders = placeholders;
    }

    /**
     * Parses a template.
     *
     * @param text the template
     * @return the parsed template
     * @throws IllegalArgumentException naming the template when braces do not match, a placeholder is empty, there
     *     is no placeholder, or the literal text holds a character TDengine forbids
     */
    public static SubTableTemplate parse(String text) {
        Objects.requireNonNull(text, "subTableTemplate must not be null");
        List<String> literals = new ArrayList<>();
        List<String> placeholders = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '{') {
                int close = text.indexOf('}', i);
                if (close < 0) {
                    throw bad(text, "'{' at index " + i + " is not closed");
                }
                String name = text.substring(i + 1, close).trim();
                if (name.isEmpty() || name.indexOf('{') >= 0) {
                    throw bad(text, "placeholder at index " + i + " has no name");
                }
                literals.add(literal.toString());
                literal.setLength(0);
                placeholders.add(name);
                i = close + 1;
            } else if (c == '}') {
                throw bad(text, "'}' at index " + i + " has no matching '{'");
            } else {
                if (Identifiers.isForbidden(c)) {
                    throw bad(text, "it contains forbidden character " + Identifiers.describe(c) + " at index " + i);
                }
                literal.append(c);
                i++;
            }
        }
        literals.add(literal.toString());
        if (placeholders.isEmpty()) {
            throw bad(text, "it has no {placeholder}, so every message would go to one sub-table");
        }
        return new SubTableTemplate(text, List.copyOf(literals), List.copyOf(placeholders));
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("subTableTemplate '" + text + "' is not valid: " + why);
    }

    /**
     * Returns the template as written.
     *
     * @return the text
     */
    public String text() {
        return text;
    }

    /**
     * Returns the placeholder names in order.
     *
     * @return the names
     */
    public List<String> placeholders() {
        return placeholders;
    }

    /**
     * Returns the literal parts; there is one more than placeholders.
     *
     * @return the literals
     */
    public List<String> literals() {
        return literals;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubTableTemplate other && other.text().equals(text());
    }

    @Override
    public int hashCode() {
        return text().hashCode();
    }
}
