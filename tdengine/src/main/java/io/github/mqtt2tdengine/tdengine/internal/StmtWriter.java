package io.github.mqtt2tdengine.tdengine.internal;

import com.taosdata.jdbc.TaosPrepareStatement;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.spi.Row;
import io.github.mqtt2tdengine.spi.SchemaColumn;
import io.github.mqtt2tdengine.spi.TableSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameter binding for one connection: one prepared {@code INSERT INTO ? USING `stable` (`tag`, ...) TAGS (?, ...)
 * (`ts`, ...) VALUES (?, ...)} per super table, kept open between batches; the rows of a call are bound sub-table by
 * sub-table ({@code setTableName}, the tags, one list per column, {@code columnDataAddBatch}) and sent with one
 * {@code columnDataExecuteBatch}. The same code serves the native and the WebSocket driver: both implement the
 * driver's {@link TaosPrepareStatement}. A statement whose execute failed is closed and prepared again (the native
 * client refuses every later bind on it). Not thread-safe: one per connection, used by the writer that owns it. Not
 * API; may change in any release.
 */
public final class StmtWriter implements AutoCloseable {
    // the driver's type codes (TSDBConstants), for setTagNull
    private static final int BOOL = 1;
    private static final int TINYINT = 2;
    private static final int SMALLINT = 3;
    private static final int INT = 4;
    private static final int BIGINT = 5;
    private static final int FLOAT = 6;
    private static final int DOUBLE = 7;
    private static final int VARCHAR = 8;
    private static final int TIMESTAMP = 9;
    private static final int NCHAR = 10;
    private static final int JSON = 15;
    private static final int VARBINARY = 16;

    private final Connection connection;
    private final String database;
    private final Map<TableSchema, TaosPrepareStatement> prepared = new HashMap<>();

    /**
     * What a call bound: the sub-tables with the tags bound for them, and the rows that could not be bound at all.
     *
     * @param subTables each bound sub-table with its tags as bound (row values, null where NULL was bound)
     * @param rejected rows that cannot be bound (a sub-table name TDengine cannot take), with the reason
     */
    public record Bound(Map<String, Object[]> subTables, List<InsertBuilder.Rejected> rejected) {
    }

    /**
     * Creates a writer for a connection.
     *
     * @param connection the connection, owned by the caller
     * @param database the database to qualify table names with, or null when the connection is bound to it
     */
    public StmtWriter(Connection connection, String database) {
        this.connection = connection;
        this.database = database;
    }

    /**
     * Returns the first column or tag that the driver cannot bind, or null when it can bind them all.
     *
     * @param schema the super table
     * @return a description such as {@code column `c` (INT UNSIGNED)}, or null
     */
    public static String unbindable(TableSchema schema) {
        for (SchemaColumn c : schema.columns()) {
            if (!bindable(c.type()) || c.type().kind() == ColumnType.Kind.JSON) {
                return "column `" + c.name() + "` (" + c.type().sql() + ")";
            }
        }
        for (SchemaColumn t : schema.tags()) {
            if (!bindable(t.type())) {
                return "tag `" + t.name() + "` (" + t.type().sql() + ")";
            }
        }
        return null;
    }

    private static boolean bindable(ColumnType type) {
        return switch (type.kind()) {
            case TINYINT_UNSIGNED, SMALLINT_UNSIGNED, INT_UNSIGNED, BIGINT_UNSIGNED -> false;
            default -> true;
        };
    }

    /**
     * Returns the statement prepared for a super table.
     *
     * @param schema the super table
     * @param database the database to qualify with, or null
     * @return {@code INSERT INTO ? USING `st` (`t`) TAGS (?) (`ts`,`v`) VALUES (?,?)}
     */
    static String sql(TableSchema schema, String database) {
        StringBuilder sb = new StringBuilder(128).append("INSERT INTO ? USING ");
        if (database != null) {
            sb.append(Sql.qualified(database, schema.superTable()));
        } else {
            Sql.appendIdentifier(sb, schema.superTable());
        }
        sb.append(" (");
        names(sb, schema.tags()).append(") TAGS (");
        marks(sb, schema.tags().size()).append(") (");
        names(sb, schema.columns()).append(") VALUES (");
        return marks(sb, schema.columns().size()).append(')').toString();
    }

