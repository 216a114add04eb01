package io.github.mqtt2tdengine.tdengine.testing;

import java.math.BigInteger;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A real TDengine as a {@link TDenginePeer}: every question is a query through the JDBC driver on
 * {@code TDENGINE_JDBC_URL} ({@code SELECT COUNT(*)}, {@code SELECT ... FROM db.t}, {@code SELECT TAGS},
 * {@code information_schema}, {@code DESCRIBE}), its answer normalized to the REST test server's value types.
 */
final class RealPeer implements TDenginePeer {
    private static final int TABLE_DOES_NOT_EXIST = 0x2603;
    private static final int DATABASE_NOT_EXIST = 0x0388;

    private final String base;
    /** The URL's query without user and password (those go to the driver as properties, like the sink's). */
    private final String query;
    private final String user;
    private final String password;
    /** Opened again after a failure (a test may kill and restart the server or taosAdapter under it). */
    private Connection connection;
    private final Set<String> databases = new LinkedHashSet<>();
    private final Server server;

    RealPeer(String url, Server server) {
        this.server = server;
        int scheme = url.indexOf("://");
        int end = scheme + 3;
        while (end < url.length() && url.charAt(end) != '/' && url.charAt(end) != '?') {
            end++;
        }
        int q = url.indexOf('?', end);
        this.base = url.substring(0, end);
        String user = "root";
        String password = "taosdata";
        StringBuilder rest = new StringBuilder();
        for (String pair : q < 0 ? new String[0] : url.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (name.equals("user")) {
                user = value;
            } else if (name.equals("password")) {
                password = value;
            } else if (!pair.isEmpty()) {
                rest.append(rest.length() == 0 ? '?' : '&').append(pair);
            }
        }
        this.query = rest.toString();
        this.user = user;
        this.password = password;
        try {
            this.connection = connect();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to the real TDengine at " + base + ": " + e.getMessage(),
                    e);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(base + "/" + query, user, password);
    }

    /** A statement on the connection, which is opened again first when it was lost. */
    private Statement statement() throws SQLException {
        if (connection.isClosed() || !connection.isValid(5)) {
            try {
                connection.close();
            } catch (SQLException e) {
                // it is being replaced
            }
            connection = connect();
        }
        return connection.createStatement();
    }

    @Override
    public Server server() {
        return server;
    }

