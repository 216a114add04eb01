package io.github.mqtt2tdengine.payload;

import java.util.Objects;

/**
 * TDengine's rules for the names the library writes (super tables, sub-tables, columns, tags): not empty, no
 * {@code .}, no backquote, no control character, and at most {@link #MAX_TABLE_NAME_BYTES} or
 * {@link #MAX_COLUMN_NAME_BYTES} bytes of UTF-8. The builders check names with them; a host can check its own names
 * the same way before it builds.
 *
 * @since 0.1.0
 */
public final class Identifiers {
    /** Longest column or tag name TDengine accepts, in bytes. */
    public static final int MAX_COLUMN_NAME_BYTES = 64;
    /** Longest table or super table name TDengine accepts, in bytes. */
    public static final int MAX_TABLE_NAME_BYTES = 192;

    private Identifiers() {
    }

    /**
     * Checks a column, tag or super table name given by the host.
     *
     * @param what what the name is, for the message ("column name")
     * @param name the name
     * @param maxBytes the limit
     * @return the name
     */
    public static String check(String what, String name, int maxBytes) {
        Objects.requireNonNull(name, what + " must not be null");
        if (name.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        int bad = firstForbidden(name);
        if (bad >= 0) {
            throw new IllegalArgumentException(what + " '" + name + "' contains forbidden character "
                    + describe(name.charAt(bad)) + " at index " + bad);
        }
        int bytes = utf8Length(name);
        if (bytes > maxBytes) {
            throw new IllegalArgumentException(what + " '" + name + "' is " + bytes + " bytes, more than " + maxBytes);
        }
        return name;
    }

    /**
     * Returns the index of the first character TDengine forbids in names ('.', '`', control characters), or -1.
     *
     * @param name the name
     * @return the index or -1
     */
    public static int firstForbidden(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (isForbidden(name.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Returns whether TDengine forbids the character in a (backquoted) table name.
     *
     * @param c the character
     * @return true for '.', '`' and control characters
     */
    public static boolean isForbidden(char c) {
        return c == '.' || c == '`' || c < 0x20 || c == 0x7f;
    }

    /**
     * Describes a character for an error message.
     *
     * @param c the character
     * @return {@code '.'} or {@code U+0001}
     */
    public static String describe(char c) {
        return c < 0x20 || c == 0x7f ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }

    /**
     * Returns the UTF-8 length of a string without encoding it.
     *
     * @param s the string
     * @return bytes
     */
    public static int utf8Length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2; // 4 bytes for 2 chars
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }
}
