package io.github.mqtt2tdengine.tdengine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mqtt2tdengine.tdengine.testing.TDenginePeer.Server;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The REST test server answers like a real TDengine: the same statements, sent through the JDBC driver to both
 * servers ({@link TDenginePeer}), get the same error code and text, or leave the same rows. The expected answers are
 * what TDengine 3.3.7.5 says; without {@code TDENGINE_JDBC_URL} the real-server variants are reported as skipped.
 */
class TDengineAnswersSuiteTest {
    /** A whole minute an hour ago: inside the KEEP window. */
    private static final long T = System.currentTimeMillis() / 60_000 * 60_000 - 3_600_000;
    private static final String STABLE = "(ts TIMESTAMP, i8 TINYINT, u8 TINYINT UNSIGNED, i64 BIGINT, u64 BIGINT UNSIGNED,"
            + " f FLOAT, v DOUBLE, s VARCHAR(8), n NCHAR(4), b BOOL, vb VARBINARY(8)) TAGS (id INT, loc VARCHAR(16))";

    private TDenginePeer peer;
    private String db;
    private Connection connection;

    @AfterEach
    void close() throws SQLException {
        if (connection != null) {
            connection.close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    /** Opens the peer, creates a database of the precision with the super table {@code st}, and connects. */
    private void open(Server server, String precision) throws SQLException {
        peer = server.open();
        db = peer.database("answers");
        peer.createDatabase(db, precision);
        connection = DriverManager.getConnection(peer.url(""), peer.user(), peer.password());
        execute("CREATE STABLE `" + db + "`.`st` " + STABLE);
    }

    private void execute(String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql.replace("{db}", db).replace("{T}", Long.toString(T)));
        }
    }