    @Override
    public synchronized String database(String prefix) {
        String name = prefix + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 24);
        databases.add(name);
        return name;
    }

    @Override
    public String url(String database) {
        return base + "/" + database + query;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public synchronized void createDatabase(String name, String precision) {
        databases.add(name);
        update("CREATE DATABASE IF NOT EXISTS `" + name + "` PRECISION '" + precision + "'");
    }

    @Override
    public synchronized void dropDatabase(String name) {
        update("DROP DATABASE IF EXISTS `" + name + "`");
    }

    @Override
    public synchronized Optional<String> precision(String database) {
        List<List<Object>> rows = query("SELECT `precision` FROM information_schema.ins_databases WHERE name = '"
                + database + "'", List.of("VARCHAR"));
        return rows.isEmpty() ? Optional.empty() : Optional.of((String) rows.get(0).get(0));
    }

    @Override
    public synchronized long rowCount(String database, String stable) {
        try {
            return (Long) query("SELECT COUNT(*) FROM `" + database + "`.`" + stable + "`", List.of("BIGINT")).get(0)
                    .get(0);
        } catch (MissingException e) {
            return 0;
        }
    }

    @Override
    public synchronized Map<Long, Map<String, Object>> rows(String database, String table) {
        List<Described> columns;
        try {
            columns = describeAll(database, table).stream().filter(d -> !d.tag()).toList();
        } catch (MissingException e) {
            return Map.of();
        }
        List<List<Object>> rows = query("SELECT " + selectList(columns) + " FROM `" + database + "`.`" + table + "`",
                columns.stream().map(Described::type).toList());
        Map<Long, Map<String, Object>> out = new TreeMap<>();
        for (List<Object> row : rows) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                values.put(columns.get(i).field(), row.get(i));
            }
            out.put((Long) row.get(0), values);
        }
        return out;
    }

    @Override
    public synchronized Map<String, Object> tags(String database, String table) {
        List<Described> tags;
        try {
            tags = describeAll(database, table).stream().filter(Described::tag).toList();
        } catch (MissingException e) {
            return Map.of();
        }
        List<List<Object>> rows = query("SELECT TAGS " + selectList(tags) + " FROM `" + database + "`.`" + table + "`",
                tags.stream().map(Described::type).toList());
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < tags.size(); i++) {
            out.put(tags.get(i).field(), rows.isEmpty() ? null : rows.get(0).get(i));
        }
        return out;
    }

    @Override
    public synchronized List<String> tableNames(String database) {
        List<String> names = new ArrayList<>();
        for (List<Object> row : query("SELECT table_name FROM information_schema.ins_tables WHERE db_name = '"
                + database + "'", List.of("VARCHAR"))) {
            names.add((String) row.get(0));
        }
        names.sort(null);
        return names;
    }

    @Override
    public synchronized List<TDengineRestServer.Col> describe(String database, String stable, boolean tags) {
        try {
            return describeAll(database, stable).stream().filter(d -> d.tag() == tags)
                    .map(d -> new TDengineRestServer.Col(d.field(), d.type(), d.length())).toList();
        } catch (MissingException e) {
            return List.of();
        }
    }

    @Override
    public Optional<List<String>> statements() {
        return Optional.empty();
    }

    @Override
    public Optional<TDengineRestServer> restServer() {
        return Optional.empty();
    }

    @Override
    public synchronized void close() {
        try (Statement st = statement()) {
            for (String db : databases) {
                st.execute("DROP DATABASE IF EXISTS `" + db + "`");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop the test databases " + databases + ": " + e.getMessage(), e);
        } finally {
            try {
                connection.close();
            } catch (SQLException e) {
                // nothing to do: the test is over
            }
        }
    }

    @Override
    public String toString() {
        return server().toString();
    }

    // ------------------------------------------------------------------ queries

    /** One line of DESCRIBE. */
    private record Described(String field, String type, int length, boolean tag) {
    }

    /** A table or database that does not exist. */
    private static final class MissingException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissingException(SQLException e) {
            super(e.getMessage(), e);
        }
    }

    private List<Described> describeAll(String database, String table) {
        List<Described> out = new ArrayList<>();
        for (List<Object> row : query("DESCRIBE `" + database + "`.`" + table + "`",
                List.of("VARCHAR", "VARCHAR", "INT", "VARCHAR"))) {
            out.add(new Described((String) row.get(0), (String) row.get(1), ((Long) row.get(2)).intValue(),
                    "TAG".equals(row.get(3) == null ? null : ((String) row.get(3)).trim())));
        }
        return out;
    }

    /** Timestamps are read as their number in the database's precision: a JDBC Timestamp would round them. */
    private static String selectList(List<Described> columns) {
        StringBuilder sb = new StringBuilder();
        for (Described d : columns) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            if (d.type().equals("TIMESTAMP")) {
                sb.append("CAST(`").append(d.field()).append("` AS BIGINT)");
            } else {
                sb.append('`').append(d.field()).append('`');
            }
        }
        return sb.toString();
    }

    private void update(String sql) {
        try (Statement st = statement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Runs a query and reads the first {@code types.size()} columns of each row as those TDengine types. */
    private List<List<Object>> query(String sql, List<String> types) {
        List<List<Object>> rows = new ArrayList<>();
        try (Statement st = statement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                List<Object> row = new ArrayList<>(types.size());
                for (int i = 0; i < types.size(); i++) {
                    row.add(read(rs, i + 1, types.get(i)));
                }
                rows.add(row);
            }
        } catch (SQLException e) {
            int code = e.getErrorCode() & 0xffff;
            if (code == TABLE_DOES_NOT_EXIST || code == DATABASE_NOT_EXIST) {
                throw new MissingException(e);
            }
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
        return rows;
    }

    /**
     * The REST driver (3.7.9) gives a VARBINARY value as the JSON text taosAdapter sends, its hex digits in quotes
     * ({@code "6162"} for {@code ab}); the other drivers give the bytes.
     */
    private byte[] varbinary(byte[] read) {
        if (server != Server.REST || read == null || read.length < 2 || read[0] != '"' || read[read.length - 1] != '"') {
            return read;
        }
        return java.util.HexFormat.of().parseHex(new String(read, 1, read.length - 2, StandardCharsets.US_ASCII));
    }

    /**
     * Reads one value as the REST test server keeps it: the driver gives Byte/Short/Integer for small integers, Float
     * for FLOAT and byte[] for VARCHAR through {@code getObject}, the test server Long, Double and String.
     */
    private Object read(ResultSet rs, int i, String type) throws SQLException {
        String t = type.toUpperCase(Locale.ROOT);
        Object value;
        switch (t) {
            case "TIMESTAMP", "BIGINT", "INT", "SMALLINT", "TINYINT", "INT UNSIGNED", "SMALLINT UNSIGNED",
                    "TINYINT UNSIGNED" -> {
                // getLong, not getObject: the REST driver's getObject gives Jackson nodes for some integer types
                long v = rs.getLong(i);
                value = rs.wasNull() ? null : v;
            }
            case "BIGINT UNSIGNED" -> {
                String v = rs.getString(i);
                value = v == null ? null : new BigInteger(v);
            }
            case "FLOAT" -> {
                float v = rs.getFloat(i);
                value = rs.wasNull() ? null : (double) v;
            }
            case "DOUBLE" -> {
                double v = rs.getDouble(i);
                value = rs.wasNull() ? null : v;
            }
            case "BOOL" -> {
                boolean b = rs.getBoolean(i);
                value = rs.wasNull() ? null : b;
            }
            case "VARBINARY" -> value = varbinary(rs.getBytes(i));
            default -> value = rs.getString(i);
        }
        return value;
    }
}