    private static StringBuilder names(StringBuilder sb, List<SchemaColumn> columns) {
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Sql.appendIdentifier(sb, columns.get(i).name());
        }
        return sb;
    }

    private static StringBuilder marks(StringBuilder sb, int n) {
        for (int i = 0; i < n; i++) {
            sb.append(i > 0 ? ",?" : "?");
        }
        return sb;
    }

    /**
     * Tells whether the connection's driver binds parameters (its prepared statement is a {@link TaosPrepareStatement}).
     *
     * @param connection the connection
     * @param schema a super table that exists
     * @param database the database to qualify with, or null
     * @return true when {@link #write} can be used on this connection
     */
    public static boolean supported(Connection connection, TableSchema schema, String database) {
        try (PreparedStatement ps = connection.prepareStatement(sql(schema, database))) {
            return ps.isWrapperFor(TaosPrepareStatement.class);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Binds the rows of one super table and executes them as one batch. On an error nothing about which rows were
     * written is known (TDengine may have committed the sub-tables of some vnodes): the caller writes them again or
     * splits them, which is safe because a row with the same sub-table and timestamp replaces the earlier one.
     *
     * @param schema the super table of all the rows
     * @param rows the batch
     * @param groups the rows to write, by sub-table
     * @return what was bound
     * @throws SQLException as the driver reports it; the statement is then closed and prepared again next time
     */
    public Bound write(TableSchema schema, List<Row> rows, List<SubTableGroups.Group> groups) throws SQLException {
        TaosPrepareStatement ps = prepared.get(schema);
        if (ps == null) {
            ps = connection.prepareStatement(sql(schema, database)).unwrap(TaosPrepareStatement.class);
            prepared.put(schema, ps);
        }
        Map<String, Object[]> bound = new LinkedHashMap<>();
        List<InsertBuilder.Rejected> rejected = new ArrayList<>();
        try {
            StringBuilder name = new StringBuilder(64);
            for (SubTableGroups.Group g : groups) {
                name.setLength(0);
                try {
                    if (database != null) {
                        Sql.appendIdentifier(name, database).append('.');
                    }
                    Sql.appendIdentifier(name, g.subTable());
                } catch (IllegalArgumentException ex) {
                    for (int p : g.positions()) {
                        rejected.add(new InsertBuilder.Rejected(p, ex.getMessage()));
                    }
                    continue;
                }
                List<Row> tableRows = merged(rows, g.positions());
                ps.setTableName(name.toString());
                bindTags(ps, schema, g.latestTags());
                bindColumns(ps, schema, tableRows);
                ps.columnDataAddBatch();
                bound.put(g.subTable(), g.latestTags());
            }
            if (!bound.isEmpty()) {
                ps.columnDataExecuteBatch();
            }
        } catch (SQLException | RuntimeException e) {
            discard(schema);
            throw e;
        }
        return new Bound(bound, rejected);
    }

    /**
     * Returns one sub-table's rows in timestamp order, rows of one timestamp merged into one: later non-null values
     * over earlier ones, as TDengine merges the rows of one timestamp within an SQL statement (a bound batch would
     * keep the last row whole, NULLs included).
     */
    static List<Row> merged(List<Row> rows, int[] group) {
        List<Row> out = new ArrayList<>(group.length);
        boolean sorted = true;
        for (int p : group) {
            Row row = rows.get(p);
            if (!out.isEmpty() && row.timestamp() <= out.get(out.size() - 1).timestamp()) {
                sorted = false;
            }
            out.add(row);
        }
        if (sorted) {
            return out;
        }
        out.sort(java.util.Comparator.comparingLong(Row::timestamp)); // stable: rows of one timestamp keep their order
        List<Row> merged = new ArrayList<>(out.size());
        for (Row row : out) {
            Row last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last == null || last.timestamp() != row.timestamp()) {
                merged.add(row);
                continue;
            }
            Object[] columns = new Object[row.schema().columns().size()];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = row.column(i) != null ? row.column(i) : last.column(i);
            }
            Object[] tags = new Object[row.schema().tags().size()];
            for (int i = 0; i < tags.length; i++) {
                tags[i] = row.tag(i) != null ? row.tag(i) : last.tag(i);
            }
            merged.set(merged.size() - 1, Row.of(row.schema(), row.subTable(), columns, tags));
        }
        return merged;
    }

    /** Binds the latest value of each tag among the sub-table's rows, NULL where none has one. */
    private static void bindTags(TaosPrepareStatement ps, TableSchema schema, Object[] latest) throws SQLException {
        List<SchemaColumn> tags = schema.tags();
        for (int i = 0; i < tags.size(); i++) {
            Object value = latest[i];
            ColumnType type = tags.get(i).type();
            if (value == null) {
                ps.setTagNull(i, typeCode(type));
                continue;
            }
            switch (type.kind()) {
                case BOOL -> ps.setTagBoolean(i, (Boolean) value);
                case TINYINT -> ps.setTagByte(i, ((Long) value).byteValue());
                case SMALLINT -> ps.setTagShort(i, ((Long) value).shortValue());
                case INT -> ps.setTagInt(i, ((Long) value).intValue());
                case BIGINT -> ps.setTagLong(i, (Long) value);
                case TIMESTAMP -> ps.setTagTimestamp(i, (long) (Long) value);
                case FLOAT -> ps.setTagFloat(i, (Float) value);
                case DOUBLE -> ps.setTagDouble(i, (Double) value);
                case VARCHAR -> ps.setTagString(i, (String) value);
                case NCHAR -> ps.setTagNString(i, (String) value);
                case JSON -> ps.setTagJson(i, (String) value);
                case VARBINARY -> ps.setTagVarbinary(i, (byte[]) value);
                default -> throw new IllegalStateException("tag type " + type.sql() + " cannot be bound");
            }
        }
    }

    private static void bindColumns(TaosPrepareStatement ps, TableSchema schema, List<Row> rows)
            throws SQLException {
        List<SchemaColumn> columns = schema.columns();
        for (int i = 0; i < columns.size(); i++) {
            ColumnType type = columns.get(i).type();
            switch (type.kind()) {
                case BOOL -> ps.setBoolean(i, values(rows, i, v -> (Boolean) v));
                case TINYINT -> ps.setByte(i, values(rows, i, v -> ((Long) v).byteValue()));
                case SMALLINT -> ps.setShort(i, values(rows, i, v -> ((Long) v).shortValue()));
                case INT -> ps.setInt(i, values(rows, i, v -> ((Long) v).intValue()));
                case BIGINT -> ps.setLong(i, values(rows, i, v -> (Long) v));
                case TIMESTAMP -> ps.setTimestamp(i, values(rows, i, v -> (Long) v));
                case FLOAT -> ps.setFloat(i, values(rows, i, v -> (Float) v));
                case DOUBLE -> ps.setDouble(i, values(rows, i, v -> (Double) v));
                case VARCHAR -> ps.setString(i, values(rows, i, v -> (String) v), type.length());
                case NCHAR -> ps.setNString(i, values(rows, i, v -> (String) v), type.length());
                case VARBINARY -> ps.setVarbinary(i, values(rows, i, v -> (byte[]) v), type.length());
                default -> throw new IllegalStateException("column type " + type.sql() + " cannot be bound");
            }
        }
    }

    private interface Convert<T> {
        T apply(Object value);
    }

    private static <T> List<T> values(List<Row> rows, int column, Convert<T> convert) {
        List<T> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            Object v = row.column(column);
            out.add(v == null ? null : convert.apply(v));
        }
        return out;
    }

    private static int typeCode(ColumnType type) {
        return switch (type.kind()) {
            case BOOL -> BOOL;
            case TINYINT -> TINYINT;
            case SMALLINT -> SMALLINT;
            case INT -> INT;
            case BIGINT -> BIGINT;
            case TIMESTAMP -> TIMESTAMP;
            case FLOAT -> FLOAT;
            case DOUBLE -> DOUBLE;
            case NCHAR -> NCHAR;
            case JSON -> JSON;
            case VARBINARY -> VARBINARY;
            default -> VARCHAR;
        };
    }

    /**
     * Closes the statement of a super table after a failure; the next call prepares a new one.
     *
     * @param schema the super table
     */
    public void discard(TableSchema schema) {
        TaosPrepareStatement ps = prepared.remove(schema);
        if (ps != null) {
            try {
                ps.close();
            } catch (SQLException | RuntimeException e) {
                // a statement that failed may fail to close too; the connection stays usable
            }
        }
    }

    /** Closes every prepared statement; the connection stays open. */
    @Override
    public void close() {
        for (TableSchema schema : new ArrayList<>(prepared.keySet())) {
            discard(schema);
        }
    }
}
