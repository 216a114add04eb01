package io.github.mqtt2tdengine.spi;

import io.github.mqtt2tdengine.payload.ColumnType;
import java.util.Objects;

/**
 * One column or tag of a super table, as the mapping defines it.
 *
 * @since 0.1.0
 */
public final class SchemaColumn {
    private final String name;
    private final ColumnType type;

    /**
     * Creates a column definition.
     *
     * @param name the column name (unquoted)
     * @param type its TDengine type
     */
    public SchemaColumn(String name, ColumnType type) {
        this.name = Objects.requireNonNull(name, "name must not be null");
        this.type = Objects.requireNonNull(type, "type must not be null");
    }

    /**
     * Returns the column name, unquoted.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the TDengine type.
     *
     * @return the type
     */
    public ColumnType type() {
        return type;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SchemaColumn)) {
            return false;
        }
        SchemaColumn other = (SchemaColumn) o;
        return name.equals(other.name) && type.equals(other.type);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + type.hashCode();
    }

    @Override
    public String toString() {
        return name + ' ' + type;
    }
}
