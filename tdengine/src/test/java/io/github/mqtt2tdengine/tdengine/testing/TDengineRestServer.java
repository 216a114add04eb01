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
 * sub-tables and rows in memory and answers like a real TDengine 3.3.7.5 (the sink's suite runs against both, see
 * {@link TDenginePeer}): a bad value fails the whole statement with TDengine's code and message (the parser's
 * "syntax error near" text included), timestamps older than the database's KEEP (3650 days) are out of range in the
 * database's precision, rows of one (sub-table, timestamp) in a statement merge and a later statement replaces the
 * listed columns, tags of an existing sub-table are not changed, {@code CREATE STABLE IF NOT EXISTS} never alters,
 * DDL is held to TDengine's length limits, KEEP applies to the primary key only, {@code DELETE} takes one time range
 * (0x2655 otherwise), and the dead-letter queries ({@code SELECT TAGS}, {@code CAST(LAST(ts) AS BIGINT) ... PARTITION
 * BY tbname}, pages {@code ORDER BY ts LIMIT n}) answer as 3.3.7.5 does. It records every statement and injects
 * faults: refused connections, HTTP 5xx, error codes on chosen values, slow answers.
 */
public final class TDengineRestServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A database's KEEP when not set: older timestamps are "out of range". */
    private static final long KEEP_DAYS = 3650;
    private static final int MAX_ROW_BYTES = 65_531;
    private static final int MAX_TAG_BYTES = 16_384;
    private static final int MAX_VAR_COLUMN = 65_517;
    private static final int MAX_NCHAR_COLUMN = 16_379;
    private static final int MAX_VAR_TAG = 16_382;
    private static final int MAX_NCHAR_TAG = 4_095;

    private final String user;
    private final String password;
    private final List<String> statements = new CopyOnWriteArrayList<>();
    private final Map<String, Db> databases = new HashMap<>();
    private final AtomicInteger http5xx = new AtomicInteger();
    private final AtomicInteger spuriousSuccess = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong rowsInserted = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong tagUpdates = new java.util.concurrent.atomic.AtomicLong();
    private final AtomicInteger failNext = new AtomicInteger();
    private final AtomicInteger passBeforeFailing = new AtomicInteger();
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

    /**
     * The next n requests with valid credentials are answered as taosAdapter 3.3.7.5 answers one now and then when its
     * native client's connect fails with error code 0: {@code {"code":0,"desc":"success"}} without a result.
     */
    public void failNextRequestsWithSpuriousSuccess(int n) {
        spuriousSuccess.set(n);
    }

    /** The next n requests get HTTP 503 with a non-JSON body. */
    public void failNextRequestsWithHttp503(int n) {
        http5xx.set(n);
    }

    /** The next n INSERT statements fail with this TDengine error. */
    public void failNextInserts(int n, int code, String desc) {
        failNextInsertsAfter(0, n, code, desc);
    }

    /** After the next {@code pass} INSERT statements, n fail with this TDengine error. */
    public void failNextInsertsAfter(int pass, int n, int code, String desc) {
        failNextCode = code;
        failNextDesc = desc;
        passBeforeFailing.set(pass);
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

    /** Drops a database as an administrator would (nothing when it does not exist). */
    public synchronized void dropDatabase(String name) {
        databases.remove(name);
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

    /**
     * Rows of one sub-table by timestamp (in the database's precision): every column's name to its value (Long,
     * Double, Boolean, String, byte[], BigInteger for BIGINT UNSIGNED; null where the row has none).
     */
    public synchronized Map<Long, Map<String, Object>> rows(String database, String table) {
        Db db = databases.get(database);
        Table t = db == null ? null : db.tables.get(table);
        if (t == null) {
            return Map.of();
        }
        Map<Long, Map<String, Object>> out = new TreeMap<>();
        t.rows.forEach((ts, row) -> out.put(ts, new LinkedHashMap<>(row)));
        return out;
    }

    /** Tags of one sub-table: every tag's name to its value, null where none was given. */
    public synchronized Map<String, Object> tags(String database, String table) {
        Db db = databases.get(database);
        Table t = db == null ? null : db.tables.get(table);
        return t == null ? Map.of() : new LinkedHashMap<>(t.tags);
    }

    /** A database's precision ({@code ms}, {@code us}, {@code ns}), empty when it does not exist. */
    public synchronized java.util.Optional<String> precision(String database) {
        Db db = databases.get(database);
        return db == null ? java.util.Optional.empty() : java.util.Optional.of(db.precision);
    }

    public synchronized List<String> tableNames(String database) {
        Db db = databases.get(database);
        return db == null ? List.of() : new ArrayList<>(db.tables.keySet());
    }

    /** A super table's columns or tags as DESCRIBE lists them; empty when it does not exist. */
    public synchronized List<Col> describe(String database, String stable, boolean tags) {
        Db db = databases.get(database);
        STable st = db == null ? null : db.stables.get(stable);
        return st == null ? List.of() : List.copyOf(tags ? st.tags : st.columns);
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
            if (auth == null) {
                // as taosAdapter 3.3.7.5: a request without credentials (or with a token, which it does not know) is
                // refused with HTTP 401; wrong credentials are answered with HTTP 200 and the error code
                send(ex, 401, error(0x1105, "no auth info input"));
                return;
            }
            if (!expected.equals(auth)) {
                send(ex, 200, error(0x0357, "Authentication failure"));
                return;
            }
            if (spuriousSuccess.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                send(ex, 200, error(0, "success"));
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

    /** Timestamps in results: RFC 3339 in UTC with the database precision's fraction digits (3, 6 or 9). */
    private static java.time.format.DateTimeFormatter timestampFormat(String precision) {
        String fraction = precision.equals("ns") ? "SSSSSSSSS" : precision.equals("us") ? "SSSSSS" : "SSS";
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss." + fraction + "'Z'", Locale.ROOT)
                .withZone(java.time.ZoneOffset.UTC);
    }

    private static ObjectNode result(List<Col> meta, List<List<Object>> rows, String precision) {
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
                    long perSecond = unitsPerSecond(precision);
                    long ts = (Long) v;
                    v = timestampFormat(precision).format(java.time.Instant.ofEpochSecond(Math.floorDiv(ts, perSecond),
                            Math.floorMod(ts, perSecond) * (1_000_000_000L / perSecond)));
                }
                // taosAdapter 3.3.7.5 sends VARBINARY as bare hex digits ("6162"), not as the \x literal SQL takes
                r.add(JSON.valueToTree(v instanceof byte[] ? hex((byte[]) v) : v));
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
                    if (!List.of("ms", "us", "ns").contains(precision)) {
                        throw new SqlError(0x2619, "Invalid option precision: " + precision);
                    }
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
                checkSchema(columns, tags);
                db.stables.putIfAbsent(q[1], new STable(q[1], new ArrayList<>(columns), new ArrayList<>(tags)));
                return affected(0);
            }
        }
        if (t.accept("DROP")) {
            if (t.accept("STABLE")) {
                // a super table goes with all its sub-tables; a missing one is 0x0362 (IF EXISTS: nothing)
                boolean ifExists = t.accept("IF");
                if (ifExists) {
                    t.expect("EXISTS");
                }
                String[] q = t.qualifiedName(defaultDb);
                Db db = requireDb(q[0]);
                STable st = db.stables.remove(q[1]);
                if (st == null && !ifExists) {
                    throw new SqlError(0x0362, "STable not exist");
                }
                db.tables.values().removeIf(table -> table.stable == st);
                return affected(0);
            }
            if (t.accept("TABLE")) {
                boolean ifExists = t.accept("IF");
                if (ifExists) {
                    t.expect("EXISTS");
                }
                String[] q = t.qualifiedName(defaultDb);
                if (requireDb(q[0]).tables.remove(q[1]) == null && !ifExists) {
                    throw new SqlError(0x2603, "Table does not exist");
                }
                return affected(0);
            }
            t.expect("DATABASE");
            boolean ifExists = t.accept("IF");
            if (ifExists) {
                t.expect("EXISTS");
            }
            String name = t.name();
            if (databases.remove(name) == null && !ifExists) {
                throw new SqlError(0x0388, "Database not exist");
            }
            return affected(0);
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
            if (st.columns.stream().anyMatch(x -> x.name().equals(c.name()))) {
                throw new SqlError(0x036B, "Column already exists");
            }
            if (st.tags.stream().anyMatch(x -> x.name().equals(c.name()))) {
                throw new SqlError(tag ? 0x0369 : 0x036B, tag ? "Tag already exists" : "Column already exists");
            }
            List<Col> columns = new ArrayList<>(st.columns);
            List<Col> tags = new ArrayList<>(st.tags);
            (tag ? tags : columns).add(c);
            checkSchema(columns, tags);
            (tag ? st.tags : st.columns).add(c);
            return affected(0);
        }
        if (t.accept("DESCRIBE")) {
            String[] q = t.qualifiedName(defaultDb);
            Db db = requireDb(q[0]);
            STable st = db.stables.get(q[1]);
            if (st == null) {
                st = requireTable(db, q[1]).stable;
            }
            List<List<Object>> rows = new ArrayList<>();
            for (Col c : st.columns) {
                String[] storage = storage(c.type());
                rows.add(List.of(c.name(), c.type(), c.length(), "", storage[0], storage[1], "medium"));
            }
            for (Col c : st.tags) {
                rows.add(List.of(c.name(), c.type(), c.length(), "TAG", "disabled", "disabled", "disabled"));
            }
            // the column_meta taosAdapter 3.3.7.5 sends for DESCRIBE
            return result(List.of(new Col("field", "VARCHAR", 325), new Col("type", "VARCHAR", 20),
                    new Col("length", "INT", 4), new Col("note", "VARCHAR", 16), new Col("encode", "VARCHAR", 12),
                    new Col("compress", "VARCHAR", 12), new Col("level", "VARCHAR", 12)), rows, "ms");
        }
        if (t.accept("SELECT")) {
            return select(sql, t, defaultDb);
        }
        if (t.accept("INSERT")) {
            t.expect("INTO");
            return insert(t, defaultDb);
        }
        if (t.accept("DELETE")) {
            t.expect("FROM");
            return delete(t, defaultDb);
        }
        throw new SqlError(0x2600, "syntax error near '" + t.peek().text() + "'");
    }

    private JsonNode alterTags(SqlTokens t, String defaultDb) {
        // ALTER TABLE `db`.`sub` SET TAG `a`=1, `b`='x' (several tags at once, as TDengine 3.3.7.5 takes them)
        String[] q = t.qualifiedName(defaultDb);
        Db db = requireDb(q[0]);
        Table table = db.tables.get(q[1]);
        if (table == null) {
            throw new SqlError(0x2603, "Table does not exist");
        }
        t.expect("SET");
        t.expect("TAG");
        Map<String, Object> changed = new LinkedHashMap<>();
        do {
            String name = t.name();
            Col c = table.stable.tags.stream().filter(k -> k.name().equals(name)).findFirst()
                    .orElseThrow(() -> new SqlError(0x2605, "Invalid tag name: " + name));
            t.expect("=");
            changed.put(c.name(), value(t, t.next(), c, db));
        } while (t.accept(","));
        table.tags.putAll(changed);
        tagUpdates.incrementAndGet();
        return affected(0);
    }

    /** DESCRIBE's encode and compress columns for a column of a type (tags say "disabled"). */
    private static String[] storage(String type) {
        return switch (type) {
            case "TIMESTAMP" -> new String[] {"delta-i", "lz4"};
            case "BOOL" -> new String[] {"bit-packing", "zstd"};
            case "TINYINT", "TINYINT UNSIGNED", "SMALLINT", "SMALLINT UNSIGNED" -> new String[] {"simple8b", "zlib"};
            case "INT", "INT UNSIGNED", "BIGINT", "BIGINT UNSIGNED" -> new String[] {"simple8b", "lz4"};
            case "FLOAT", "DOUBLE" -> new String[] {"delta-d", "lz4"};
            default -> new String[] {"disabled", "zstd"};
        };
    }

    /** The limits TDengine 3.3 checks when a super table is created or altered. */
    private static void checkSchema(List<Col> columns, List<Col> tags) {
        if (columns.isEmpty() || !columns.get(0).type().equals("TIMESTAMP")) {
            throw new SqlError(0x2641, "First column must be timestamp");
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Col c : columns) {
            if (!names.add(c.name())) {
                throw new SqlError(0x263C, "Duplicated column names");
            }
        }
        for (Col c : tags) {
            if (!names.add(c.name())) {
                throw new SqlError(0x263C, "Duplicated column names");
            }
        }
        if (columns.stream().anyMatch(c -> c.type().equals("JSON"))) {
            throw new SqlError(0x2652, "Only tag can be json type");
        }
        if (tags.size() > 1 && tags.stream().anyMatch(c -> c.type().equals("JSON"))) {
            throw new SqlError(0x2633, "Only one tag if there is a json tag");
        }
        int row = 0;
        for (Col c : columns) {
            checkLength(c, c.type().equals("NCHAR") ? MAX_NCHAR_COLUMN : MAX_VAR_COLUMN);
            row += bytes(c);
        }
        int tagBytes = 0;
        for (Col c : tags) {
            checkLength(c, c.type().equals("NCHAR") ? MAX_NCHAR_TAG : MAX_VAR_TAG);
            tagBytes += bytes(c);
        }
        if (row > MAX_ROW_BYTES) {
            throw new SqlError(0x263E, "Row length exceeds max length " + MAX_ROW_BYTES);
        }
        if (tagBytes > MAX_TAG_BYTES) {
            throw new SqlError(0x263D, "Tags length exceeds max length " + MAX_TAG_BYTES);
        }
    }

    private static boolean variable(Col c) {
        return switch (c.type()) {
            case "VARCHAR", "NCHAR", "VARBINARY" -> true;
            default -> false;
        };
    }

    private static void checkLength(Col c, int max) {
        if (variable(c) && (c.length() < 1 || c.length() > max)) {
            throw new SqlError(0x2642, "Invalid column length for var length type");
        }
    }

    /** Bytes a column takes in a row: fixed size, or the declared length (4 bytes a character for NCHAR) + 2. */
    private static int bytes(Col c) {
        if (!variable(c)) {
            return c.length();
        }
        return (c.type().equals("NCHAR") ? 4 * c.length() : c.length()) + 2;
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
            throw new SqlError(0x2603, "Table does not exist");
        }
        return st;
    }

    private static Table requireTable(Db db, String name) {
        Table table = db.tables.get(name);
        if (table == null) {
            throw new SqlError(0x2603, "Table does not exist");
        }
        return table;
    }

    private JsonNode select(String sql, SqlTokens t, String defaultDb) {
        String lower = sql.toLowerCase(Locale.ROOT);
        if (lower.replace(" ", "").equals("selectdatabase()")) {
            // REST is stateless: the current database is the one in the URL path (/rest/sql/db), or none
            return result(List.of(new Col("database()", "VARCHAR", 63)),
                    List.of(java.util.Collections.singletonList(defaultDb)), "ms");
        }
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
            return result(List.of(new Col("table_name", "VARCHAR", 192)), rows, "ms");
        }
        if (lower.contains("information_schema.ins_databases")) {
            int q = sql.lastIndexOf('\'');
            int p = sql.lastIndexOf('\'', q - 1);
            Db db = databases.get(sql.substring(p + 1, q));
            List<List<Object>> rows = new ArrayList<>();
            if (db != null) {
                rows.add(List.of(db.precision));
            }
            return result(List.of(new Col("precision", "VARCHAR", 2)), rows, "ms");
        }
        if (t.accept("TAGS")) {
            return selectTags(t, defaultDb);
        }
        if (lower.endsWith("partition by tbname")) {
            return selectLastByTable(t, defaultDb);
        }
        if (!t.peek().is("*") && !t.peek().is("COUNT")) {
            return selectColumns(t, defaultDb);
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
        // SELECT * from a super table lists its tags after the columns; from a sub-table only the columns
        boolean withTags = st != null;
        if (st != null) {
            for (Table table : db.tables.values()) {
                if (table.stable == st) {
                    tables.add(table);
                }
            }
        } else {
            Table table = requireTable(db, q[1]);
            tables.add(table);
            st = table.stable;
        }
        if (count) {
            long n = tables.stream().mapToLong(x -> x.rows.size()).sum();
            return result(List.of(new Col("count(*)", "BIGINT", 8)), List.of(List.of(n)), db.precision);
        }
        List<Col> meta = new ArrayList<>(st.columns);
        if (withTags) {
            meta.addAll(st.tags);
        }
        List<List<Object>> rows = new ArrayList<>();
        for (Table table : tables) {
            for (Map.Entry<Long, Map<String, Object>> e : table.rows.entrySet()) {
                List<Object> row = new ArrayList<>();
                for (Col c : st.columns) {
                    row.add(e.getValue().get(c.name()));
                }
                if (withTags) {
                    for (Col c : st.tags) {
                        row.add(table.tags.get(c.name()));
                    }
                }
                rows.add(row);
            }
        }
        return result(meta, rows, db.precision);
    }

    /** One condition of a WHERE clause: a column or tag, an operator, a value. */
    private record Condition(String name, String op, SqlTokens.Token value) {
    }

    /**
     * {@code WHERE a op v AND b op v ...}: the conditions, joined by AND only (the forms this server knows; anything
     * else is a syntax error, as an unknown form should be).
     */
    private static List<Condition> where(SqlTokens t) {
        List<Condition> out = new ArrayList<>();
        if (!t.accept("WHERE")) {
            return out;
        }
        if (t.peek().is("(")) {
            // (a AND b) OR (c AND d): two time ranges; a real server refuses those in a DELETE (and merges equal ones,
            // which this server does not model)
            throw new SqlError(0x2655, "The DELETE statement must only have a definite time window range");
        }
        do {
            String name = t.name();
            SqlTokens.Token op = t.next();
            String text = op.text();
            if ((text.equals(">") || text.equals("<")) && t.peek().is("=")) {
                t.next();
                text += "=";
            }
            if (!List.of("=", ">", "<", ">=", "<=").contains(text)) {
                if (op.is("IN") || op.is("OR")) {
                    throw new SqlError(0x2655, "The DELETE statement must only have a definite time window range");
                }
                throw new SqlError(0x2600, "syntax error near '" + text + "'");
            }
            out.add(new Condition(name, text, t.next()));
            if (t.peek().is("OR")) {
                throw new SqlError(0x2655, "The DELETE statement must only have a definite time window range");
            }
        } while (t.accept("AND"));
        return out;
    }

    private static boolean matches(Object value, Condition c) {
        if (value == null) {
            return false;
        }
        int cmp;
        if (value instanceof Long v) {
            cmp = Long.compare(v, Long.parseLong(c.value().text()));
        } else {
            cmp = value.toString().compareTo(c.value().text());
        }
        return switch (c.op()) {
            case "=" -> cmp == 0;
            case ">" -> cmp > 0;
            case "<" -> cmp < 0;
            case ">=" -> cmp >= 0;
            default -> cmp <= 0;
        };
    }

    /**
     * {@code DELETE FROM sub WHERE ts >= a [AND ts <= b]}: TDengine 3.3.7.5 deletes a definite time range of a
     * (sub-)table only; {@code OR} between two ranges and {@code IN} are refused (0x2655). Answers the rows deleted.
     */
    private JsonNode delete(SqlTokens t, String defaultDb) {
        String[] q = t.qualifiedName(defaultDb);
        Table table = requireTable(requireDb(q[0]), q[1]);
        String pk = table.stable.columns.get(0).name();
        List<Condition> conditions = where(t);
        for (Condition c : conditions) {
            if (!c.name().equals(pk) || c.value().type() != SqlTokens.Type.NUMBER) {
                throw new SqlError(0x2655, "The DELETE statement must only have a definite time window range");
            }
        }
        int n = 0;
        for (java.util.Iterator<Long> it = table.rows.keySet().iterator(); it.hasNext();) {
            Long ts = it.next();
            if (conditions.stream().allMatch(c -> matches(ts, c))) {
                it.remove();
                n++;
            }
        }
        return affected(n);
    }

    /**
     * {@code SELECT tbname, CAST(LAST(ts) AS BIGINT) FROM st [WHERE ...] PARTITION BY tbname}: each sub-table that has
     * rows matching the conditions (on the primary key or tags), with its last matching row's timestamp. Sub-tables
     * without such rows are not listed (a real 3.3.7.5 leaves out sub-tables whose rows were all deleted too).
     */
    private JsonNode selectLastByTable(SqlTokens t, String defaultDb) {
        t.expect("tbname");
        t.expect(",");
        t.expect("CAST");
        t.expect("(");
        t.expect("LAST");
        t.expect("(");
        SqlTokens.Token token = t.peek();
        String column = t.name();
        t.expect(")");
        t.expect("AS");
        t.expect("BIGINT");
        t.expect(")");
        t.expect("FROM");
        String[] q = t.qualifiedName(defaultDb);
        Db db = requireDb(q[0]);
        STable st = requireStable(db, q[1]);
        if (!column.equals(st.columns.get(0).name())) {
            throw new SqlError(0x2600, "syntax error near 'last' (only the primary key here)");
        }
        List<Condition> conditions = where(t);
        t.expect("PARTITION");
        t.expect("BY");
        t.expect("tbname");
        List<List<Object>> rows = new ArrayList<>();
        for (Table table : db.tables.values()) {
            if (table.stable != st) {
                continue;
            }
            Long last = null;
            for (Map.Entry<Long, Map<String, Object>> e : table.rows.entrySet()) {
                boolean ok = true;
                for (Condition c : conditions) {
                    Object v = table.tags.containsKey(c.name()) ? table.tags.get(c.name()) : e.getValue().get(c.name());
                    ok &= matches(v, c);
                }
                if (ok) {
                    last = e.getKey();
                }
            }
            if (last != null) {
                rows.add(List.of(table.name, last));
            }
        }
        String label = "cast(last(" + (token.type() == SqlTokens.Type.NAME ? "`" + column + "`" : column)
                + ") as bigint)";
        return result(List.of(new Col("tbname", "VARCHAR", 270), new Col(label, "BIGINT", 8)), rows, db.precision);
    }

    /**
     * {@code SELECT TAGS tbname[, tag ...] FROM st [WHERE tag = 'v' AND ...]}: one row per sub-table, with or without
     * rows (as TDengine 3.3.7.5 answers it; {@code tbname} is VARCHAR(270)).
     */
    private JsonNode selectTags(SqlTokens t, String defaultDb) {
        List<String> names = new ArrayList<>();
        do {
            names.add(t.name());
        } while (t.accept(","));
        t.expect("FROM");
        String[] q = t.qualifiedName(defaultDb);
        Db db = requireDb(q[0]);
        STable st = requireStable(db, q[1]);
        List<Condition> conditions = where(t);
        List<Col> meta = new ArrayList<>();
        for (String name : names) {
            meta.add(name.equals("tbname") ? new Col("tbname", "VARCHAR", 270) : st.tags.stream()
                    .filter(c -> c.name().equals(name)).findFirst()
                    .orElseThrow(() -> new SqlError(0x2602, "Invalid column name: " + name)));
        }
        List<List<Object>> rows = new ArrayList<>();
        for (Table table : db.tables.values()) {
            if (table.stable != st || !conditions.stream().allMatch(c -> matches(table.tags.get(c.name()), c))) {
                continue;
            }
            List<Object> row = new ArrayList<>();
            for (String name : names) {
                row.add(name.equals("tbname") ? table.name : table.tags.get(name));
            }
            rows.add(row);
        }
        return result(meta, rows, db.precision);
    }

    /**
     * {@code SELECT item, ... FROM sub [WHERE ts op n AND ...] [ORDER BY ts] [LIMIT n]} on one sub-table, the items
     * columns or {@code CAST(col AS BIGINT)} (labelled as TDengine labels it: the text lower-cased, backquotes kept).
     */
    private JsonNode selectColumns(SqlTokens t, String defaultDb) {
        List<String> names = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        do {
            if (t.accept("CAST")) {
                t.expect("(");
                SqlTokens.Token token = t.peek();
                String name = t.name();
                t.expect("AS");
                String type = t.next().text().toLowerCase(Locale.ROOT);
                t.expect(")");
                if (!type.equals("bigint")) {
                    throw new SqlError(0x2600, "syntax error near 'cast' (only CAST(... AS BIGINT) here)");
                }
                names.add("cast:" + name);
                labels.add("cast(" + (token.type() == SqlTokens.Type.NAME ? "`" + name + "`" : name) + " as bigint)");
            } else {
                String name = t.name();
                names.add(name);
                labels.add(name);
            }
        } while (t.accept(","));
        t.expect("FROM");
        String[] q = t.qualifiedName(defaultDb);
        Db db = requireDb(q[0]);
        Table table = requireTable(db, q[1]);
        List<Condition> conditions = where(t);
        if (t.accept("ORDER")) {
            t.expect("BY");
            if (!t.name().equals(table.stable.columns.get(0).name())) {
                throw new SqlError(0x2600, "syntax error near 'order by' (only the primary key here)");
            }
        }
        long limit = Long.MAX_VALUE;
        if (t.accept("LIMIT")) {
            limit = Long.parseLong(t.next().text());
        }
        List<Col> meta = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String column = name.startsWith("cast:") ? name.substring(5) : name;
            Col c = table.stable.columns.stream().filter(k -> k.name().equals(column)).findFirst()
                    .orElseThrow(() -> new SqlError(0x2602, "Invalid column name: " + column));
            meta.add(name.startsWith("cast:") ? new Col(labels.get(i), "BIGINT", 8) : c);
        }
        List<List<Object>> rows = new ArrayList<>();
        for (Map<String, Object> row : table.rows.values()) {
            if (rows.size() >= limit) {
                break;
            }
            if (!conditions.stream().allMatch(c -> matches(row.get(c.name()), c))) {
                continue;
            }
            List<Object> out = new ArrayList<>();
            for (String name : names) {
                out.add(row.get(name.startsWith("cast:") ? name.substring(5) : name));
            }
            rows.add(out);
        }
        return result(meta, rows, db.precision);
    }

    private record Clause(Db db, String table, STable stable, Map<String, Object> tags,
            List<Map<String, Object>> rows) {
    }

    private JsonNode insert(SqlTokens t, String defaultDb) {
        if (failNext.get() > 0 && passBeforeFailing.getAndUpdate(n -> Math.max(0, n - 1)) == 0
                && failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new SqlError(failNextCode, failNextDesc);
        }
        List<Clause> clauses = new ArrayList<>();
        while (!t.atEnd()) {
            String[] target = t.qualifiedName(defaultDb);
            if (target[1].indexOf('.') >= 0) {
                throw new SqlError(0x2617, "The table name cannot contain '.'");
            }
            Db db = requireDb(target[0]);
            STable st;
            Map<String, Object> tags = null;
            if (t.accept("USING")) {
                String[] using = t.qualifiedName(defaultDb);
                st = requireStable(requireDb(using[0]), using[1]);
                List<Col> tagCols = st.tags;
                if (t.peek().is("(")) {
                    tagCols = columnList(t, st.tags);
                }
                t.expect("TAGS");
                List<Object> tagValues = literals(t, tagCols, db, null);
                tags = new LinkedHashMap<>();
                for (Col c : st.tags) {
                    tags.put(c.name(), null);
                }
                for (int i = 0; i < tagCols.size(); i++) {
                    tags.put(tagCols.get(i).name(), tagValues.get(i));
                }
            } else {
                st = requireTable(db, target[1]).stable;
            }
            List<Col> cols = st.columns;
            if (t.peek().is("(")) {
                cols = columnList(t, st.columns);
            }
            t.expect("VALUES");
            List<Map<String, Object>> rows = new ArrayList<>();
            do {
                String pk = st.columns.get(0).name();
                List<Object> values = literals(t, cols, db, pk);
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 0; i < cols.size(); i++) {
                    row.put(cols.get(i).name(), values.get(i));
                }
                if (!(row.get(pk) instanceof Long)) {
                    throw new SqlError(0x2600, "primary timestamp column cannot be null");
                }
                rows.add(row);
            } while (t.peek().is("("));
            clauses.add(new Clause(db, target[1], st, tags, rows));
        }
        // rows of one (sub-table, timestamp) within a statement merge: a later non-NULL value wins, NULL keeps the
        // earlier one; the merged row then replaces the listed columns of a stored row, NULL included
        Map<Table, Map<Long, Map<String, Object>>> merged = new LinkedHashMap<>();
        for (Clause c : clauses) {
            Table table = c.db().tables.get(c.table());
            if (table == null) {
                if (c.tags() == null) {
                    throw new SqlError(0x2603, "Table does not exist");
                }
                table = new Table(c.table(), c.stable(), c.tags());
                c.db().tables.put(c.table(), table);
            }
            String pk = c.stable().columns.get(0).name();
            Map<Long, Map<String, Object>> byTs = merged.computeIfAbsent(table, k -> new TreeMap<>());
            for (Map<String, Object> row : c.rows()) {
                Map<String, Object> into = byTs.computeIfAbsent((Long) row.get(pk), k -> new LinkedHashMap<>());
                row.forEach((k, v) -> {
                    if (v != null || !into.containsKey(k)) {
                        into.put(k, v);
                    }
                });
                rowsInserted.incrementAndGet();
            }
        }
        int n = 0;
        for (Map.Entry<Table, Map<Long, Map<String, Object>>> e : merged.entrySet()) {
            Table table = e.getKey();
            for (Map.Entry<Long, Map<String, Object>> row : e.getValue().entrySet()) {
                table.rows.computeIfAbsent(row.getKey(), k -> {
                    Map<String, Object> empty = new LinkedHashMap<>();
                    for (Col c : table.stable.columns) {
                        empty.put(c.name(), null);
                    }
                    return empty;
                }).putAll(row.getValue());
                n++;
            }
        }
        return affected(n);
    }

    /** A list of column or tag names; backquoted names match exactly (TDengine's names are case-sensitive). */
    private static List<Col> columnList(SqlTokens t, List<Col> known) {
        t.expect("(");
        List<Col> out = new ArrayList<>();
        do {
            String name = t.name();
            Col c = known.stream().filter(k -> k.name().equals(name)).findFirst()
                    .orElseThrow(() -> new SqlError(0x2602, "Invalid column name: " + name));
            out.add(c);
        } while (t.accept(","));
        t.expect(")");
        return out;
    }

    /** The values of one parenthesized row; {@code pk} names the primary-key column (null for tags). */
    private List<Object> literals(SqlTokens t, List<Col> cols, Db db, String pk) {
        t.expect("(");
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            if (i > 0) {
                t.expect(",");
            }
            SqlTokens.Token token = t.next();
            if (token.is("NULL") && cols.get(i).name().equals(pk)) {
                throw new SqlError(0x0216, nearRest(t.sql(), token.start(), "Primary timestamp column should not be "
                        + "null"));
            }
            out.add(value(t, token, cols.get(i), db, cols.get(i).name().equals(pk)));
        }
        t.expect(")");
        return out;
    }

    private Object value(SqlTokens t, SqlTokens.Token token, Col c, Db db) {
        return value(t, token, c, db, false);
    }

    /**
     * One value of a column or tag; {@code primaryKey} for the primary-key timestamp, the only column the database's
     * KEEP applies to (a real 3.3.7.5 takes {@code 1000} in any other TIMESTAMP column of a millisecond database).
     */
    private Object value(SqlTokens t, SqlTokens.Token token, Col c, Db db, boolean primaryKey) {
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
                long unitsPerSecond = unitsPerSecond(db.precision);
                if (token.type() == SqlTokens.Type.NUMBER) {
                    try {
                        ts = Long.parseLong(text);
                    } catch (NumberFormatException e) {
                        throw near(t, token, "invalid timestamp");
                    }
                } else if (token.type() == SqlTokens.Type.STRING) {
                    java.time.Instant at = OffsetDateTime.parse(text).toInstant();
                    ts = at.getEpochSecond() * unitsPerSecond + at.getNano() / (1_000_000_000L / unitsPerSecond);
                } else {
                    throw near(t, token, "invalid timestamp");
                }
                // KEEP (3650 days by default): older rows are refused; there is no upper bound
                long oldest = (System.currentTimeMillis() / 1000 - KEEP_DAYS * 86_400L) * unitsPerSecond;
                if (primaryKey && ts < oldest) {
                    throw new SqlError(0x060B, "Timestamp data out of range");
                }
                return ts;
            }
            case "BOOL":
                if (token.is("true") || token.is("false")) {
                    return token.is("true");
                }
                if (token.type() == SqlTokens.Type.NUMBER) {
                    return new BigDecimal(text).signum() != 0;
                }
                if (token.type() == SqlTokens.Type.STRING
                        && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
                    return text.equalsIgnoreCase("true");
                }
                throw near(t, token, "invalid bool data");
            case "FLOAT":
            case "DOUBLE": {
                if (token.type() != SqlTokens.Type.NUMBER) {
                    throw near(t, token, "invalid data or symbol");
                }
                double d = Double.parseDouble(text);
                if (Double.isInfinite(d) || type.equals("FLOAT") && Math.abs(d) > Float.MAX_VALUE) {
                    throw near(t, token, "illegal float data");
                }
                return type.equals("FLOAT") ? (double) (float) d : d;
            }
            case "VARCHAR":
            case "NCHAR":
            case "JSON": {
                if (token.type() != SqlTokens.Type.STRING && token.type() != SqlTokens.Type.NUMBER) {
                    throw near(t, token, "invalid string");
                }
                int size = type.equals("NCHAR") ? text.codePointCount(0, text.length())
                        : text.getBytes(StandardCharsets.UTF_8).length;
                if (size > c.length()) {
                    throw new SqlError(0x2653, "Value too long for column/tag: " + c.name());
                }
                if (type.equals("JSON")) {
                    try {
                        if (!JSON.readTree(text).isObject()) {
                            throw near(t, token, "invalid json");
                        }
                    } catch (IOException e) {
                        throw near(t, token, "invalid json");
                    }
                }
                return text;
            }
            case "VARBINARY": {
                if (token.type() != SqlTokens.Type.STRING) {
                    throw near(t, token, "invalid varbinary");
                }
                // '\x6162' is hex; any other string is taken as its bytes
                byte[] bytes = text.startsWith("\\x") ? unhex(text.substring(2))
                        : text.getBytes(StandardCharsets.UTF_8);
                if (bytes.length > c.length()) {
                    throw new SqlError(0x2653, "Value too long for column/tag: " + c.name());
                }
                return bytes;
            }
            default:
                return integer(t, token, c);
        }
    }

    private static long unitsPerSecond(String precision) {
        return switch (precision) {
            case "us" -> 1_000_000L;
            case "ns" -> 1_000_000_000L;
            default -> 1_000L;
        };
    }

    private static Object integer(SqlTokens t, SqlTokens.Token token, Col c) {
        String text = token.text();
        boolean unsigned = c.type().endsWith("UNSIGNED");
        String base = c.type().replace(" UNSIGNED", "").toLowerCase(Locale.ROOT);
        String name = (unsigned ? "unsigned " : "") + base;
        if (token.type() != SqlTokens.Type.NUMBER && token.type() != SqlTokens.Type.STRING) {
            throw near(t, token, "invalid " + name + " data");
        }
        BigInteger v;
        try {
            v = new BigDecimal(text.trim()).toBigIntegerExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw near(t, token, "invalid " + name + " data");
        }
        int bits = switch (base) {
            case "tinyint" -> 8;
            case "smallint" -> 16;
            case "int" -> 32;
            default -> 64;
        };
        BigInteger min = unsigned ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(bits - 1).negate();
        BigInteger max = unsigned ? BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                : BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            // 3.3.7.5's wording: BIGINT and negative unsigned values are "invalid", the others "overflow"
            boolean invalid = bits == 64 || unsigned && v.signum() < 0;
            throw near(t, token, invalid ? "invalid " + name + " data" : name + " data overflow");
        }
        return bits == 64 && unsigned ? v : (Object) v.longValue();
    }

    /**
     * TDengine's "syntax error near" message: for a quoted value its text, otherwise the statement from the value on,
     * lower-cased outside quotes and cut to 63 bytes, as the parser copies it into a 64-byte buffer.
     */
    private static SqlError near(SqlTokens t, SqlTokens.Token token, String what) {
        if (token.type() == SqlTokens.Type.STRING || token.start() < 0) {
            return new SqlError(0x0216, "syntax error near '" + token.text() + "' (" + what + ")");
        }
        return new SqlError(0x0216, nearRest(t.sql(), token.start(), what));
    }

    private static String nearRest(String sql, int from, String what) {
        StringBuilder sb = new StringBuilder();
        char quote = 0;
        int bytes = 0;
        for (int i = from; i < sql.length(); i++) {
            char ch = sql.charAt(i);
            if (quote != 0) {
                if (ch == '\\' && quote != '`' && i + 1 < sql.length()) {
                    sb.append(ch);
                    ch = sql.charAt(++i);
                    bytes++;
                } else if (ch == quote) {
                    quote = 0;
                }
            } else if (ch == '\'' || ch == '"' || ch == '`') {
                quote = ch;
            } else {
                ch = Character.toLowerCase(ch);
            }
            int size = String.valueOf(ch).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > 63) {
                break;
            }
            sb.append(ch);
            bytes += size;
        }
        return "syntax error near '" + sb + "' (" + what + ")";
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
