package io.github.mqtt2tdengine.spi;

import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.MappedRow;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One row for one sub-table of a super table: the primary-key timestamp, the column values and the tag values, in
 * the order of the {@link TableSchema}.
 *
 * <p>Values are {@code null} (SQL NULL) or the Java type {@link ColumnType} names for the column's type: TIMESTAMP,
 * the integer types and their UNSIGNED forms as {@link Long} (BIGINT UNSIGNED as the unsigned bits of a long), BOOL
 * as {@link Boolean}, FLOAT as {@link Float}, DOUBLE as {@link Double}, VARCHAR/NCHAR/JSON as {@link String} and
 * VARBINARY as {@code byte[]} (read-only by convention). The primary-key timestamp is never null and is in the
 * database precision. Immutable; the {@code with*} methods return changed copies. The row hooks of a
 * {@link io.github.mqtt2tdengine.payload.PayloadSpec} see it as a {@link MappedRow}.
 *
 * @since 0.1.0
 */
public final class Row implements MappedRow {
    private final TableSchema schema;
    private final String subTable;
    private final Object[] columns;
    private final Object[] tags;

    private Row(TableSchema schema, String subTable, Object[] columns, Object[] tags) {
        this.schema = schema;
        this.subTable = subTable;
        this.columns = columns;
        this.tags = tags;
    }

    /**
     * Creates a row, checking every value against its column's type.
     *
     * @param schema the super table's schema
     * @param subTable the sub-table name (unquoted)
     * @param columns the column values in schema order, the first a non-null {@link Long} timestamp; copied
     * @param tags the tag values in schema order; copied
     * @return the row
     * @throws IllegalArgumentException if a count or a value's Java type does not match the schema
     */
    public static Row of(TableSchema schema, String subTable, Object[] columns, Object[] tags) {
        Objects.requireNonNull(schema, "schema must not be null");
        Objects.requireNonNull(subTable, "subTable must not be null");
        Object[] c = columns.clone();
        Object[] t = tags.clone();
        if (!schema.acceptsColumns(c) || !schema.acceptsTags(t)) { // the fast check; the slow one says what is wrong
            check(schema, schema.columns(), c, "column");
            check(schema, schema.tags(), t, "tag");
        }
        if (c[0] == null) {
            throw new IllegalArgumentException("primary-key timestamp '" + schema.columns().get(0).name()
                    + "' of super table '" + schema.superTable() + "' must not be null");
        }
        return new Row(schema, subTable, c, t);
    }

    private static void check(TableSchema schema, List<SchemaColumn> defs, Object[] values, String what) {
        if (defs.size() != values.length) {
            throw new IllegalArgumentException("super table '" + schema.superTable() + "' has " + defs.size() + " "
                    + what + "s, but " + values.length + " values were given");
        }
        for (int i = 0; i < values.length; i++) {
            ColumnType type = defs.get(i).type();
            if (values[i] != null && !type.accepts(values[i])) {
                throw new IllegalArgumentException(what + " '" + defs.get(i).name() + "' of type " + type
                        + " takes " + type.javaType().getSimpleName() + ", but was "
                        + values[i].getClass().getSimpleName());
            }
        }
    }

    /**
     * Returns the schema of the super table this row belongs to.
     *
     * @return the schema
     */
    public TableSchema schema() {
        return schema;
    }

    /**
     * Returns the super table name.
     *
     * @return the name, unquoted
     */
    @Override
    public String superTable() {
        return schema.superTable();
    }

    /**
     * Returns the sub-table name.
     *
     * @return the name, unquoted
     */
    @Override
    public String subTable() {
        return subTable;
    }

    /**
     * Returns the primary-key timestamp in the database precision.
     *
     * @return the timestamp
     */
    @Override
    public long timestamp() {
        return (Long) columns[0];
    }

    /**
     * Returns a column value by position.
     *
     * @param index position in {@link TableSchema#columns()}
     * @return the value, may be null
     */
    @Override
    public Object column(int index) {
        return columns[index];
    }

