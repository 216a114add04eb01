package io.github.mqtt2tdengine.tdengine.internal;

import io.github.mqtt2tdengine.spi.Row;
import io.github.mqtt2tdengine.spi.SchemaColumn;
import io.github.mqtt2tdengine.spi.TableSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds multi-table multi-row INSERT statements: {@code INSERT INTO `db`.`d1` USING `db`.`st` (`tag`, ...) TAGS (...)
 * (`ts`, ...) VALUES (...)(...) `db`.`d2` USING ...}, each under a maximum length in bytes. Rows of one sub-table keep
 * their order. On a connection bound to the database ({@code USE db}) the names are written unqualified
 * ({@code `d1` USING `st`}): the native TDengine client logs a warning line for every database-qualified table clause.
 * Not API; may change in any release.
 */
public final class InsertBuilder {
    private static final String INSERT = "INSERT INTO ";

    private final String database;
    private final int maxBytes;
    private final SubTables known;
    /** The rendered clauses per super table; shared by the writer threads. */
    private final Map<TableSchema, Clauses> clauses = new ConcurrentHashMap<>();

    /**
     * One statement and the batch positions of its rows.
     *
     * @param sql the statement
     * @param rows positions in the batch, in statement order
     * @param created sub-tables written with a {@code USING ... TAGS} clause, with their tags (row values)
     * @param existing sub-tables written without one, because the registry knows they exist
     */
    public record Statement(String sql, int[] rows, Map<String, Object[]> created, List<String> existing) {
    }

    /**
     * A row that cannot be written at all, and why.
     *
     * @param row its position in the batch
     * @param reason one sentence
     */
    public record Rejected(int row, String reason) {
    }

    /**
     * The statements and the rows rejected before sending.
     *
     * @param statements the statements in order
     * @param rejected rows that cannot be expressed in SQL
     */
    public record Result(List<Statement> statements, List<Rejected> rejected) {
    }

    /**
     * Creates a builder.
     *
     * @param database the target database
     * @param maxBytes the largest statement in UTF-8 bytes
     */
    public InsertBuilder(String database, int maxBytes) {
        this(database, maxBytes, new SubTables(0));
    }

    /**
     * Creates a builder that leaves out the {@code USING ... TAGS} clause of sub-tables the registry knows.
     *
     * @param database the target database
     * @param maxBytes the largest statement in UTF-8 bytes
     * @param known the sub-tables known to exist
     */
    public InsertBuilder(String database, int maxBytes, SubTables known) {
        Sql.checkIdentifier(database);
        this.database = database;
        this.maxBytes = maxBytes;
        this.known = known;
    }

    /**
     * Renders tag values as SQL literals, NULL where a value is null.
     *
     * @param schema the super table
     * @param tags one row value per tag
     * @return one literal per tag
     * @throws IllegalArgumentException when a value cannot be written in SQL
     */
    public static String[] literals(TableSchema schema, Object[] tags) {
        String[] out = new String[tags.length];
        StringBuilder sb = new StringBuilder(32);
        for (int i = 0; i < tags.length; i++) {
            sb.setLength(0);
            out[i] = Sql.appendLiteral(sb, tags[i], schema.tags().get(i).type()).toString();
        }
        return out;
    }

    /**
     * Builds statements for some rows of a batch, with database-qualified names.
     *
     * @param rows the batch
     * @param positions which of them, in order
     * @return statements and rejected rows
     */
    public Result build(List<Row> rows, int[] positions) {
        return build(rows, positions, true);
    }

    /**
     * Builds statements for some rows of a batch.
     *
     * @param rows the batch
     * @param positions which of them, in order
     * @param qualified whether table names carry the database ({@code `db`.`t`}); false only for a connection whose
     *     current database is the target
     * @return statements and rejected rows
     */
    public Result build(List<Row> rows, int[] positions, boolean qualified) {
        return build(rows, SubTableGroups.of(rows, positions), qualified);
    }

