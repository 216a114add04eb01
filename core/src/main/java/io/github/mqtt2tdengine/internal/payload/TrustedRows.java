package io.github.mqtt2tdengine.internal.payload;

import io.github.mqtt2tdengine.spi.Row;
import io.github.mqtt2tdengine.spi.TableSchema;

/**
 * Creates rows without the defensive copies and type checks of {@link Row#of}, for the mapping, which builds values
 * of the column types into arrays it never touches again. {@link Row} installs the factory when it is initialised.
 * Not API; may change in any release.
 */
public final class TrustedRows {
    /** Makes a row from arrays that are handed over, not copied. */
    @FunctionalInterface
    public interface Factory {
        /**
         * Creates the row.
         *
         * @param schema the schema
         * @param subTable the sub-table name
         * @param columns the column values, handed over
         * @param tags the tag values, handed over
         * @return the row
         */
        Row create(TableSchema schema, String subTable, Object[] columns, Object[] tags);
    }

    private static volatile Factory factory;

    private TrustedRows() {
    }

    /**
     * Called once by {@link Row}'s initialiser.
     *
     * @param f the factory
     */
    public static void install(Factory f) {
        if (factory == null) {
            factory = f;
        }
    }

    /**
     * Creates a row from arrays the caller hands over: their values must already be of the column types, and the
     * primary-key timestamp non-null.
     *
     * @param schema the schema
     * @param subTable the sub-table name
     * @param columns the column values
     * @param tags the tag values
     * @return the row
     */
    static Row create(TableSchema schema, String subTable, Object[] columns, Object[] tags) {
        Factory f = factory;
        if (f == null) {
            // Row's initialiser installs the factory; of() initialises Row (and checks this first row)
            return Row.of(schema, subTable, columns, tags);
        }
        return f.create(schema, subTable, columns, tags);
    }
}
