package io.github.mqtt2tdengine.internal.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.errors.PayloadException;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.NonFiniteNumberPolicy;
import io.github.mqtt2tdengine.payload.StringOverflowPolicy;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConversionsTest {
    private final Conversions strict = new Conversions(StringOverflowPolicy.REJECT, NonFiniteNumberPolicy.REJECT);
    private final Conversions lenient = new Conversions(StringOverflowPolicy.TRUNCATE, NonFiniteNumberPolicy.NULL);

    private static JsonNode json(String text) {
        return JsonPayloadParser.INSTANCE.parseTree(text.getBytes(StandardCharsets.UTF_8));
    }

    private Object convert(String json, ColumnType type) {
        return strict.convert(json(json), type, TimestampUnit.AUTO, TimePrecision.MILLISECONDS);
    }

    private PayloadException error(String json, ColumnType type) {
        try {
            convert(json, type);
        } catch (PayloadException e) {
            return e;
        }
        throw new AssertionError("expected an error for " + json + " as " + type);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "127                  | TINYINT           | 127",
        "-128                 | TINYINT           | -128",
        "\"42\"               | TINYINT           | 42",
        "3.0                  | INT               | 3",
        "\"1e3\"              | SMALLINT          | 1000",
        "2147483647           | INT               | 2147483647",
        "-9223372036854775808 | BIGINT            | -9223372036854775808",
        "255                  | TINYINT UNSIGNED  | 255",
        "65535                | SMALLINT UNSIGNED | 65535",
        "4294967295           | INT UNSIGNED      | 4294967295",
        "18446744073709551614 | BIGINT UNSIGNED   | -2",
    })
    void integers_inRange_convert(String json, String type, long expected) {
        assertThat(convert(json, ColumnType.parse(type))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "300                  | TINYINT           | value 300 is out of range for TINYINT [-128, 127]",
        "-129                 | TINYINT           | value -129 is out of range for TINYINT [-128, 127]",
        "32768                | SMALLINT          | value 32768 is out of range for SMALLINT [-32768, 32767]",
        "2147483648           | INT               | value 2147483648 is out of range for INT [-2147483648, 2147483647]",
        "9223372036854775808  | BIGINT            | value 9223372036854775808 is out of range for BIGINT [-9223372036854775808, 9223372036854775807]",
        "-1                   | TINYINT UNSIGNED  | value -1 is out of range for TINYINT UNSIGNED [0, 255]",
        "256                  | TINYINT UNSIGNED  | value 256 is out of range for TINYINT UNSIGNED [0, 255]",
        "-1                   | BIGINT UNSIGNED   | value -1 is out of range for BIGINT UNSIGNED [0, 18446744073709551615]",
        "18446744073709551616 | BIGINT UNSIGNED   | value 18446744073709551616 is out of range for BIGINT UNSIGNED [0, 18446744073709551615]",
        "\"300\"              | TINYINT           | value \"300\" is out of range for TINYINT [-128, 127]",
    })
    void integers_outOfRange_areErrorsNotWraps(String json, String type, String message) {
        PayloadException e = error(json, ColumnType.parse(type));
        assertThat(e.reason()).isEqualTo(DeadLetterReason.OUT_OF_RANGE);
        assertThat(e).hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "3.5      | INT     | value 3.5 cannot be converted to INT: it is not a whole number",
        "\"abc\"  | INT     | value \"abc\" cannot be converted to INT: it is not a number",
        "true     | BIGINT  | value true cannot be converted to BIGINT: it is a boolean, not a number",
        "{}       | INT     | value {} cannot be converted to INT: it is an object, not a number",
        "[1]      | DOUBLE  | value [1] cannot be converted to DOUBLE: it is an array, not a number",
        "\"1.5f\" | FLOAT   | value \"1.5f\" cannot be converted to FLOAT: it is not a number",
        "2        | BOOL    | value 2 cannot be converted to BOOL: it is not true, false, 1 or 0",
        "\"yes\"  | BOOL    | value \"yes\" cannot be converted to BOOL: it is not true, false, 1 or 0",
    })
    void wrongTypes_areTypeMismatches(String json, String type, String message) {
        PayloadException e = error(json, ColumnType.parse(type));
        assertThat(e.reason()).isEqualTo(DeadLetterReason.TYPE_MISMATCH);
        assertThat(e).hasMessage(message);
    }

    @Test
    void bool_acceptsBooleansOnesZerosAndStrings() {
        assertThat(convert("true", ColumnType.BOOL)).isEqualTo(true);
        assertThat(convert("0", ColumnType.BOOL)).isEqualTo(false);
        assertThat(convert("\"TRUE\"", ColumnType.BOOL)).isEqualTo(true);
        assertThat(convert("\"0\"", ColumnType.BOOL)).isEqualTo(false);
    }

    @Test
    void floating_rangeAndNonFinite() {
        assertThat(convert("1.5", ColumnType.FLOAT)).isEqualTo(1.5f);
        assertThat(convert("\"-2.5e3\"", ColumnType.DOUBLE)).isEqualTo(-2500.0);
        assertThat(convert("12", ColumnType.DOUBLE)).isEqualTo(12.0);
        PayloadException big = error("1e39", ColumnType.FLOAT);
        assertThat(big.reason()).isEqualTo(DeadLetterReason.OUT_OF_RANGE);
        assertThat(big).hasMessage("value 1.0E39 is out of range for FLOAT [-3.4028235E38, 3.4028235E38]");
        assertThat(error("1e400", ColumnType.DOUBLE).reason()).isEqualTo(DeadLetterReason.OUT_OF_RANGE);
        for (String special : new String[] {"\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"inf\""}) {
            PayloadException e = error(special, ColumnType.DOUBLE);
            assertThat(e.reason()).isEqualTo(DeadLetterReason.NON_FINITE_NUMBER);
            assertThat(e).hasMessage("value " + special + " is not a finite DOUBLE (TDengine cannot store NaN or "
                    + "Infinity; policy REJECT)");
            assertThat(lenient.convert(json(special), ColumnType.FLOAT, TimestampUnit.AUTO,
                    TimePrecision.MILLISECONDS)).isNull();
        }
        assertThat(error("NaN", ColumnType.DOUBLE)).as("bare NaN is not JSON").isNotNull();
    }

    @Test
    void strings_lengthCheckedInBytesForVarcharAndCharactersForNchar() {
        assertThat(convert("\"温度\"", ColumnType.varchar(6))).isEqualTo("温度");
        PayloadException e = error("\"温度计\"", ColumnType.varchar(6));
        assertThat(e.reason()).isEqualTo(DeadLetterReason.VALUE_TOO_LONG);
        assertThat(e).hasMessage("value of 9 bytes is longer than VARCHAR(6) (policy REJECT)");
        assertThat(convert("\"温度计\"", ColumnType.nchar(3))).isEqualTo("温度计");
        assertThat(error("\"温度计!\"", ColumnType.nchar(3)))
                .hasMessage("value of 4 characters is longer than NCHAR(3) (policy REJECT)");
        assertThat(lenient.convert(json("\"温度计\""), ColumnType.varchar(7), TimestampUnit.AUTO,
                TimePrecision.MILLISECONDS)).isEqualTo("温度");
        assertThat(lenient.convert(json("\"a😀b\""), ColumnType.nchar(2), TimestampUnit.AUTO,
                TimePrecision.MILLISECONDS)).isEqualTo("a😀");
        assertThat(lenient.convert(json("\"abcdef\""), ColumnType.varbinary(3), TimestampUnit.AUTO,
                TimePrecision.MILLISECONDS)).isEqualTo("abc".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void strings_fromNumbersBooleansAndObjects_keepTheirText() {
        assertThat(convert("12.50", ColumnType.VARCHAR)).isEqualTo("12.5");
        assertThat(convert("false", ColumnType.VARCHAR)).isEqualTo("false");
        assertThat(convert("{\"a\": [1, 2]}", ColumnType.VARCHAR)).isEqualTo("{\"a\":[1,2]}");
        assertThat(convert("\"'; DROP TABLE x; --\"", ColumnType.VARCHAR)).isEqualTo("'; DROP TABLE x; --");
    }

    @Test
    void json_tagLimitIs4095Bytes() {
        String big = "{\"a\":\"" + "x".repeat(4100) + "\"}";
        PayloadException e = error(big, ColumnType.JSON);
        assertThat(e.reason()).isEqualTo(DeadLetterReason.VALUE_TOO_LONG);
        assertThat(e).hasMessage("JSON value of 4108 bytes is longer than TDengine's JSON tag limit of 4095 bytes");
    }

    @Test
    void truncateUtf8_neverSplitsACharacter() {
        assertThat(Conversions.truncateUtf8("a😀", 4)).isEqualTo("a");
        assertThat(Conversions.truncateUtf8("a😀", 5)).isEqualTo("a😀");
        assertThat(Conversions.truncateUtf8("", 0)).isEmpty();
    }

    @Test
    void show_cutsLongValues() {
        assertThat(Conversions.show(json("\"" + "y".repeat(100) + "\"")))
                .isEqualTo("\"" + "y".repeat(63) + "...(102 chars)");
    }

    @Test
    void timestamp_columnUsesUnitAndPrecision() {
        assertThat(strict.convert(json("1764000000"), ColumnType.TIMESTAMP, TimestampUnit.SECONDS,
                TimePrecision.NANOSECONDS)).isEqualTo(1764000000000000000L);
        assertThatThrownBy(() -> strict.convert(json("true"), ColumnType.TIMESTAMP, TimestampUnit.AUTO,
                TimePrecision.MILLISECONDS)).isInstanceOf(PayloadException.class)
                .hasMessage("timestamp true is not valid: it is a boolean, not a number or an ISO-8601 string");
    }
}