    private int update(String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            return st.executeUpdate(sql.replace("{db}", db).replace("{T}", Long.toString(T)));
        }
    }

    /**
     * Runs a statement that must fail and returns TDengine's answer as the sink reads it: the code's low 16 bits and
     * the server's text (the REST driver wraps it as {@code sql: ..., desc: text}, the native one as
     * {@code TDengine ERROR (0x8000....): text}).
     */
    private String error(String sql) {
        try {
            execute(sql);
            return "no error";
        } catch (SQLException e) {
            String message = e.getMessage();
            int desc = message.lastIndexOf("desc: ");
            String text = desc >= 0 ? message.substring(desc + 6) : message.substring(message.indexOf("): ") + 3);
            return String.format("0x%04X: %s", e.getErrorCode() & 0xffff, text);
        }
    }

    static Stream<Server> peers() {
        return Server.all();
    }

    private static Stream<Arguments> onBothPeers(Object[][] cases) {
        return peers().flatMap(k -> Stream.of(cases).map(c -> {
            Object[] arguments = new Object[c.length + 1];
            arguments[0] = k;
            System.arraycopy(c, 0, arguments, 1, c.length);
            return Arguments.of(arguments);
        }));
    }

    static Stream<Arguments> badValues() {
        return onBothPeers(new Object[][] {
            {"(ts, i8) VALUES ({T}, 300)", "0x0216: syntax error near '300)' (tinyint data overflow)"},
            {"(ts, i8, s) VALUES ({T}, -129, 'ABC') (" + (T + 1) + ", 1, 'x')",
                "0x0216: syntax error near '-129, 'ABC') (" + (T + 1) + ", 1, 'x')' (tinyint data overflow)"},
            {"(ts, u8) VALUES ({T}, -1)", "0x0216: syntax error near '-1)' (invalid unsigned tinyint data)"},
            {"(ts, u8) VALUES ({T}, 256)", "0x0216: syntax error near '256)' (unsigned tinyint data overflow)"},
            {"(ts, i64) VALUES ({T}, 9223372036854775808)",
                "0x0216: syntax error near '9223372036854775808)' (invalid bigint data)"},
            {"(ts, u64) VALUES ({T}, 18446744073709551616)",
                "0x0216: syntax error near '18446744073709551616)' (invalid unsigned bigint data)"},
            // Java's Float.toString(Float.MAX_VALUE) is a little above FLT_MAX once read as a double
            {"(ts, f) VALUES ({T}, 3.4028235E38)", "0x0216: syntax error near '3.4028235e38)' (illegal float data)"},
            {"(ts, v) VALUES ({T}, 1e309)", "0x0216: syntax error near '1e309)' (illegal float data)"},
            {"(ts, v) VALUES ({T}, NaN)", "0x0216: syntax error near 'nan)' (invalid data or symbol)"},
            {"(ts, b) VALUES ({T}, 'Yes')", "0x0216: syntax error near 'Yes' (invalid bool data)"},
            {"(ts, i8) VALUES (NULL, 1)",
                "0x0216: syntax error near 'null, 1)' (Primary timestamp column should not be null)"},
            {"(ts, s) VALUES ({T}, '温度计')", "0x2653: Value too long for column/tag: s"},
            {"(ts, n) VALUES ({T}, '12345')", "0x2653: Value too long for column/tag: n"},
            {"(ts, vb) VALUES ({T}, 'abcdefghi')", "0x2653: Value too long for column/tag: vb"},
            {"(ts, vb) VALUES ({T}, '\\x616263646566676869')", "0x2653: Value too long for column/tag: vb"},
            {"(ts) VALUES (1000)", "0x060B: Timestamp data out of range"},
            {"(ts, nosuch) VALUES ({T}, 1)", "0x2602: Invalid column name: nosuch"},
            {"(ts, `I8`) VALUES ({T}, 1)", "0x2602: Invalid column name: I8"},
        });
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badValues")
    void insert_badValue_failsWithTheServersCodeAndText_nothingWritten(Server server, String values, String answer)
            throws SQLException {
        open(server, "ms");
        assertThat(error("INSERT INTO `{db}`.`d1` USING `{db}`.`st` TAGS (1, 'a') " + values)).isEqualTo(answer);
        assertThat(peer.rowCount(db, "st")).isZero();
    }

    static Stream<Arguments> badStatements() {
        return onBothPeers(new Object[][] {
            {"INSERT INTO `{db}`.`d1` USING `{db}`.`st` TAGS (1, '01234567890123456') VALUES ({T}, 1, 1, 1, 1, 1, 1, "
                    + "'a', 'b', true, 'c')", "0x2653: Value too long for column/tag: loc"},
            {"INSERT INTO `{db}`.`d.1` USING `{db}`.`st` TAGS (1, 'a') (ts) VALUES ({T})",
                "0x2617: The table name cannot contain '.'"},
            {"INSERT INTO `{db}`.`d1` USING `{db}`.`st` (`ID`) TAGS (1) (ts) VALUES ({T})",
                "0x2602: Invalid column name: ID"},
            {"INSERT INTO `{db}`.`d1` USING `{db}`.`nosuch` TAGS (1) (ts) VALUES ({T})",
                "0x2603: Table does not exist"},
            {"INSERT INTO `{db}_missing`.`d1` USING `{db}`.`st` TAGS (1, 'a') (ts) VALUES ({T})",
                "0x0388: Database not exist"},
            {"DESCRIBE `{db}`.`nosuch`", "0x2603: Table does not exist"},
            {"SELECT COUNT(*) FROM `{db}`.`nosuch`", "0x2603: Table does not exist"},
            {"SELECT COUNT(*) FROM `{db}_missing`.`st`", "0x0388: Database not exist"},
            {"CREATE STABLE `{db}`.`big` (ts TIMESTAMP, x BIGINT, s VARCHAR(65517)) TAGS (id INT)",
                "0x263E: Row length exceeds max length 65531"},
            {"CREATE STABLE `{db}`.`big` (ts TIMESTAMP, s VARCHAR(65518)) TAGS (id INT)",
                "0x2642: Invalid column length for var length type"},
            {"CREATE STABLE `{db}`.`big` (ts TIMESTAMP, n NCHAR(16380)) TAGS (id INT)",
                "0x2642: Invalid column length for var length type"},
            {"CREATE STABLE `{db}`.`big` (ts TIMESTAMP, x INT) TAGS (t NCHAR(4096))",
                "0x2642: Invalid column length for var length type"},
            {"CREATE STABLE `{db}`.`big` (ts TIMESTAMP, x INT) TAGS (a VARCHAR(16000), b VARCHAR(400))",
                "0x263D: Tags length exceeds max length 16384"},
            {"CREATE STABLE `{db}`.`bad` (x INT, ts TIMESTAMP) TAGS (id INT)",
                "0x2641: First column must be timestamp"},
            {"CREATE STABLE `{db}`.`bad` (ts TIMESTAMP, j JSON) TAGS (id INT)", "0x2652: Only tag can be json type"},
            {"CREATE STABLE `{db}`.`bad` (ts TIMESTAMP, x INT) TAGS (j JSON, k INT)",
                "0x2633: Only one tag if there is a json tag"},
            {"CREATE STABLE `{db}`.`bad` (ts TIMESTAMP, x INT) TAGS (x INT)", "0x263C: Duplicated column names"},
            {"ALTER STABLE `{db}`.`st` ADD COLUMN i8 INT", "0x036B: Column already exists"},
            {"ALTER STABLE `{db}`.`st` ADD TAG id INT", "0x0369: Tag already exists"},
            {"ALTER STABLE `{db}`.`st` ADD TAG i8 INT", "0x036B: Column already exists"},
            {"CREATE DATABASE `{db}_p` PRECISION 'xs'", "0x2619: Invalid option precision: xs"},
            {"DELETE FROM `{db}`.`nosuch` WHERE ts >= {T}", "0x2603: Table does not exist"},
            {"DROP STABLE `{db}`.`nosuch`", "0x0362: STable not exist"},
            {"SELECT TAGS tbname FROM `{db}`.`nosuch`", "0x2603: Table does not exist"},
        });
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badStatements")
    void statement_refusedByTheServer_failsWithTheServersCodeAndText(Server server, String sql, String answer)
            throws SQLException {
        open(server, "ms");
        assertThat(error(sql)).isEqualTo(answer);
        assertThat(peer.rowCount(db, "st")).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void insert_oneBadValueInAMultiTableStatement_nothingWritten(Server server) throws SQLException {
        open(server, "ms");
        assertThat(error("INSERT INTO `{db}`.`d1` USING `{db}`.`st` TAGS (1, 'a') (ts, i8) VALUES ({T}, 1) "
                + "`{db}`.`d2` USING `{db}`.`st` TAGS (2, 'b') (ts, i8) VALUES ({T}, 300)"))
                .isEqualTo("0x0216: syntax error near '300)' (tinyint data overflow)");
        assertThat(peer.rowCount(db, "st")).isZero();
        assertThat(peer.tableNames(db)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void insert_sameTimestampTwiceInOneStatement_oneRowMerged_laterNonNullWins_oneAffected(Server server)
            throws SQLException {
        open(server, "ms");
        assertThat(update("INSERT INTO `{db}`.`d1` USING `{db}`.`st` TAGS (1, 'a') (ts, i8, v, s) VALUES ({T}, 1, 1.5,"
                + " 'first') ({T}, 2, NULL, NULL) `{db}`.`d1` USING `{db}`.`st` TAGS (1, 'a') (ts, s) VALUES ({T}, "
                + "'third')")).isEqualTo(1);
        assertThat(peer.rows(db, "d1")).containsOnlyKeys(T);
        assertThat(peer.rows(db, "d1").get(T)).containsEntry("i8", 2L).containsEntry("v", 1.5)
                .containsEntry("s", "third").containsEntry("b", null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void insert_sameTimestampInALaterStatement_listedColumnsReplacedNullIncluded_othersKept(Server server)
            throws SQLException {
        open(server, "ms");
        update("INSERT INTO `{db}`.`d1` USING `{db}`.`st` TAGS (1, 'a') (ts, i8, v, s) VALUES ({T}, 1, 1.5, 'first')");
        assertThat(update("INSERT INTO `{db}`.`d1` USING `{db}`.`st` TAGS (55, 'changed') (ts, i8, v) VALUES ({T}, "
                + "NULL, 9.5)")).isEqualTo(1);
        assertThat(peer.rows(db, "d1").get(T)).containsEntry("i8", null).containsEntry("v", 9.5)
                .containsEntry("s", "first");
        assertThat(peer.rowCount(db, "st")).isEqualTo(1);
        assertThat(peer.tags(db, "d1")).isEqualTo(Map.of("id", 1L, "loc", "a"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void insert_literalsTheServerAccepts_storedAsTheServerStoresThem(Server server) throws SQLException {
        open(server, "ms");
        update("INSERT INTO `{db}`.`d1` USING `{db}`.`st` TAGS (1, '温度计abc') (ts, b, i8, s, vb, f, n, u64) VALUES "
                + "({T}, 2, '5', 5, 'abc', 1e-50, '😀😀😀😀', 18446744073709551615) "
                + "(" + (T + 1) + ", 'TRUE', -128, 'x', '\\x00ff', 0.1, '温度计', 0) "
                + "(" + (T + 2) + ", 0.5, 127, '\\\\', NULL, -3.4028234e38, NULL, NULL)");
        Map<Long, Map<String, Object>> rows = peer.rows(db, "d1");
        assertThat(rows.get(T)).containsEntry("b", true).containsEntry("i8", 5L).containsEntry("s", "5")
                .containsEntry("f", 0.0).containsEntry("n", "😀😀😀😀")
                .containsEntry("u64", new BigInteger("18446744073709551615"));
        assertThat((byte[]) rows.get(T).get("vb")).containsExactly('a', 'b', 'c');
        assertThat(rows.get(T + 1)).containsEntry("b", true).containsEntry("i8", -128L).containsEntry("f",
                (double) 0.1f).containsEntry("u64", BigInteger.ZERO);
        assertThat((byte[]) rows.get(T + 1).get("vb")).containsExactly(0x00, 0xff);
        assertThat(rows.get(T + 2)).containsEntry("b", true).containsEntry("s", "\\")
                .containsEntry("f", (double) -3.4028234e38f).containsEntry("vb", null);
        assertThat(peer.tags(db, "d1")).containsEntry("loc", "温度计abc");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void insert_timestampsInAMicrosecondDatabase_storedInMicroseconds_millisecondNumbersOutOfRange(Server server)
            throws SQLException {
        open(server, "us");
        String local = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
                .format(java.time.Instant.ofEpochMilli(T).atOffset(java.time.ZoneOffset.ofHours(8)));
        update("INSERT INTO `{db}`.`d1` USING `{db}`.`st` TAGS (1, 'a') (ts) VALUES (" + T * 1000 + ") ('" + local
                + ".123456+08:00')");
        assertThat(peer.rows(db, "d1").keySet()).containsExactly(T * 1000, T * 1000 + 123_456);
        assertThat(error("INSERT INTO `{db}`.`d1` USING `{db}`.`st` TAGS (1, 'a') (ts) VALUES ({T})"))
                .isEqualTo("0x060B: Timestamp data out of range");
        assertThat(peer.precision(db)).contains("us");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void createIfNotExists_onExistingObjects_succeedsAndChangesNothing(Server server) throws SQLException {
        open(server, "ms");
        execute("CREATE STABLE IF NOT EXISTS `{db}`.`st` (ts TIMESTAMP, other INT) TAGS (x INT)");
        execute("CREATE DATABASE IF NOT EXISTS `{db}` PRECISION 'ns'");
        assertThat(peer.describe(db, "st", true)).containsExactly(new TDengineRestServer.Col("id", "INT", 4),
                new TDengineRestServer.Col("loc", "VARCHAR", 16));
        assertThat(peer.precision(db)).contains("ms");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void describe_superTable_everyLineAsTheServerPrintsIt(Server server) throws SQLException {
        open(server, "ms");
        execute("ALTER STABLE `{db}`.`st` ADD COLUMN `Mixed` SMALLINT UNSIGNED");
        List<String> lines = new ArrayList<>();
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("DESCRIBE `" + db + "`.`st`")) {
            ResultSetMetaData md = rs.getMetaData();
            assertThat(md.getColumnCount()).isEqualTo(7);
            assertThat(md.getColumnLabel(1)).isEqualTo("field");
            assertThat(md.getColumnLabel(4)).isEqualTo("note");
            while (rs.next()) {
                lines.add(String.join("|", rs.getString(1), rs.getString(2), Integer.toString(rs.getInt(3)),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)));
            }
        }
        assertThat(lines).containsExactly(
                "ts|TIMESTAMP|8||delta-i|lz4|medium",
                "i8|TINYINT|1||simple8b|zlib|medium",
                "u8|TINYINT UNSIGNED|1||simple8b|zlib|medium",
                "i64|BIGINT|8||simple8b|lz4|medium",
                "u64|BIGINT UNSIGNED|8||simple8b|lz4|medium",
                "f|FLOAT|4||delta-d|lz4|medium",
                "v|DOUBLE|8||delta-d|lz4|medium",
                "s|VARCHAR|8||disabled|zstd|medium",
                "n|NCHAR|4||disabled|zstd|medium",
                "b|BOOL|1||bit-packing|zstd|medium",
                "vb|VARBINARY|8||disabled|zstd|medium",
                "Mixed|SMALLINT UNSIGNED|2||simple8b|zlib|medium",
                "id|INT|4|TAG|disabled|disabled|disabled",
                "loc|VARCHAR|16|TAG|disabled|disabled|disabled");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void selectStar_fromTheSuperTable_listsTagsAfterColumns_fromASubTableOnlyColumns(Server server) throws SQLException {
        open(server, "ms");
        update("INSERT INTO `{db}`.`d1` USING `{db}`.`st` TAGS (1, 'a') (ts, i8) VALUES ({T}, 1)");
        assertThat(labels("SELECT * FROM `" + db + "`.`st`")).containsExactly("ts", "i8", "u8", "i64", "u64", "f", "v",
                "s", "n", "b", "vb", "id", "loc");
        assertThat(labels("SELECT * FROM `" + db + "`.`d1`")).containsExactly("ts", "i8", "u8", "i64", "u64", "f", "v",
                "s", "n", "b", "vb");
    }

    static Stream<Arguments> deletesTheServerRefuses() {
        return onBothPeers(new Object[][] {
            // two ranges in one statement are refused; the dead-letter replay deletes one range per statement
            // (two equal ranges are one: a real 3.3.7.5 takes those, as it takes "ts >= a OR ts <= b", deleting all)
            {"DELETE FROM `{db}`.`d1` WHERE (ts >= {T} AND ts <= {T}) OR (ts >= " + (T + 5) + " AND ts <= " + (T + 5)
                    + ")"},
            {"DELETE FROM `{db}`.`d1` WHERE ts IN ({T})"},
        });
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("deletesTheServerRefuses")
    void delete_moreThanOneTimeRange_refusedWith2655_nothingDeleted(Server server, String sql) throws SQLException {
        open(server, "ms");
        update("INSERT INTO `{db}`.`d1` USING `{db}`.`st` TAGS (1, 'a') (ts) VALUES ({T})");
        assertThat(error(sql)).isEqualTo("0x2655: The DELETE statement must only have a definite time window range");
        assertThat(peer.rowCount(db, "st")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void deleteAndTheDeadLetterQueries_answerAsTheServerDoes(Server server) throws SQLException {
        open(server, "ms");
        update("INSERT INTO `{db}`.`d1` USING `{db}`.`st` TAGS (1, 'a') (ts, vb) VALUES ({T}, '\\x') (" + (T + 1)
                + ", NULL) (" + (T + 2) + ", '\\x00') (" + (T + 3) + ", '\\x27') `{db}`.`d2` USING `{db}`.`st` TAGS "
                + "(2, 'a') (ts) VALUES ({T})");
        update("INSERT INTO `{db}`.`d3` USING `{db}`.`st` TAGS (3, 'b') (ts) VALUES ({T})");
        assertThat(update("DELETE FROM `{db}`.`d1` WHERE `ts` >= " + (T + 1) + " AND `ts` <= " + (T + 2)))
                .isEqualTo(2);
        assertThat(update("DELETE FROM `{db}`.`d2` WHERE `ts` >= {T} AND `ts` <= {T}")).isEqualTo(1);
        assertThat(peer.rows(db, "d1").keySet()).containsExactly(T, T + 3);
        // '\x' is an empty value, not NULL
        assertThat((byte[]) peer.rows(db, "d1").get(T).get("vb")).isEmpty();
        // sub-tables whose rows were all deleted are not listed; the tags filter; the last row per sub-table
        assertThat(strings("SELECT tbname, CAST(LAST(`ts`) AS BIGINT) FROM `{db}`.`st` WHERE `ts` >= {T} AND `loc` = 'a' "
                + "PARTITION BY tbname")).containsExactly("d1 " + (T + 3));
        assertThat(strings("SELECT tbname, CAST(LAST(`ts`) AS BIGINT) FROM `{db}`.`st` WHERE `ts` >= " + (T + 4)
                + " PARTITION BY tbname")).isEmpty();
        // SELECT TAGS lists every sub-table, with rows or without
        assertThat(strings("SELECT TAGS tbname FROM `{db}`.`st` WHERE `loc` = 'a'")).containsExactlyInAnyOrder("d1",
                "d2");
        assertThat(strings("SELECT CAST(`ts` AS BIGINT), `vb` FROM `{db}`.`d1` WHERE `ts` >= " + (T + 1)
                + " ORDER BY `ts` LIMIT 5")).containsExactly((T + 3) + " " + (server == Server.REST
                        || server == Server.TEST_SERVER ? "\"27\"" : "'"));
        // KEEP applies to the primary key only: an old value in another TIMESTAMP column is taken
        execute("CREATE STABLE `{db}`.`st2` (ts TIMESTAMP, t2 TIMESTAMP) TAGS (id INT)");
        update("INSERT INTO `{db}`.`e1` USING `{db}`.`st2` TAGS (1) (ts, t2) VALUES ({T}, 1000)");
        assertThat(peer.rows(db, "e1").get(T)).containsEntry("t2", 1000L);
    }

    /** Each row's values as strings, joined by a space. */
    private List<String> strings(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(sql.replace("{db}", db).replace("{T}", Long.toString(T)))) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    values.add(rs.getString(i));
                }
                rows.add(String.join(" ", values));
            }
        }
        return rows;
    }

    private List<String> labels(String sql) throws SQLException {
        List<String> labels = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                labels.add(md.getColumnLabel(i));
            }
            assertThat(rs.next()).isTrue();
        }
        return labels;
    }
}
