package io.github.mqtt2tdengine.tdengine.internal;

import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.spi.SchemaColumn;
import io.github.mqtt2tdengine.spi.TableSchema;
import java.util.List;

/**
 * TDengine SQL text: backquoted identifiers, escaped literals, DDL. Values from payloads only ever enter SQL through
 * {@link #appendLiteral}. Not API; may change in any release.
 */
public final class Sql {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Sql() {
    }

    /**
     * Appends a backquoted identifier.
     *
     * @param sb the buffer
     * @param name the identifier; must not contain a backquote, '.' or control characters
     * @return the buffer
     * @throws IllegalArgumentException naming the identifier when it cannot be quoted safely
     */
    public static StringBuilder appendIdentifier(StringBuilder sb, String name) {
        checkIdentifier(name);
        return sb.append('`').append(name).append('`');
    }

    /**
     * Checks that a name can be written between backquotes.
     *
     * @param name the name
     * @throws IllegalArgumentException when it is empty or holds a backquote, '.' or a control character
     */
    public static void checkIdentifier(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("identifier must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '`' || c == '.' || c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("identifier '" + name + "' contains a character TDengine does not "
                        + "accept in names at index " + i);
            }
        }
    }

    /**
     * Returns {@code `db`.`name`}.
     *
     * @param database the database
     * @param name the table
     * @return the qualified name
     */
    public static String qualified(String database, String name) {
        StringBuilder sb = new StringBuilder(database.length() + name.length() + 5);
        appendIdentifier(sb, database).append('.');
        return appendIdentifier(sb, name).toString();
    }

    /**
     * Appends a row value as a SQL literal of its column type.
     *
     * @param sb the buffer
     * @param value the value, null for NULL
     * @param type the column type
     * @return the buffer
     * @throws IllegalArgumentException if a string holds U+0000, which TDengine SQL cannot carry
     */
    public static StringBuilder appendLiteral(StringBuilder sb, Object value, ColumnType type) {
        if (value == null) {
            return sb.append("NULL");
        }
        switch (type.kind()) {
            case VARCHAR:
            case NCHAR:
            case JSON:
                return appendString(sb, (String) value);
            case VARBINARY:
                byte[] bytes = (byte[]) value;
                sb.append("'\\x");
                for (byte b : bytes) {
                    sb.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
                }
                return sb.append('\'');
            case BIGINT_UNSIGNED:
                return sb.append(Long.toUnsignedString((Long) value));
            case FLOAT:
                // Float.toString(Float.MAX_VALUE) is "3.4028235E38", which the server reads as a double above the
                // FLOAT range and refuses; the double of the same value prints exactly and is taken
                float f = (Float) value;
                return Math.abs(f) == Float.MAX_VALUE ? sb.append((double) f) : sb.append(f);
            case DOUBLE:
                return sb.append(((Double) value).toString());
            default:
                return sb.append(value);
        }
    }

    /**
     * Appends a single-quoted string, escaping backslash and quote with a backslash (TDengine's rule).
     *
     * @param sb the buffer
     * @param s the string
     * @return the buffer
     */
    public static StringBuilder appendString(StringBuilder sb, String s) {
        sb.append('\'');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == '\'') {
                sb.append('\\');
            } else if (c == 0) {
                throw new IllegalArgumentException("string value contains U+0000, which TDengine SQL cannot carry");
            }
            sb.append(c);
        }
        return sb.append('\'');
    }

    /**
     * Returns {@code CREATE STABLE IF NOT EXISTS `db`.`st` (...) TAGS (...)}.
     *
     * @param database the database
     * @param schema the super table
     * @return the statement
     */
    public static String createStable(String database, TableSchema schema) {
        StringBuilder sb = new StringBuilder("CREATE STABLE IF NOT EXISTS ").append(qualified(database,
                schema.superTable())).append(" (");
        definitions(sb, schema.columns());
        sb.append(") TAGS (");
        definitions(sb, schema.tags());
        return sb.append(')').toString();
    }

    private static void definitions(StringBuilder sb, List<SchemaColumn> columns) {
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            appendIdentifier(sb, columns.get(i).name()).append(' ').append(columns.get(i).type().sql());
        }
    }

    /**
     * Returns the UTF-8 length of the buffer's text from a position.
     *
     * @param sb the buffer
     * @param from the start
     * @return bytes
     */
    public static int utf8Length(CharSequence sb, int from) {
        return utf8Length(sb, from, sb.length());
    }

    /**
     * Returns the UTF-8 length of part of the buffer's text.
     *
     * @param sb the buffer
     * @param from the start
     * @param to the end, exclusive
     * @return bytes
     */
    public static int utf8Length(CharSequence sb, int from, int to) {
        int bytes = 0;
        for (int i = from; i < to; i++) {
            char c = sb.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * Builds {@code ALTER TABLE `db`.`sub` SET TAG `a`=1, `b`='x'} for the tags given.
     *
     * @param database the database to qualify the name with, or null for an unqualified name
     * @param subTable the sub-table
     * @param tagColumns the super table's tags
     * @param literals one SQL literal per tag; null ones are left out
     * @return the statement
     */
    public static String alterTags(String database, String subTable,
            java.util.List<io.github.mqtt2tdengine.spi.SchemaColumn> tagColumns, String[] literals) {
        StringBuilder sb = new StringBuilder(128).append("ALTER TABLE ");
        if (database != null) {
            sb.append(qualified(database, subTable));
        } else {
            appendIdentifier(sb, subTable);
        }
        sb.append(" SET TAG ");
        boolean first = true;
        for (int i = 0; i < literals.length; i++) {
            if (literals[i] == null) {
                continue;
            }
            if (!first) {
                sb.append(", ");
            }
            first = false;
            appendIdentifier(sb, tagColumns.get(i).name()).append('=').append(literals[i]);
        }
        return sb.toString();
    }
}