    /**
     * Builds statements for rows grouped by sub-table.
     *
     * @param rows the batch
     * @param groups the rows to write, by sub-table
     * @param qualified whether table names carry the database
     * @return statements and rejected rows
     */
    public Result build(List<Row> rows, List<SubTableGroups.Group> groups, boolean qualified) {
        List<Statement> statements = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        // rows and table clauses are written straight into the statement and measured there once; a row that does
        // not fit is taken out again (rare), so nothing is rendered twice
        StringBuilder sql = new StringBuilder(Math.min(maxBytes, 1 << 16)).append(INSERT);
        int bytes = INSERT.length();
        int[] inStatement = new int[Math.max(16, Math.min(rows.size(), 1 << 16))];
        int count = 0;
        Map<String, Object[]> created = new LinkedHashMap<>();
        List<String> existing = new ArrayList<>();
        for (SubTableGroups.Group g : groups) {
            int[] group = g.positions();
            Row tagRow = rows.get(group[group.length - 1]);
            String subTable = g.subTable();
            boolean exists = known.exists(subTable);
            Object[] tags = exists ? null : g.latestTags(); // the latest value of each tag creates the sub-table
            String[] literals;
            try {
                Sql.checkIdentifier(subTable);
                literals = tags == null ? null : literals(tagRow.schema(), tags);
            } catch (IllegalArgumentException e) {
                for (int p : group) {
                    rejected.add(new Rejected(p, e.getMessage()));
                }
                continue;
            }
            Clauses clauses = clauses(tagRow.schema());
            boolean headerWritten = false;
            int headerBytes = 0;
            for (int p : group) {
                int mark = sql.length();
                boolean withHeader = !headerWritten;
                if (withHeader) {
                    header(sql, clauses, subTable, qualified, literals);
                }
                int rowStart = sql.length();
                try {
                    values(sql, rows.get(p));
                } catch (IllegalArgumentException e) {
                    sql.setLength(mark);
                    rejected.add(new Rejected(p, e.getMessage()));
                    continue;
                }
                if (withHeader) {
                    headerBytes = Sql.utf8Length(sql, mark, rowStart);
                }
                int rowBytes = Sql.utf8Length(sql, rowStart);
                if (INSERT.length() + headerBytes + rowBytes > maxBytes) {
                    sql.setLength(mark);
                    rejected.add(new Rejected(p, "row of " + (headerBytes + rowBytes) + " bytes of SQL exceeds the "
                            + "maximum statement length of " + maxBytes + " bytes"));
                    continue;
                }
                if (bytes + (withHeader ? headerBytes : 0) + rowBytes > maxBytes && count > 0) {
                    // the statement is full: this row starts the next one, with its table clause
                    String row = sql.substring(rowStart);
                    sql.setLength(mark);
                    statements.add(new Statement(sql.toString(), Arrays.copyOf(inStatement, count),
                            Map.copyOf(created), List.copyOf(existing)));
                    sql.setLength(INSERT.length());
                    bytes = INSERT.length();
                    count = 0;
                    created.clear();
                    existing.clear();
                    header(sql, clauses, subTable, qualified, literals);
                    sql.append(row);
                    withHeader = true;
                }
                if (withHeader) {
                    headerWritten = true;
                    bytes += headerBytes;
                    if (exists) {
                        existing.add(subTable);
                    } else {
                        created.put(subTable, tags);
                    }
                }
                bytes += rowBytes;
                if (count == inStatement.length) {
                    inStatement = Arrays.copyOf(inStatement, count * 2);
                }
                inStatement[count++] = p;
            }
        }
        if (count > 0) {
            statements.add(new Statement(sql.toString(), Arrays.copyOf(inStatement, count), Map.copyOf(created),
                    List.copyOf(existing)));
        }
        return new Result(statements, rejected);
    }

    /**
     * Appends the table clause: with {@code USING ... TAGS (tags)} when tags are given, without for a known
     * sub-table. The parts that depend on the super table only are rendered once per schema ({@link Clauses}).
     */
    private static void header(StringBuilder sb, Clauses c, String subTable, boolean qualified, String[] tags) {
        if (qualified) {
            sb.append(c.database());
        }
        sb.append('`').append(subTable).append('`'); // checked once per group
        if (tags != null) {
            sb.append(qualified ? c.usingQualified() : c.using());
            for (int i = 0; i < tags.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(tags[i]);
            }
            sb.append(')');
        }
        sb.append(c.columns());
    }

    /**
     * A super table's parts of every table clause, rendered once: {@code `db`.}, {@code USING `st` (`t`,...) TAGS (}
     * (unqualified and qualified) and {@code (`ts`,...) VALUES }.
     */
    private record Clauses(String database, String using, String usingQualified, String columns) {
    }

    private Clauses clauses(TableSchema schema) {
        Clauses c = clauses.get(schema);
        if (c == null) {
            StringBuilder tags = new StringBuilder(" (");
            names(tags, schema.tags()).append(") TAGS (");
            StringBuilder columns = new StringBuilder(" (");
            names(columns, schema.columns()).append(") VALUES ");
            String st = Sql.appendIdentifier(new StringBuilder(), schema.superTable()).toString();
            c = new Clauses(Sql.appendIdentifier(new StringBuilder(), database).append('.').toString(),
                    " USING " + st + tags, " USING " + Sql.qualified(database, schema.superTable()) + tags,
                    columns.toString());
            clauses.put(schema, c);
        }
        return c;
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

    private static void values(StringBuilder sb, Row row) {
        List<SchemaColumn> columns = row.schema().columns();
        sb.append('(');
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Sql.appendLiteral(sb, row.column(i), columns.get(i).type());
        }
        sb.append(')');
    }

}
