package io.github.mqtt2tdengine.internal.payload;

import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.Identifiers;
import io.github.mqtt2tdengine.payload.SubTableTemplate;
import io.github.mqtt2tdengine.payload.TableNamePolicy;
import io.github.mqtt2tdengine.spi.Row;
import java.nio.charset.StandardCharsets;

/**
 * Names sub-tables: the template's literals and the values of its placeholders' sources, forbidden characters
 * rejected or replaced as the policy says, TDengine's length limit checked. Immutable, so thread-safe. Not API; may
 * change in any release.
 */
final class SubTableNamer {
    private final String templateText;
    private final String[] literals;
    private final int literalLength;
    /** Per placeholder, the slot of its source. */
    private final int[] slots;
    /** Per placeholder, its name and type. */
    private final String[] names;
    private final ColumnType[] types;
    private final boolean reject;
    private final char replacement;
    private final MessageErrors errors;

    /**
     * Resolves a template to value slots.
     *
     * @param template the template
     * @param sources the plan's sources, whose slots the placeholders read
     * @param policy what to do with a forbidden character
     * @param replacement what replaces it under {@link TableNamePolicy#REPLACE}
     * @param errors how errors read
     * @throws IllegalStateException when a placeholder names no source (PayloadSpec.build() rules this out)
     */
    SubTableNamer(SubTableTemplate template, ValueSource[] sources, TableNamePolicy policy, char replacement,
            MessageErrors errors) {
        this.templateText = template.text();
        this.literals = template.literals().toArray(new String[0]);
        int length = 0;
        for (String literal : literals) {
            length += literal.length();
        }
        this.literalLength = length;
        int n = template.placeholders().size();
        this.slots = new int[n];
        this.names = new String[n];
        this.types = new ColumnType[n];
        for (int i = 0; i < n; i++) {
            String name = template.placeholders().get(i);
            int slot = -1;
            for (int j = 0; j < sources.length; j++) {
                if (sources[j].name.equals(name) && sources[j].kind != ValueSource.Kind.RECEIVE_TIME) {
                    slot = j;
                    break;
                }
            }
            if (slot < 0) { // PayloadSpec.build() names the known fields; a spec that passed it cannot get here
                throw new IllegalStateException("subTableTemplate references unknown field '" + name + "'");
            }
            slots[i] = slot;
            names[i] = name;
            types[i] = sources[slot].type;
        }
        this.reject = policy == TableNamePolicy.REJECT;
        this.replacement = replacement;
        this.errors = errors;
    }

    /** The template as written. */
    String templateText() {
        return templateText;
    }

    /**
     * Names the sub-table of a row.
     *
     * @param values the row's values by slot
     * @param topic for errors
     * @param element the element of a split message, -1 for none (for errors)
     * @return the name
     * @throws io.github.mqtt2tdengine.errors.PayloadException {@code INVALID_TABLE_NAME} when a placeholder has no value or
     *     the name breaks TDengine's rules
     */
    String name(Object[] values, String topic, int element) {
        StringBuilder sb = new StringBuilder(literalLength + 16 * slots.length);
        for (int i = 0; i < slots.length; i++) {
            sb.append(literals[i]);
            Object v = values[slots[i]];
            if (v instanceof Long n && types[i].kind() != ColumnType.Kind.BIGINT_UNSIGNED) {
                sb.append(n.longValue()); // the common case (a device number): no intermediate string
                continue;
            }
            String text = placeholderText(v, types[i]);
            if (text == null || text.isEmpty()) {
                throw errors.error(DeadLetterReason.INVALID_TABLE_NAME, "subTableTemplate '" + templateText
                        + "': placeholder {" + names[i] + "} has " + (text == null ? "no value" : "an empty value")
                        + errors.inElement(element), topic, null);
            }
            sb.append(text);
        }
        sb.append(literals[slots.length]);
        return check(sb, topic);
    }

    private String check(StringBuilder sb, String topic) {
        boolean ascii = true;
        for (int i = 0; i < sb.length(); i++) {
            char c = sb.charAt(i);
            ascii &= c < 0x80;
            if (Identifiers.isForbidden(c)) {
                if (reject) {
                    throw errors.error(DeadLetterReason.INVALID_TABLE_NAME, "sub-table name '" + show(sb)
                            + "' contains forbidden character " + Identifiers.describe(c) + " (policy REJECT)", topic,
                            null);
                }
                sb.setCharAt(i, replacement);
            }
        }
        String name = sb.toString();
        int bytes = ascii ? name.length() : Identifiers.utf8Length(name);
        if (bytes > Identifiers.MAX_TABLE_NAME_BYTES) {
            throw errors.error(DeadLetterReason.INVALID_TABLE_NAME, "sub-table name '" + show(sb) + "' is " + bytes
                    + " bytes, more than TDengine's limit of " + Identifiers.MAX_TABLE_NAME_BYTES, topic, null);
        }
        return name;
    }

    /**
     * Checks a sub-table name a transform changed: the policy does not apply, so it must be valid as it is.
     *
     * @param before the row as mapped
     * @param after the row the transform returned
     * @param topic for errors
     * @throws io.github.mqtt2tdengine.errors.PayloadException {@code INVALID_TABLE_NAME} when the new name is empty, too long
     *     or has a forbidden character
     */
    void checkTransformed(Row before, Row after, String topic) {
        String name = after.subTable();
        if (!name.equals(before.subTable()) && (name.isEmpty() || Identifiers.firstForbidden(name) >= 0
                || Identifiers.utf8Length(name) > Identifiers.MAX_TABLE_NAME_BYTES)) {
            throw errors.error(DeadLetterReason.INVALID_TABLE_NAME, "transform returned sub-table name '" + show(name)
                    + "', which is empty, too long or has a forbidden character", topic, null);
        }
    }

    private static String show(CharSequence name) {
        return name.length() <= 64 ? name.toString() : name.subSequence(0, 64) + "...";
    }

    private static String placeholderText(Object v, ColumnType type) {
        if (v == null) {
            return null;
        }
        if (v instanceof byte[]) {
            return new String((byte[]) v, StandardCharsets.UTF_8);
        }
        if (v instanceof Long && type.kind() == ColumnType.Kind.BIGINT_UNSIGNED) {
            return Long.toUnsignedString((Long) v);
        }
        return v.toString();
    }
}
