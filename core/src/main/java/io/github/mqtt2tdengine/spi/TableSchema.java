package io.github.mqtt2tdengine.spi;

import io.github.mqtt2tdengine.payload.TagChangePolicy;
import java.util.List;
import java.util.Objects;

/**
 * The super table a mapping writes to: its name, its columns (the primary-key timestamp first) and its tags.
 *
 * @since 0.1.0
 */
public final class TableSchema {
    private final String superTable;
    private final List<SchemaColumn> columns;
    private final List<SchemaColumn> tags;
    private final TagChangePolicy tagChangePolicy;
    private final int hash;
    /** The Java type of each column's and each tag's values, for {@link Row#of}'s checks. */
    private final Class<?>[] columnJavaTypes;
    private final Class<?>[] tagJavaTypes;

    /**
     * Creates a schema whose tags keep the values they were created with ({@link TagChangePolicy#IGNORE}).
     *
     * @param superTable the super table name (unquoted)
     * @param columns the columns, the first being the TIMESTAMP primary key
     * @param tags the tags, at least one
     */
    public TableSchema(String superTable, List<SchemaColumn> columns, List<SchemaColumn> tags) {
        this(superTable, columns, tags, TagChangePolicy.IGNORE);
    }

    /**
     * Creates a schema.
     *
     * @param superTable the super table name (unquoted)
     * @param columns the columns, the first being the TIMESTAMP primary key
     * @param tags the tags, at least one
     * @param tagChangePolicy what a sink does when a row brings other tag values than its sub-table has
     * @since 0.1.0
     */
    public TableSchema(String superTable, List<SchemaColumn> columns, List<SchemaColumn> tags,
            TagChangePolicy tagChangePolicy) {
        this.tagChangePolicy = Objects.requireNonNull(tagChangePolicy, "tagChangePolicy must not be null");
        this.superTable = Objects.requireNonNull(superTable, "superTable must not be null");
        this.columns = List.copyOf(columns);
        this.tags = List.copyOf(tags);
        if (this.columns.isEmpty()) {
            throw new IllegalArgumentException("super table '" + superTable + "' needs at least a timestamp column");
        }
        this.hash = Objects.hash(superTable, this.columns, this.tags, tagChangePolicy);
        this.columnJavaTypes = this.columns.stream().map(c -> c.type().javaType()).toArray(Class<?>[]::new);
        this.tagJavaTypes = this.tags.stream().map(c -> c.type().javaType()).toArray(Class<?>[]::new);
    }

    /**
     * Returns what a sink does when a row brings other tag values than its existing sub-table has.
     *
     * @return the policy
     * @since 0.1.0
     */
    public TagChangePolicy tagChangePolicy() {
        return tagChangePolicy;
    }

    /**
     * Returns the super table name, unquoted.
     *
     * @return the name
     */
    public String superTable() {
        return superTable;
    }

    /**
     * Returns the columns; the first is the TIMESTAMP primary key.
     *
     * @return an immutable list
     */
    public List<SchemaColumn> columns() {
        return columns;
    }

    /**
     * Returns the tags.
     *
     * @return an immutable list
     */
    public List<SchemaColumn> tags() {
        return tags;
    }

    /**
     * Returns the position of a column by name.
     *
     * @param name the column name
     * @return its index in {@link #columns()}, or -1
     */
    public int columnIndex(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Returns the position of a tag by name.
     *
     * @param name the tag name
     * @return its index in {@link #tags()}, or -1
     */
    public int tagIndex(String name) {
        for (int i = 0; i < tags.size(); i++) {
            if (tags.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof TableSchema)) {
            return false;
        }
        TableSchema other = (TableSchema) o;
        return superTable.equals(other.superTable) && columns.equals(other.columns) && tags.equals(other.tags)
                && tagChangePolicy == other.tagChangePolicy;
    }

    /** Whether each value is null or of its column's Java type (Row's check; no names, no allocation). */
    boolean acceptsColumns(Object[] values) {
        return accepts(columnJavaTypes, values);
    }

    /** Whether each value is null or of its tag's Java type. */
    boolean acceptsTags(Object[] values) {
        return accepts(tagJavaTypes, values);
    }

    private static boolean accepts(Class<?>[] types, Object[] values) {
        if (types.length != values.length) {
            return false;
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null && !types[i].isInstance(values[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return hash; // immutable: computed once (sinks key maps by schema, per batch)
    }

    @Override
    public String toString() {
        return superTable + " (" + columns + ") TAGS (" + tags + ")";
    }
}
