package io.github.mqtt2tdengine.tdengine.internal;

import io.github.mqtt2tdengine.errors.SinkException;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.spi.SchemaColumn;
import io.github.mqtt2tdengine.spi.TableSchema;
import io.github.mqtt2tdengine.tdengine.SchemaPolicy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database side of the mapping: creates the database (when asked) and the super tables, compares them with the
 * mapping ({@code DESCRIBE}), adds what is missing under {@link SchemaPolicy#ADD_MISSING}, reads the precision, loads
 * the names of existing sub-tables, and reports the same comparison without changing anything ({@code check}). Not
 * API; may change in any release.
 */
public final class SchemaSetup {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaSetup.class);

    private final String database;
    private final TimePrecision createDatabase;
    private final SchemaPolicy schemaPolicy;
    private final String pipelineName;

    /**
     * Creates the setup of one sink.
     *
     * @param database the target database
     * @param createDatabase the precision to create it with, or null to require it
     * @param schemaPolicy what to do about missing columns and tags
     * @param pipelineName for messages
     */
    public SchemaSetup(String database, TimePrecision createDatabase, SchemaPolicy schemaPolicy,
            String pipelineName) {
        this.database = database;
        this.createDatabase = createDatabase;
        this.schemaPolicy = schemaPolicy;
        this.pipelineName = pipelineName;
    }

    /**
     * The statements {@link #prepare} would send first, for a dry run.
     *
     * @param tables the mapping's super tables
     * @return {@code CREATE DATABASE} (when asked) and one {@code CREATE STABLE} per super table
     */
    public List<String> ddl(List<TableSchema> tables) {
        List<String> out = new ArrayList<>();
        if (createDatabase != null) {
            out.add(createDatabaseSql());
        }
        for (TableSchema table : tables) {
            out.add(Sql.createStable(database, table));
        }
        return out;
    }

    /**
     * Makes the database ready for the mapping's super tables.
     *
     * @param st a statement
     * @param tables the mapping's super tables
     * @return the database's precision
     * @throws SQLException as the driver reports it
     * @throws SinkException when the database is missing or a super table does not match the mapping
     */
    public TimePrecision prepare(Statement st, List<TableSchema> tables) throws SQLException {
        if (createDatabase != null) {
            execute(st, createDatabaseSql());
        }
        TimePrecision precision = readPrecision(st);
        for (TableSchema table : tables) {
            prepare(st, table);
        }
        return precision;
    }

    /**
     * Compares the mapping's super tables with the database without changing anything.
     *
     * @param st a statement
     * @param tables the mapping's super tables
     * @return one line per finding, the first naming the database and its precision
     * @throws SQLException as the driver reports it
     */
    public List<String> check(Statement st, List<TableSchema> tables) throws SQLException {
        List<String> report = new ArrayList<>();
        report.add("database `" + database + "`: exists, precision " + readPrecision(st).sqlName());
        for (TableSchema table : tables) {
            List<SchemaCheck.Described> described;
            try {
                described = describe(st, table);
            } catch (SQLException e) {
                report.add("super table `" + table.superTable() + "`: not found (" + ErrorCodes.describe(e)
                        + "); the pipeline would create it");
                continue;
            }
            SchemaCheck.Result r = SchemaCheck.compare(table, described);
            if (r.mismatches().isEmpty() && r.missingColumns().isEmpty() && r.missingTags().isEmpty()) {
                report.add("super table `" + table.superTable() + "`: matches the mapping");
            }
            report.addAll(r.mismatches());
            if (!r.missingColumns().isEmpty() || !r.missingTags().isEmpty()) {
                List<SchemaColumn> missing = new ArrayList<>(r.missingColumns());
                missing.addAll(r.missingTags());
                report.add("super table `" + table.superTable() + "` lacks mapped " + missing);
            }
        }
        return report;
    }

    /**
     * Loads the names of the sub-tables that exist already, so that INSERTs into them need no USING clause and a
     * sub-table not found is known not to exist. Their tags are not read: under {@code TagChangePolicy.UPDATE} the
     * first write to each sets them once.
     *
     * @param c a connection
     * @param tables the mapping's super tables
     * @param subTables the registry to fill (at most its capacity)
     */
    public void loadSubTables(Connection c, List<TableSchema> tables, SubTables subTables) {
        int capacity = subTables.capacity();
        if (capacity == 0) {
            return;
        }
        int loaded = 0;
        try (Statement st = c.createStatement()) {
            for (TableSchema table : tables) {
                StringBuilder sql = new StringBuilder("SELECT table_name FROM information_schema.ins_tables WHERE "
                        + "db_name = ");
                Sql.appendString(sql, database).append(" AND stable_name = ");
                Sql.appendString(sql, table.superTable()).append(" LIMIT ").append(capacity - loaded + 1);
                try (ResultSet rs = st.executeQuery(sql.toString())) {
                    while (rs.next()) {
                        subTables.remember(rs.getString(1), SubTables.unknownTags());
                        loaded++;
                    }
                }
            }
            subTables.complete(loaded <= capacity);
        } catch (SQLException | RuntimeException e) {
            // RuntimeException: a driver's emulation of a statement; without the list every INSERT keeps USING
            subTables.complete(false);
            LOG.debug("Pipeline '{}': TDengine: existing sub-tables not loaded ({}); INSERTs name their super table "
                    + "until each sub-table was written once", pipelineName, e.toString());
        }
        LOG.debug("Pipeline '{}': TDengine: {} existing sub-tables known at start (complete: {})", pipelineName,
                subTables.size(), subTables.complete());
    }

    private String createDatabaseSql() {
        return "CREATE DATABASE IF NOT EXISTS " + ident(database) + " PRECISION '" + createDatabase.sqlName() + "'";
    }

    private TimePrecision readPrecision(Statement st) throws SQLException {
        String sql = "SELECT `precision` FROM information_schema.ins_databases WHERE name = "
                + Sql.appendString(new StringBuilder(), database);
        try (ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                throw new SinkException("Pipeline '" + pipelineName + "': TDengine database `" + database
                        + "` does not exist; create it or use createDatabase(precision)");
            }
            return TimePrecision.fromSqlName(rs.getString(1));
        }
    }

    private void prepare(Statement st, TableSchema table) throws SQLException {
        execute(st, Sql.createStable(database, table));
        SchemaCheck.Result result = SchemaCheck.compare(table, describe(st, table));
        if (!result.mismatches().isEmpty()) {
            throw new SinkException("Pipeline '" + pipelineName + "': " + String.join("; ", result.mismatches()));
        }
        List<SchemaColumn> missing = new ArrayList<>(result.missingColumns());
        missing.addAll(result.missingTags());
        if (missing.isEmpty()) {
            return;
        }
        if (schemaPolicy != SchemaPolicy.ADD_MISSING) {
            throw new SinkException("Pipeline '" + pipelineName + "': super table `" + table.superTable()
                    + "` lacks mapped " + missing + "; add them or use schemaPolicy(ADD_MISSING)");
        }
        for (SchemaColumn c : result.missingColumns()) {
            execute(st, "ALTER STABLE " + Sql.qualified(database, table.superTable()) + " ADD COLUMN "
                    + ident(c.name()) + " " + c.type().sql());
        }
        for (SchemaColumn c : result.missingTags()) {
            execute(st, "ALTER STABLE " + Sql.qualified(database, table.superTable()) + " ADD TAG "
                    + ident(c.name()) + " " + c.type().sql());
        }
        LOG.warn("Pipeline '{}': added {} to super table `{}` (schemaPolicy ADD_MISSING)", pipelineName, missing,
                table.superTable());
    }

    private List<SchemaCheck.Described> describe(Statement st, TableSchema table) throws SQLException {
        List<SchemaCheck.Described> described = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("DESCRIBE " + Sql.qualified(database, table.superTable()))) {
            while (rs.next()) {
                String note = rs.getString(4);
                described.add(new SchemaCheck.Described(rs.getString(1), rs.getString(2), rs.getInt(3),
                        note != null && note.trim().equalsIgnoreCase("TAG")));
            }
        }
        return described;
    }

    private static void execute(Statement st, String sql) throws SQLException {
        LOG.debug("TDengine: {}", sql);
        st.execute(sql);
    }

    private static String ident(String name) {
        return Sql.appendIdentifier(new StringBuilder(), name).toString();
    }
}
