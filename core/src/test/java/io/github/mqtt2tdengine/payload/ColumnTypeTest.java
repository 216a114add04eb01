package io.github.mqtt2tdengine.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ColumnTypeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "int                | INT",
        "INTEGER            | INT",
        "int unsigned       | INT UNSIGNED",
        " bigint  unsigned  | BIGINT UNSIGNED",
        "bool               | BOOL",
        "boolean            | BOOL",
        "VARCHAR(32)        | VARCHAR(32)",
        "binary(16)         | VARCHAR(16)",
        "varchar            | VARCHAR(64)",
        "nchar( 8 )         | NCHAR(8)",
        "VARBINARY(10)      | VARBINARY(10)",
        "json               | JSON",
        "timestamp          | TIMESTAMP",
        "tinyint unsigned   | TINYINT UNSIGNED",
        "float              | FLOAT",
        "double             | DOUBLE",
    })
    void parse_acceptsTdengineSpellings(String text, String sql) {
        assertThat(ColumnType.parse(text).sql()).isEqualTo(sql);
    }

    @Test
    void parse_rejectsUnknownTypesAndBadLengths() {
        assertThatThrownBy(() -> ColumnType.parse("decimal(10)")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown column type 'decimal(10)'; known: TIMESTAMP, BOOL,");
        assertThatThrownBy(() -> ColumnType.parse("INT(4)")).hasMessage("type INT takes no length, but was 'INT(4)'");
        assertThatThrownBy(() -> ColumnType.parse("VARCHAR(0)"))
                .hasMessage("VARCHAR length must be between 1 and 65517, but was 0");
        assertThatThrownBy(() -> ColumnType.nchar(16_383))
                .hasMessage("NCHAR length must be between 1 and 16382, but was 16383");
    }

    @Test
    void valueTypes_andEquality() {
        assertThat(ColumnType.binary(8)).isEqualTo(ColumnType.varchar(8)).hasSameHashCodeAs(ColumnType.varchar(8));
        assertThat(ColumnType.varchar(8)).isNotEqualTo(ColumnType.nchar(8));
        assertThat(ColumnType.INT.accepts(1L)).isTrue();
        assertThat(ColumnType.INT.accepts(1)).isFalse();
        assertThat(ColumnType.VARBINARY.accepts(new byte[0])).isTrue();
        assertThat(ColumnType.Kind.BIGINT_UNSIGNED.isUnsigned()).isTrue();
        assertThat(ColumnType.Kind.FLOAT.isInteger()).isFalse();
        assertThat(ColumnType.TINYINT_UNSIGNED.toString()).isEqualTo("TINYINT UNSIGNED");
    }
}
