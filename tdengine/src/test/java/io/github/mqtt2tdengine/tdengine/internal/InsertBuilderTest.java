package io.github.mqtt2tdengine.tdengine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.spi.Row;
import io.github.mqtt2tdengine.spi.SchemaColumn;
import io.github.mqtt2tdengine.spi.TableSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InsertBuilderTest {
    private static final TableSchema ALL = new TableSchema("st", List.of(
            new SchemaColumn("ts", ColumnType.TIMESTAMP), new SchemaColumn("b", ColumnType.BOOL),
            new SchemaColumn("i8", ColumnType.TINYINT), new SchemaColumn("i16", ColumnType.SMALLINT),
            new SchemaColumn("i32", ColumnType.INT), new SchemaColumn("i64", ColumnType.BIGINT),
            new SchemaColumn("u8", ColumnType.TINYINT_UNSIGNED), new SchemaColumn("u16", ColumnType.SMALLINT_UNSIGNED),
            new SchemaColumn("u32", ColumnType.INT_UNSIGNED), new SchemaColumn("u64", ColumnType.BIGINT_UNSIGNED),
            new SchemaColumn("f", ColumnType.FLOAT), new SchemaColumn("d", ColumnType.DOUBLE),
            new SchemaColumn("s", ColumnType.varchar(20)), new SchemaColumn("n", ColumnType.nchar(5)),
            new SchemaColumn("vb", ColumnType.varbinary(4))),
            List.of(new SchemaColumn("j", ColumnType.JSON)));

    private static int[] all(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    @Test
    void everyType_isWrittenAsItsLiteral() {
        Row row = Row.of(ALL, "d1", new Object[] {1764000000123L, true, -128L, 32767L, -5L, Long.MIN_VALUE, 255L,
            65535L, 4294967295L, -1L, 1.5f, -2.25e10, "O'B\\c", "温度", new byte[] {0x00, (byte) 0xff}},
                new Object[] {"{\"k\":\"it's\"}"});
        InsertBuilder.Result r = new InsertBuilder("power", 1_000_000).build(List.of(row), all(1));
        assertThat(r.rejected()).isEmpty();
        assertThat(r.statements()).singleElement().satisfies(s -> assertThat(s.sql()).isEqualTo(
                "INSERT INTO `power`.`d1` USING `power`.`st` (`j`) TAGS ('{\"k\":\"it\\'s\"}') "
                        + "(`ts`,`b`,`i8`,`i16`,`i32`,`i64`,`u8`,`u16`,`u32`,`u64`,`f`,`d`,`s`,`n`,`vb`) VALUES "
                        + "(1764000000123,true,-128,32767,-5,-9223372036854775808,255,65535,4294967295,"
                        + "18446744073709551615,1.5,-2.25E10,'O\\'B\\\\c','温度','\\x00ff')"));
    }

    @Test
    void nulls_andHostileStrings_neverLeaveTheirQuotes() {
        TableSchema schema = new TableSchema("st", List.of(new SchemaColumn("ts", ColumnType.TIMESTAMP),
                new SchemaColumn("s", ColumnType.varchar(100))), List.of(new SchemaColumn("t", ColumnType.VARCHAR)));
        List<String> hostile = List.of("'); DROP DATABASE power; --", "\\'", "`", "a\\", "\\\\'", "--", ";");
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < hostile.size(); i++) {
            rows.add(Row.of(schema, "d", new Object[] {(long) i, hostile.get(i)}, new Object[] {null}));
        }
        String sql = new InsertBuilder("db", 1_000_000).build(rows, all(rows.size())).statements().get(0).sql();
        assertThat(sql).isEqualTo("INSERT INTO `db`.`d` USING `db`.`st` (`t`) TAGS (NULL) (`ts`,`s`) VALUES "
                + "(0,'\\'); DROP DATABASE power; --')(1,'\\\\\\'')(2,'`')(3,'a\\\\')(4,'\\\\\\\\\\'')(5,'--')(6,';')");
    }

    @Test
    void rowsOfOneSubTable_areGroupedInOrder_andStatementsSplitUnderMaxBytes() {
        TableSchema schema = new TableSchema("st", List.of(new SchemaColumn("ts", ColumnType.TIMESTAMP),
                new SchemaColumn("v", ColumnType.INT)), List.of(new SchemaColumn("id", ColumnType.INT)));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            rows.add(Row.of(schema, "d" + (i % 3), new Object[] {1000L + i, (long) i}, new Object[] {(long) (i % 3)}));
        }
        InsertBuilder.Result r = new InsertBuilder("db", 1024).build(rows, all(300));
        assertThat(r.rejected()).isEmpty();
        assertThat(r.statements().size()).isGreaterThan(3);
        int total = 0;
        List<Integer> seen = new ArrayList<>();
        for (InsertBuilder.Statement s : r.statements()) {
            assertThat(s.sql().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);
            assertThat(s.sql()).startsWith("INSERT INTO `db`.`d");
            total += s.rows().length;
            for (int p : s.rows()) {
                seen.add(p);
            }
        }
        assertThat(total).isEqualTo(300);
        // per sub-table order is kept: positions of d0 rows increase
        List<Integer> d0 = seen.stream().filter(p -> p % 3 == 0).toList();
        assertThat(d0).isSorted().hasSize(100);
    }

    @Test
    void rowTooLongForAStatement_orWithNul_isRejectedNotSent() {
        TableSchema schema = new TableSchema("st", List.of(new SchemaColumn("ts", ColumnType.TIMESTAMP),
                new SchemaColumn("s", ColumnType.varchar(5000))), List.of(new SchemaColumn("id", ColumnType.INT)));
        List<Row> rows = List.of(
                Row.of(schema, "d", new Object[] {1L, "x".repeat(3000)}, new Object[] {1L}),
                Row.of(schema, "d", new Object[] {2L, "ok"}, new Object[] {1L}),
                Row.of(schema, "d", new Object[] {3L, "a\u0000b"}, new Object[] {1L}));
        InsertBuilder.Result r = new InsertBuilder("db", 2048).build(rows, all(3));
        assertThat(r.rejected()).extracting(InsertBuilder.Rejected::row).containsExactly(0, 2);
        assertThat(r.rejected().get(0).reason()).matches("row of \\d+ bytes of SQL exceeds the maximum statement "
                + "length of 2048 bytes");
        assertThat(r.rejected().get(1).reason()).isEqualTo("string value contains U+0000, which TDengine SQL cannot "
                + "carry");
        assertThat(r.statements()).singleElement().satisfies(s -> assertThat(s.rows()).containsExactly(1));
    }

    @Test
    void ddl_andIdentifiers() {
        TableSchema schema = new TableSchema("meters", List.of(new SchemaColumn("ts", ColumnType.TIMESTAMP),
                new SchemaColumn("温度", ColumnType.FLOAT)), List.of(new SchemaColumn("dev-id", ColumnType.nchar(8))));
        assertThat(Sql.createStable("power", schema)).isEqualTo("CREATE STABLE IF NOT EXISTS `power`.`meters` "
                + "(`ts` TIMESTAMP, `温度` FLOAT) TAGS (`dev-id` NCHAR(8))");
        assertThatThrownBy(() -> Sql.qualified("db", "a`b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("identifier 'a`b' contains a character TDengine does not accept in names at index 1");
    }
}
