package io.github.mqtt2tdengine.payload;

import io.github.mqtt2tdengine.annotations.DoNotImplement;
import java.util.List;

/**
 * A mapped row as the row hooks of a {@link PayloadSpec} see it ({@link PayloadSpec.Builder#filter} and
 * {@link PayloadSpec.Builder#transform}): the super table, the sub-table, the primary-key timestamp, the column values
 * and the tag values, read by name or by position, and changed copies. The library's rows
 * ({@link io.github.mqtt2tdengine.spi.Row}, what a sink receives) are the only implementation.
 *
 * <p>Values are {@code null} (SQL NULL) or the Java type {@link ColumnType} names for the column's type. Immutable:
 * the {@code with*} methods return changed copies, and a transform returns the row it was given or such a copy.
 *
 * <p>Not for implementation by host code ({@link DoNotImplement}): a transform returning a row of another class is a
 * hook failure, and methods may be added in a minor release.
 *
 * @since 0.2.0
 */
@DoNotImplement
public interface MappedRow {

    /**
     * Returns the super table's name.
     *
     * @return the name
     */
    String superTable();

    /**
     * Returns the sub-table's name (unquoted).
     *
     * @return the name
     */
    String subTable();

    /**
     * Returns the primary-key timestamp in the database precision.
     *
     * @return the timestamp
     */
    long timestamp();

    /**
     * Returns a column value by position; position 0 is the primary-key timestamp.
     *
     * @param index the position in the super table's columns
     * @return the value, may be null
     * @throws IndexOutOfBoundsException if there is no such position
     */
    Object column(int index);

    /**
     * Returns a tag value by position.
     *
     * @param index the position in the super table's tags
     * @return the value, may be null
     * @throws IndexOutOfBoundsException if there is no such position
     */
    Object tag(int index);

    /**
     * Returns a column value by name.
     *
     * @param name the column name
     * @return the value, may be null
     * @throws IllegalArgumentException if there is no such column
     */
    Object column(String name);

    /**
     * Returns a tag value by name.
     *
     * @param name the tag name
     * @return the value, may be null
     * @throws IllegalArgumentException if there is no such tag
     */
    Object tag(String name);

    /**
     * Returns the value of the column of that name, or else of the tag of that name, as a row filter expression reads
     * it.
     *
     * @param name a column or tag name
     * @return the value, may be null
     * @throws IllegalArgumentException if the super table has neither a column nor a tag of that name
     */
    Object value(String name);

    /**
     * Returns the column values in the super table's order.
     *
     * @return an unmodifiable view, elements may be null
     */
    List<Object> columns();

    /**
     * Returns the tag values in the super table's order.
     *
     * @return an unmodifiable view, elements may be null
     */
    List<Object> tags();

    /**
     * Returns a copy with another primary-key timestamp.
     *
     * @param timestamp the timestamp in the database precision
     * @return the changed copy
     */
    MappedRow withTimestamp(long timestamp);

    /**
     * Returns a copy with another sub-table name.
     *
     * @param name the sub-table name
     * @return the changed copy
     */
    MappedRow withSubTable(String name);

    /**
     * Returns a copy with one column value changed.
     *
     * @param name the column name
     * @param value the value, may be null except for the primary key
     * @return the changed copy
     * @throws IllegalArgumentException if there is no such column or the value's type does not fit
     */
    MappedRow withColumn(String name, Object value);

    /**
     * Returns a copy with one tag value changed.
     *
     * @param name the tag name
     * @param value the value, may be null
     * @return the changed copy
     * @throws IllegalArgumentException if there is no such tag or the value's type does not fit
     */
    MappedRow withTag(String name, Object value);
}
