package io.github.mqtt2tdengine.tdengine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A wire-level stand-in for TDengine's REST interface (taosAdapter, {@code POST /rest/sql[/db]}), good enough for the
 * real JDBC driver ({@code jdbc:TAOS-RS://}) to run the sink's statements. It keeps databases, super tables,
 * sub-tables and rows in memory and answers like a real server (see shared/tdengine-facts.md): a bad value fails the
 * whole statement with TDengine's code and message, a duplicate (sub-table, timestamp) updates the listed columns,
 * tags of an existing sub-table are not changed, {@code CREATE STABLE IF NOT EXISTS} never alters. It records every
 * statement and injects faults: refused connections, HTTP 5xx, error codes on chosen values, slow answers.
 */
public final class TDengineRestServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MIN_MS = 946_684_800_000L; // 2000-01-01: older timestamps are "out of range" (keep)

    private final String user;
    private final String password;
    private final List<String> statements = new CopyOnWriteArrayList<>();
    private final Map<String, Db> databases = new HashMap<>();
    private final AtomicInteger http5xx = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong rowsInserted = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong tagUpdates = new java.util.concurrent.atomic.AtomicLong();
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile int failNextCode;
    private volatile String failNextDesc;
    private volatile Predicate<String> failValue = v -> false;
    private volatile int failValueCode;
    private volatile String failValueDesc;
    private volatile long delayMillis;
    private HttpServer server;
    private ExecutorService executor;
    private int port;

    private static final class Db {
        final String name;
        final String precision;
        final Map<String, STable> stables = new LinkedHashMap<>();
        final Map<String, Table> tables = new LinkedHashMap<>();

        Db(String name, String precision) {
            this.name = name;
            this.precision = precision;
        }
    }

    /** A column or tag definition. */
    public record Col(String name, String type, int length) {
    }

    private static final class STable {
        final String name;
        final List<Col> columns;
        final List<Col> tags;

        STable(String name, List<Col> columns, List<Col> tags) {
            this.name = name;
            this.columns = columns;
            this.tags = tags;
        }
    }

    private static final class Table {
        final String name;
        final STable stable;
        final Map<String, Object> tags;
        final TreeMap<Long, Map<String, Object>> rows = new TreeMap<>();

        Table(String name, STable stable, Map<String, Object> tags) {
            this.name = name;
            this.stable = stable;
            this.tags = tags;
        }
    }

    public TDengineRestServer() {
        this("root", "taosdata");
    }

    public TDengineRestServer(String user, String password) {
        this.user = user;
        this.password = password;
        start(0);
    }

    private void start(int p) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), p), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor = Executors.newFixedThreadPool(4, r -> new Thread(r, "td-rest-test-server"));
        server.setExecutor(executor);
        server.createContext("/rest/sql", this::handle);
        server.start();
        port = server.getAddress().getPort();
    }

    public int port() {
        return port;
    }

    public String url(String database) {
        return "jdbc:TAOS-RS://127.0.0.1:" + port + "/" + database;
    }

    /** Stops listening: connections are refused until {@link #acceptConnections()}. */
    public synchronized void refuseConnections() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Listens again on the same port. */
    public synchronized void acceptConnections() {
        start(port);
    }

    /** The next n requests get HTTP 503 with a non-JSON body. */
    public void failNextRequestsWithHttp503(int n) {
        http5xx.set(n);
    }

    /** The next n INSERT statements fail with this TDengine error. */
    public void failNextInserts(int n, int code, String desc) {
        failNextCode = code;
        failNextDesc = desc;
        failNext.set(n);
    }

    /** Any INSERT carrying a value the predicate matches fails as a whole, as a real server does for a bad value. */
    public void failStatementsWithValue(Predicate<String> value, int code, String desc) {
        failValueCode = code;
        failValueDesc = desc;
        failValue = value;
    }

    public void delay(long millis) {
        delayMillis = millis;
    }

    /** Rows applied by INSERTs, duplicates (same sub-table and timestamp) included. */
    /** Drops a sub-table, as another client would behind the sink's back. */
    public synchronized void dropTable(String database, String table) {
        databases.get(database).tables.remove(table);
    }

    /** How many ALTER TABLE ... SET TAG statements changed tags. */
    public long tagUpdates() {
        return tagUpdates.get();
    }

    public long rowsInserted() {
        return rowsInserted.get();
    }

    public List<String> statements() {
        return statements;
    }

    public List<String> inserts() {
        return statements.stream().filter(s -> s.regionMatches(true, 0, "INSERT", 0, 6)).toList();
    }

    /** Creates a database as an administrator would. */
    public synchronized void createDatabase(String name, String precision) {
        databases.putIfAbsent(name, new Db(name, precision));
    }

    public synchronized int rowCount(String database, String stable) {
        Db db = databases.get(database);
        if (db == null) {
            return 0;
        }
        int n = 0;
        for (Table t : db.tables.values()) {
            if (t.stable.name.equals(stable)) {
                n += t.rows.size();
            }
        }
        return n;
    }

    /** Rows of one sub-table by timestamp: column name to value (Long, Double, Boolean, String, byte[], BigInteger). */
    public synchronized Map<Long, Map<String, Object>> rows(String database, String table) {
        Db db = databases.get(database);
        Table t = db == null ? null : db.tables.get(table);
        return t == null ? Map.of() : new TreeMap<>(t.rows);
    }

    public synchronized Map<String, Object> tags(String database, String table) {
        Table t = databases.get(database).tables.get(table);
        return t == null ? Map.of() : new LinkedHashMap<>(t.tags);
    }

    public synchronized List<String> tableNames(String database) {
        Db db = databases.get(database);
        return db == null ? List.of() : new ArrayList<>(db.tables.keySet());
    }

    public synchronized List<Col> describe(String database, String stable, boolean tags) {
        STable st = databases.get(database).stables.get(stable);
        return List.copyOf(tags ? st.tags : st.columns);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ------------------------------------------------------------------ HTTP

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String sql = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (delayMillis > 0) {
                try {
                    TimeUnit.MILLISECONDS.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (http5xx.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                send(ex, 503, "<html><body>503 Service Unavailable</body></html>");
                return;
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(auth)) {
                send(ex, 401, error(0x0357, "Authentication failure"));
                return;
            }
            String path = ex.getRequestURI().getPath();
            String defaultDb = path.startsWith("/rest/sql/") ? path.substring("/rest/sql/".length()) : null;
            statements.add(sql);
            String body;
            try {
                body = JSON.writeValueAsString(execute(sql, defaultDb));
            } catch (SqlError e) {
                body = error(e.code, e.getMessage());
            } catch (RuntimeException e) {
                body = error(0x2600, "syntax error: " + e.getMessage());
            }
            send(ex, 200, body);
        }
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String error(int code, String desc) {
        ObjectNode o = JSON.createObjectNode();
        o.put("code", code);
        o.put("desc", desc);
        return o.toString();
    }

    private static ObjectNode affected(int n) {
        ObjectNode o = JSON.createObjectNode();
        o.put("code", 0);
        ArrayNode meta = o.putArray("column_meta");
        meta.addArray().add("affected_rows").add("INT").add(4);
        o.putArray("data").addArray().add(n);
        o.put("rows", 1);
        return o;
    }

    private static final java.time.format.DateTimeFormatter TS = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    private static ObjectNode result(List<Col> meta, List<List<Object>> rows) {
        ObjectNode o = JSON.createObjectNode();
        o.put("code", 0);
        ArrayNode m = o.putArray("column_meta");
        for (Col c : meta) {
            m.addArray().add(c.name()).add(c.type()).add(c.length());
        }
        ArrayNode data = o.putArray("data");
        for (List<Object> row : rows) {
            ArrayNode r = data.addArray();
            for (int i = 0; i < row.size(); i++) {
                Object v = row.get(i);
                if (v instanceof Long && meta.get(i).type().equals("TIMESTAMP")) {
                    v = TS.format(java.time.Instant.ofEpochMilli((Long) v));
                }
                r.add(JSON.valueToTree(v instanceof byte[] ? "\\x" + hex((byte[]) v) : v));
            }
        }
        o.put("rows", rows.size());
        return o;
    }

    // ------------------------------------------------------------------ SQL

    private synchronized JsonNode execute(String sql, String defaultDb) {
        SqlTokens t = new SqlTokens(sql);
        if (t.accept("USE")) {
            String db = t.name();
            requireDb(db);
            return affected(0);
        }
        if (t.accept("CREATE")) {
            if (t.accept("DATABASE")) {
                ifNotExists(t);
                String name = t.name();
                String precision = "ms";
                if (t.accept("PRECISION")) {
                    precision = t.next().text();
                }
                databases.putIfAbsent(name, new Db(name, precision));
                return affected(0);
            }
            if (t.accept("STABLE")) {
                ifNotExists(t);
                String[] q = t.qualifiedName(defaultDb);
                Db db = requireDb(q[0]);
                List<Col> columns = definitions(t);
                t.expect("TAGS");
                List<Col> tags = definitions(t);
                db.stables.putIfAbsent(q[1], new STable(q[1], new ArrayList<>(columns), new ArrayList<>(tags)));
                return affected(0);
            }
        }
        if (t.accept("ALTER")) {
            if (t.accept("TABLE")) {
                return alterTags(t, defaultDb);
            }
            t.expect("STABLE");
            String[] q = t.qualifiedName(defaultDb);
            STable st = requireStable(requireDb(q[0]), q[1]);
            t.expect("ADD");
            boolean tag = t.accept("TAG");
            if (!tag) {
                t.expect("COLUMN");
            }
            Col c = definition(t);
            (tag ? st.tags : st.columns).add(c);
            return affected(0);
        }
        if (t.accept("DESCRIBE")) {
            String[] q = t.qualifiedName(defaultDb);
            STable st = requireStable(requireDb(q[0]), q[1]);
            List<List<Object>> rows = new ArrayList<>();
            for (Col c : st.columns) {
                rows.add(List.of(c.name(), c.type(), c.length(), "", "", "", ""));
            }
            for (Col c : st.tags) {
                rows.add(List.of(c.name(), c.type(), c.length(), "TAG", "", "", ""));
            }
            return result(List.of(new Col("field", "VARCHAR", 64), new Col("type", "VARCHAR", 32),
                    new Col("length", "INT", 4), new Col("note", "VARCHAR", 8), new Col("encode", "VARCHAR", 16),
                    new Col("compress", "VARCHAR", 16), new Col("level", "VARCHAR", 8)), rows);
        }
        if (t.accept("SELECT")) {
            return select(sql, t, defaultDb);
        }
        if (t.accept("INSERT")) {
            t.expect("INTO");
            return insert(t, defaultDb);
        }
        throw new SqlError(0x2600, "syntax error near '" + t.peek().text() + "'");
    }

    private JsonNode alterTags(SqlTokens t, String defaultDb) {
        // ALTER TABLE `db`.`sub` SET TAG `a`=1, `b`='x' (several tags at once, as TDengine 3.3.7.5 takes them)
        String[] q = t.qualifiedName(defaultDb);
        Table table = requireDb(q[0]).tables.get(q[1]);
        if (table == null) {
            throw new SqlError(0x2603, "Table does not exist");
        }
        t.expect("SET");
        t.expect("TAG");
        Map<String, Object> changed = new LinkedHashMap<>();
        do {
            String name = t.name();
            Col c = table.stable.tags.stream().filter(k -> k.name().equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> new SqlError(0x2605, "Invalid tag name: " + name));
            t.expect("=");
            changed.put(c.name(), value(t.next(), c));
        } while (t.accept(","));
        table.tags.putAll(changed);
        tagUpdates.incrementAndGet();
        return affected(0);
    }

    private static void ifNotExists(SqlTokens t) {
        if (t.accept("IF")) {
            t.expect("NOT");
            t.expect("EXISTS");
        }
    }

    private static List<Col> definitions(SqlTokens t) {
        t.expect("(");
        List<Col> out = new ArrayList<>();
        do {
            out.add(definition(t));
        } while (t.accept(","));
        t.expect(")");
        return out;
    }

    private static Col definition(SqlTokens t) {
        String name = t.name();
        String type = t.next().text().toUpperCase(Locale.ROOT);
        if (type.equals("BINARY")) {
            type = "VARCHAR";
        }
        if (t.peek().is("UNSIGNED")) {
            t.next();
            type += " UNSIGNED";
        }
        int length = switch (type) {
            case "TINYINT", "TINYINT UNSIGNED", "BOOL" -> 1;
            case "SMALLINT", "SMALLINT UNSIGNED" -> 2;
            case "INT", "INT UNSIGNED", "FLOAT" -> 4;
            case "JSON" -> 4095;
            default -> 8;
        };
        if (t.accept("(")) {
            length = Integer.parseInt(t.next().text());
            t.expect(")");
        }
        return new Col(name, type, length);
    }

    private Db requireDb(String name) {
        Db db = name == null ? null : databases.get(name);
        if (db == null) {
            throw new SqlError(0x0388, "Database not exist");
        }
        return db;
    }

    private static STable requireStable(Db db, String name) {
        STable st = db.stables.get(name);
        if (st == null) {
            throw new SqlError(0x2662, "Fail to get table info, error: Table does not exist");
        }
        return st;
    }

    private JsonNode select(String sql, SqlTokens t, String defaultDb) {
        String lower = sql.toLowerCase(Locale.ROOT);
        if (lower.contains("information_schema.ins_tables")) {
            // SELECT table_name FROM information_schema.ins_tables WHERE db_name = 'db' AND stable_name = 'st' LIMIT n
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("db_name = '([^']*)' AND stable_name = "
                    + "'([^']*)'(?: LIMIT (\\d+))?").matcher(sql);
            if (!m.find()) {
                throw new SqlError(0x2600, "syntax error near ins_tables");
            }
            Db db = databases.get(m.group(1));
            List<List<Object>> rows = new ArrayList<>();
            if (db != null) {
                long limit = m.group(3) == null ? Long.MAX_VALUE : Long.parseLong(m.group(3));
                for (Table table : db.tables.values()) {
                    if (table.stable.name.equals(m.group(2)) && rows.size() < limit) {
                        rows.add(List.of(table.name));
                    }
                }
            }
            return result(List.of(new Col("table_name", "VARCHAR", 192)), rows);
        }
        if (lower.contains("information_schema.ins_databases")) {
            int q = sql.lastIndexOf('\'');
            int p = sql.lastIndexOf('\'', q - 1);
            Db db = databases.get(sql.substring(p + 1, q));
            List<List<Object>> rows = new ArrayList<>();
            if (db != null) {
                rows.add(List.of(db.precision));
            }
            return result(List.of(new Col("precision", "VARCHAR", 2)), rows);
        }
        boolean count = t.accept("COUNT");
        if (count) {
            t.expect("(");
            t.expect("*");
            t.expect(")");
        } else {
            t.expect("*");
        }
        t.expect("FROM");
        String[] q = t.qualifiedName(defaultDb);
        Db db = requireDb(q[0]);
        List<Table> tables = new ArrayList<>();
        STable st = db.stables.get(q[1]);
        if (st != null) {
            for (Table table : db.tables.values()) {
                if (table.stable == st) {
                    tables.add(table);
                }
            }
        } else {
            Table table = db.tables.get(q[1]);
            if (table == null) {
                throw new SqlError(0x2662, "Fail to get table info, error: Table does not exist");
            }
            tables.add(table);
            st = table.stable;
        }
        if (count) {
            long n = tables.stream().mapToLong(x -> x.rows.size()).sum();
            return result(List.of(new Col("count(*)", "BIGINT", 8)), List.of(List.of(n)));
        }
        List<List<Object>> rows = new ArrayList<>();
        for (Table table : tables) {
            for (Map.Entry<Long, Map<String, Object>> e : table.rows.entrySet()) {
                List<Object> row = new ArrayList<>();
                for (Col c : st.columns) {
                    row.add(e.getValue().get(c.name()));
                }
                rows.add(row);
            }
        }
        return result(st.columns, rows);
    }

    private record Pending(Db db, String table, STable stable, Map<String, Object> tags,
            List<Map<String, Object>> rows) {
    }

    private JsonNode insert(SqlTokens t, String defaultDb) {
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new SqlError(failNextCode, failNextDesc);
        }
        List<Pending> pending = new ArrayList<>();
        while (!t.atEnd()) {
            String[] target = t.qualifiedName(defaultDb);
            Db db = requireDb(target[0]);
            if (target[1].indexOf('.') >= 0) {
                throw new SqlError(0x2617, "The table name cannot contain '.'");
            }
            STable st;
            Map<String, Object> tags = new LinkedHashMap<>();
            if (t.accept("USING")) {
                String[] using = t.qualifiedName(defaultDb);
                st = requireStable(requireDb(using[0]), using[1]);
                List<Col> tagCols = st.tags;
                if (t.peek().is("(")) {
                    tagCols = columnList(t, st.tags, "tag");
                }
                t.expect("TAGS");
                List<Object> tagValues = literals(t, tagCols);
                for (int i = 0; i < tagCols.size(); i++) {
                    tags.put(tagCols.get(i).name(), tagValues.get(i));
                }
            } else {
                // an existing sub-table, no USING clause: a real server answers 0x2603 when it does not exist (and
                // fails the whole statement)
                Table existing = db.tables.get(target[1]);
                if (existing == null) {
                    throw new SqlError(0x2603, "Table does not exist");
                }
                st = existing.stable;
                tags = existing.tags;
            }
            List<Col> cols = st.columns;
            if (t.peek().is("(")) {
                cols = columnList(t, st.columns, "column");
            }
            t.expect("VALUES");
            List<Map<String, Object>> rows = new ArrayList<>();
            do {
                List<Object> values = literals(t, cols);
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 0; i < cols.size(); i++) {
                    row.put(cols.get(i).name(), values.get(i));
                }
                if (!(row.get(st.columns.get(0).name()) instanceof Long)) {
                    throw new SqlError(0x2600, "primary timestamp column cannot be null");
                }
                rows.add(row);
            } while (t.peek().is("("));
            pending.add(new Pending(db, target[1], st, tags, rows));
        }
        int n = 0;
        for (Pending p : pending) {
            Table table = p.db().tables.computeIfAbsent(p.table(), k -> new Table(k, p.stable(), p.tags()));
            String pk = p.stable().columns.get(0).name();
            for (Map<String, Object> row : p.rows()) {
                long ts = (Long) row.get(pk);
                table.rows.computeIfAbsent(ts, k -> new LinkedHashMap<>()).putAll(row);
                n++;
                rowsInserted.incrementAndGet();
            }
        }
        return affected(n);
    }

    private static List<Col> columnList(SqlTokens t, List<Col> known, String what) {
        t.expect("(");
        List<Col> out = new ArrayList<>();
        do {
            String name = t.name();
            Col c = known.stream().filter(k -> k.name().equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> new SqlError(0x2605, "Invalid column name: " + name));
            out.add(c);
        } while (t.accept(","));
        t.expect(")");
        return out;
    }

    private List<Object> literals(SqlTokens t, List<Col> cols) {
        t.expect("(");
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            if (i > 0) {
                t.expect(",");
            }
            out.add(value(t.next(), cols.get(i)));
        }
        t.expect(")");
        return out;
    }

    private Object value(SqlTokens.Token token, Col c) {
        if (token.is("NULL")) {
            return null;
        }
        String text = token.text();
        if (failValue.test(text)) {
            throw new SqlError(failValueCode, failValueDesc);
        }
        String type = c.type();
        switch (type) {
            case "TIMESTAMP": {
                long ts;
                if (token.type() == SqlTokens.Type.NUMBER) {
                    ts = Long.parseLong(text);
                } else if (token.type() == SqlTokens.Type.STRING) {
                    ts = OffsetDateTime.parse(text).toInstant().toEpochMilli();
                } else {
                    throw near(text, "invalid timestamp");
                }
                if (ts < MIN_MS) {
                    throw new SqlError(0x060B, "Timestamp data out of range");
                }
                return ts;
            }
            case "BOOL":
                if (token.is("true") || text.equals("1") || text.equalsIgnoreCase("'true'")) {
                    return Boolean.TRUE;
                }
                if (token.is("false") || text.equals("0")) {
                    return Boolean.FALSE;
                }
                if (token.type() == SqlTokens.Type.STRING) {
                    return Boolean.parseBoolean(text);
                }
                throw near(text, "invalid bool data");
            case "FLOAT":
            case "DOUBLE":
                if (token.type() != SqlTokens.Type.NUMBER) {
                    throw near(text, "invalid data or symbol");
                }
                double d = Double.parseDouble(text);
                if (type.equals("FLOAT") && Math.abs(d) > Float.MAX_VALUE) {
                    throw near(text, "float data overflow");
                }
                return d;
            case "VARCHAR":
            case "NCHAR":
            case "JSON": {
                if (token.type() != SqlTokens.Type.STRING) {
                    throw near(text, "invalid string");
                }
                int size = type.equals("NCHAR") ? text.codePointCount(0, text.length())
                        : text.getBytes(StandardCharsets.UTF_8).length;
                if (size > c.length()) {
                    throw new SqlError(0x2653, "Value too long for column/tag: " + c.name());
                }
                if (type.equals("JSON")) {
                    try {
                        if (!JSON.readTree(text).isObject()) {
                            throw near(text, "invalid json");
                        }
                    } catch (IOException e) {
                        throw near(text, "invalid json");
                    }
                }
                return text;
            }
            case "VARBINARY": {
                if (token.type() != SqlTokens.Type.STRING || !text.startsWith("\\x")) {
                    throw near(text, "invalid varbinary");
                }
                byte[] bytes = unhex(text.substring(2));
                if (bytes.length > c.length()) {
                    throw new SqlError(0x2653, "Value too long for column/tag: " + c.name());
                }
                return bytes;
            }
            default:
                return integer(token, c);
        }
    }

    private static Object integer(SqlTokens.Token token, Col c) {
        String text = token.text();
        if (token.type() != SqlTokens.Type.NUMBER) {
            throw near(text, "invalid " + c.type().toLowerCase(Locale.ROOT) + " data");
        }
        BigInteger v;
        try {
            v = new BigDecimal(text).toBigIntegerExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw near(text, "invalid " + c.type().toLowerCase(Locale.ROOT) + " data");
        }
        boolean unsigned = c.type().endsWith("UNSIGNED");
        String base = c.type().replace(" UNSIGNED", "");
        int bits = switch (base) {
            case "TINYINT" -> 8;
            case "SMALLINT" -> 16;
            case "INT" -> 32;
            default -> 64;
        };
        BigInteger min = unsigned ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(bits - 1).negate();
        BigInteger max = unsigned ? BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                : BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
        if (unsigned && v.signum() < 0) {
            throw near(text, "invalid unsigned " + base.toLowerCase(Locale.ROOT) + " data");
        }
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            throw near(text, base.toLowerCase(Locale.ROOT) + " data overflow");
        }
        return bits == 64 && unsigned ? v : (Object) v.longValue();
    }

    private static SqlError near(String text, String what) {
        return new SqlError(0x0216, "syntax error near '" + text + "' (" + what + ")");
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }

    private static byte[] unhex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
