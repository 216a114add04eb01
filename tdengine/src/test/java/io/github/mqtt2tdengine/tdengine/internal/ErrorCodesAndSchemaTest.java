package io.github.mqtt2tdengine.tdengine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.spi.SchemaColumn;
import io.github.mqtt2tdengine.spi.TableSchema;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorCodesAndSchemaTest {

    @Test
    void classify_byLow16Bits_nativeAndRestCodesAlike() {
        assertThat(ErrorCodes.classify(new SQLException("x", "", 0x80000216))).isEqualTo(ErrorCodes.Kind.DATA);
        assertThat(ErrorCodes.classify(new SQLException("x", "", 0x216))).isEqualTo(ErrorCodes.Kind.DATA);
        assertThat(ErrorCodes.classify(new SQLException("x", "", 0x8000060B))).isEqualTo(ErrorCodes.Kind.DATA);
        assertThat(ErrorCodes.classify(new SQLException("x", "", 0x2653))).isEqualTo(ErrorCodes.Kind.DATA);
        assertThat(ErrorCodes.classify(new SQLException("x", "", 0x2617))).isEqualTo(ErrorCodes.Kind.DATA);
        assertThat(ErrorCodes.classify(new SQLException("x", "", 0x0357))).isEqualTo(ErrorCodes.Kind.FATAL);
        assertThat(ErrorCodes.classify(new SQLException("x", "", 0x0388))).isEqualTo(ErrorCodes.Kind.FATAL);
        assertThat(ErrorCodes.classify(new SQLException("x", "", 0x000B))).isEqualTo(ErrorCodes.Kind.RETRIABLE);
        assertThat(ErrorCodes.classify(new SQLTimeoutException("timeout", "", 0x0216)))
                .isEqualTo(ErrorCodes.Kind.RETRIABLE);
    }

    @Test
    void webSocketBinding_codeOnlyInTheMessage_classifiedAndDescribedByIt() {
        // taos-jdbcdriver 3.7.9's stmt2 over WebSocket: vendor code 0, the server's code in the text
        SQLException range = new SQLException("(0x60b):Timestamp data out of range");
        assertThat(ErrorCodes.code(range)).isEqualTo(0x060B);
        assertThat(ErrorCodes.classify(range)).isEqualTo(ErrorCodes.Kind.DATA);
        assertThat(ErrorCodes.describe(range)).isEqualTo("TDengine error 0x060B: Timestamp data out of range");
        SQLException gone = new SQLException("(0x388):Database not exist");
        assertThat(ErrorCodes.classify(gone)).isEqualTo(ErrorCodes.Kind.FATAL);
        assertThat(ErrorCodes.describe(gone)).isEqualTo("TDengine error 0x0388: Database not exist");
        assertThat(ErrorCodes.isTableMissing(new SQLException("(0x618):Table not exists"))).isTrue();
        assertThat(ErrorCodes.code(new SQLException("connection lost (0x2a)", "", 0x2354))).isEqualTo(0x2354);
    }

    @Test
    void restHttpError_codeAndTextFromTaosAdaptersBody() {
        // taosAdapter answers a request without credentials with HTTP 401; the REST driver wraps the body as 0x231F
        SQLException noAuth = new SQLException("{\"code\":4357,\"desc\":\"no auth info input\",\"timing\":11792}", "",
                0x231F);
        assertThat(ErrorCodes.code(noAuth)).isEqualTo(0x1105);
        assertThat(ErrorCodes.classify(noAuth)).isEqualTo(ErrorCodes.Kind.FATAL);
        assertThat(ErrorCodes.describe(noAuth)).isEqualTo("TDengine error 0x1105: no auth info input");
        SQLException io = new SQLException("Connect to 127.0.0.1:1 failed: Connection refused", "", 0x2318);
        assertThat(ErrorCodes.classify(io)).isEqualTo(ErrorCodes.Kind.RETRIABLE);
    }

    @Test
    void spuriousSuccess_onlyCodeZeroSayingSuccess_foundInTheCauseChain() {
        SQLException success = new SQLException("TDengine ERROR (0x0): sql: SELECT 1, desc: success, head meta is null.",
                "", 0);
        assertThat(ErrorCodes.spuriousSuccess(new RuntimeException("Pipeline 'p': ...", success))).isTrue();
        assertThat(ErrorCodes.spuriousSuccess(new SQLException("(0x388):Database not exist"))).isFalse();
        assertThat(ErrorCodes.spuriousSuccess(new SQLException("connection lost", "", 0))).isFalse();
        assertThat(ErrorCodes.spuriousSuccess(new RuntimeException("success"))).isFalse();
    }

    @Test
    void describe_dropsTheSqlText() {
        SQLException e = new SQLException("ERROR (0x2653): sql: INSERT INTO `db`.`d1` ... secret payload, desc: Value "
                + "too long for column/tag: s", "", 0x2653);
        assertThat(ErrorCodes.describe(e)).isEqualTo("TDengine error 0x2653: Value too long for column/tag: s");
    }

    @Test
    void describe_bindingMessage_dropsTheDriversPrefixAndTheBindingStep() {
        SQLException e = new SQLException("TDengine ERROR (0x8000060b): failed to execute batch bind, reason: "
                + "Timestamp data out of range", "", 0x8000060b);
        assertThat(ErrorCodes.describe(e)).isEqualTo("TDengine error 0x060B: Timestamp data out of range");
        assertThat(ErrorCodes.describe(new SQLException("TDengine ERROR (0x80000388): failed to bind table name and "
                + "corresponding tags, reason: Database not exist", "", 0x80000388)))
                .isEqualTo("TDengine error 0x0388: Database not exist");
    }

    @Test
    void describe_nativeMessage_dropsTheDriversPrefix() {
        SQLException e = new SQLException("TDengine ERROR (0x8000060b): Timestamp data out of range", "", 0x8000060b);
        assertThat(ErrorCodes.describe(e)).isEqualTo("TDengine error 0x060B: Timestamp data out of range");
    }

    @Test
    void classify_authenticationOrMissingDatabaseFoldedIntoADriverCode_isFatal() {
        // REST: HTTP 401 becomes the driver's 0x231F with the server's body; native: a failed connect is 0x2354
        assertThat(ErrorCodes.classify(new SQLException("ERROR (0x231f): {\"code\":855,\"desc\":\"Authentication "
                + "failure\"}", "", 0x231F))).isEqualTo(ErrorCodes.Kind.FATAL);
        assertThat(ErrorCodes.classify(new SQLException("TDengine ERROR (0x80002354): Database not exist", "",
                0x80002354))).isEqualTo(ErrorCodes.Kind.FATAL);
        assertThat(ErrorCodes.classify(new SQLException("TDengine ERROR (0x2354): Unable to establish connection",
                "", 0x2354))).isEqualTo(ErrorCodes.Kind.RETRIABLE);
    }

    @Test
    void schemaCheck_reportsTypeRoleLengthAndMissing() {
        TableSchema mapping = new TableSchema("st", List.of(new SchemaColumn("ts", ColumnType.TIMESTAMP),
                new SchemaColumn("v", ColumnType.FLOAT), new SchemaColumn("s", ColumnType.varchar(32)),
                new SchemaColumn("u", ColumnType.TINYINT_UNSIGNED), new SchemaColumn("new", ColumnType.INT)),
                List.of(new SchemaColumn("id", ColumnType.INT), new SchemaColumn("loc", ColumnType.varchar(8))));
        List<SchemaCheck.Described> described = List.of(
                new SchemaCheck.Described("ts", "TIMESTAMP", 8, false),
                new SchemaCheck.Described("v", "DOUBLE", 8, false),
                new SchemaCheck.Described("s", "VARCHAR", 16, false),
                new SchemaCheck.Described("u", "TINYINT UNSIGNED", 1, false),
                new SchemaCheck.Described("id", "INT", 4, false),
                new SchemaCheck.Described("loc", "BINARY", 16, true));
        SchemaCheck.Result r = SchemaCheck.compare(mapping, described);
        assertThat(r.mismatches()).containsExactly(
                "super table `st` column `v`: expected FLOAT, actual DOUBLE",
                "super table `st` column `s`: expected VARCHAR(32), actual VARCHAR(16) (too short)",
                "super table `st` tag `id`: the mapping writes it as a tag, but the table has it as a column");
        assertThat(r.missingColumns()).extracting(SchemaColumn::name).containsExactly("new");
        assertThat(r.missingTags()).isEmpty();
    }
}
