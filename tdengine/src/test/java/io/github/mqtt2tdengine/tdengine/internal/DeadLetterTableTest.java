package io.github.mqtt2tdengine.tdengine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mqtt2tdengine.payload.TimePrecision;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dead-letter table's SQL and values, without a server. */
class DeadLetterTableTest {
    private final DeadLetterTable table = new DeadLetterTable("power", "mqtt2td_dead_letters");

    private static DeadLetterTable.Part part(String subTable, long ts, byte[] payload, String topic) {
        return new DeadLetterTable.Part(subTable, "plant 'a'", "NO_ROUTE", "0123456789abcdef", ts, 5, topic, 1, null,
                payload, 0, payload.length, payload.length, 0, 1, false);
    }

    @Test
    void inserts_oneStatementWhileItFits_oneClausePerSubTable_payloadAsHex_textEscaped() throws SQLException {
        List<String> sql = new ArrayList<>();
        table.inserts(List.of(part("dl_a", 10, new byte[] {0, '\'', (byte) 0xff}, "it's\\"),
                part("dl_a", 11, new byte[0], "t"), part("dl_b", 12, new byte[] {1}, "u")), false, 1_000_000,
                sql::add);
        assertThat(sql).containsExactly("INSERT INTO `dl_a` USING `mqtt2td_dead_letters` (`pipeline`,`reason`,"
                + "`instance`) TAGS ('plant \\'a\\'','NO_ROUTE','0123456789abcdef') (`ts`,`received_at`,`mqtt_topic`,"
                + "`qos`,`detail`,`payload`,`payload_length`,`part`,`parts`,`truncated`) VALUES (10,5,'it\\'s\\\\',1,"
                + "NULL,'\\x0027ff',3,0,1,false)(11,5,'t',1,NULL,'\\x',0,0,1,false) `dl_b` USING "
                + "`mqtt2td_dead_letters` (`pipeline`,`reason`,`instance`) TAGS ('plant \\'a\\'','NO_ROUTE',"
                + "'0123456789abcdef') (`ts`,`received_at`,`mqtt_topic`,`qos`,`detail`,`payload`,`payload_length`,"
                + "`part`,`parts`,`truncated`) VALUES (12,5,'u',1,NULL,'\\x01',1,0,1,false)");
    }

    @Test
    void inserts_overTheLimit_splitIntoStatements_eachUnderIt_qualifiedNames() throws SQLException {
        List<String> sql = new ArrayList<>();
        List<DeadLetterTable.Part> parts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            parts.add(part("dl_a", i, new byte[1_000], "t"));
        }
        // a row is about 2,050 bytes, the clause header 330: two rows a statement
        table.inserts(parts, true, 5_000, sql::add);
        assertThat(sql).hasSize(5).allMatch(s -> s.getBytes(StandardCharsets.UTF_8).length <= 5_000)
                .allMatch(s -> s.startsWith("INSERT INTO `power`.`dl_a` USING `power`.`mqtt2td_dead_letters` "));
        assertThat(String.join("", sql).split(",false\\)", -1)).hasSize(10 + 1);
    }

    @Test
    void clean_nulReplaced_cutAtACharacterBoundary() {
        assertThat(DeadLetterTable.clean("a\0b", 10)).isEqualTo("a\uFFFDb");
        assertThat(DeadLetterTable.clean("温度计", 8)).isEqualTo("温度");
        assertThat(DeadLetterTable.clean("ab😀", 5)).isEqualTo("ab");
        assertThat(DeadLetterTable.clean("ab😀", 6)).isEqualTo("ab😀");
    }

    @Test
    void units_roundTripInEachPrecision_roundedDown() {
        Instant at = Instant.parse("2026-12-08T10:00:00.123456789Z");
        assertThat(DeadLetterTable.fromUnits(DeadLetterTable.toUnits(at, TimePrecision.MILLISECONDS),
                TimePrecision.MILLISECONDS)).isEqualTo(Instant.parse("2026-12-08T10:00:00.123Z"));
        assertThat(DeadLetterTable.fromUnits(DeadLetterTable.toUnits(at, TimePrecision.MICROSECONDS),
                TimePrecision.MICROSECONDS)).isEqualTo(Instant.parse("2026-12-08T10:00:00.123456Z"));
        assertThat(DeadLetterTable.fromUnits(DeadLetterTable.toUnits(at, TimePrecision.NANOSECONDS),
                TimePrecision.NANOSECONDS)).isEqualTo(at);
    }

    @Test
    void restHex_quotedOrBare_decoded() {
        assertThat(DeadLetterTable.fromRestHex("\"00ff27\"".getBytes(StandardCharsets.US_ASCII)))
                .containsExactly(0x00, 0xff, 0x27);
        assertThat(DeadLetterTable.fromRestHex("\"\"".getBytes(StandardCharsets.US_ASCII))).isEmpty();
    }

    @Test
    void delete_oneTimeRange_listing_lastRowPerSubTable() {
        assertThat(table.delete("dl_a", 5, 9, false)).isEqualTo("DELETE FROM `dl_a` WHERE `ts` >= 5 AND `ts` <= 9");
        assertThat(table.listSubTables(0, "NO_ROUTE", "it's")).isEqualTo("SELECT tbname, CAST(LAST(`ts`) AS BIGINT) "
                + "FROM `power`.`mqtt2td_dead_letters` WHERE `ts` >= 0 AND `reason` = 'NO_ROUTE' AND `pipeline` = "
                + "'it\\'s' PARTITION BY tbname");
    }
}