    /**
     * Returns a tag value by position.
     *
     * @param index position in {@link TableSchema#tags()}
     * @return the value, may be null
     */
    @Override
    public Object tag(int index) {
        return tags[index];
    }

    /**
     * Returns a column value by name.
     *
     * @param name the column name
     * @return the value, may be null
     * @throws IllegalArgumentException if there is no such column
     */
    @Override
    public Object column(String name) {
        return columns[indexOf(schema.columnIndex(name), name, "column")];
    }

    /**
     * Returns a tag value by name.
     *
     * @param name the tag name
     * @return the value, may be null
     * @throws IllegalArgumentException if there is no such tag
     */
    @Override
    public Object tag(String name) {
        return tags[indexOf(schema.tagIndex(name), name, "tag")];
    }

    @Override
    public Object value(String name) {
        int c = schema.columnIndex(name);
        return c >= 0 ? columns[c] : tag(name);
    }

    /**
     * Returns the column values in schema order.
     *
     * @return an unmodifiable view, elements may be null
     */
    @Override
    public List<Object> columns() {
        return Collections.unmodifiableList(Arrays.asList(columns));
    }

    /**
     * Returns the tag values in schema order.
     *
     * @return an unmodifiable view, elements may be null
     */
    @Override
    public List<Object> tags() {
        return Collections.unmodifiableList(Arrays.asList(tags));
    }

    /**
     * Returns a copy with another primary-key timestamp.
     *
     * @param timestamp the timestamp in the database precision
     * @return the changed copy
     */
    @Override
    public Row withTimestamp(long timestamp) {
        Object[] c = columns.clone();
        c[0] = timestamp;
        return new Row(schema, subTable, c, tags);
    }

    /**
     * Returns a copy with another sub-table name.
     *
     * @param name the sub-table name
     * @return the changed copy
     */
    @Override
    public Row withSubTable(String name) {
        return new Row(schema, Objects.requireNonNull(name, "name must not be null"), columns, tags);
    }

    /**
     * Returns a copy with one column value changed.
     *
     * @param name the column name
     * @param value the value, may be null except for the primary key
     * @return the changed copy
     * @throws IllegalArgumentException if there is no such column or the value's type does not fit
     */
    @Override
    public Row withColumn(String name, Object value) {
        Object[] c = columns.clone();
        c[indexOf(schema.columnIndex(name), name, "column")] = value;
        return of(schema, subTable, c, tags);
    }

    /**
     * Returns a copy with one tag value changed.
     *
     * @param name the tag name
     * @param value the value, may be null
     * @return the changed copy
     * @throws IllegalArgumentException if there is no such tag or the value's type does not fit
     */
    @Override
    public Row withTag(String name, Object value) {
        Object[] t = tags.clone();
        t[indexOf(schema.tagIndex(name), name, "tag")] = value;
        return of(schema, subTable, columns, t);
    }

    private int indexOf(int index, String name, String what) {
        if (index < 0) {
            throw new IllegalArgumentException("super table '" + schema.superTable() + "' has no " + what + " '"
                    + name + "'");
        }
        return index;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Row)) {
            return false;
        }
        Row other = (Row) o;
        return schema.equals(other.schema) && subTable.equals(other.subTable)
                && Arrays.deepEquals(columns, other.columns) && Arrays.deepEquals(tags, other.tags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(schema.superTable(), subTable, Arrays.deepHashCode(columns), Arrays.deepHashCode(tags));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(96).append(schema.superTable()).append('/').append(subTable).append('{');
        for (int i = 0; i < columns.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(schema.columns().get(i).name()).append('=').append(text(columns[i]));
        }
        sb.append("} tags{");
        for (int i = 0; i < tags.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(schema.tags().get(i).name()).append('=').append(text(tags[i]));
        }
        return sb.append('}').toString();
    }

    private static String text(Object v) {
        return v instanceof byte[] ? "0x" + toHex((byte[]) v) : String.valueOf(v);
    }

    private static String toHex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }
}
