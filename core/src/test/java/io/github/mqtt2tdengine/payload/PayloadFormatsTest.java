package io.github.mqtt2tdengine.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.errors.PayloadException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PayloadFormatsTest {
    private static JsonNode parse(PayloadParser p, String payload) {
        return (JsonNode) p.parse("t", payload.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void regex_namedGroupsBecomeKeys_absentGroupsAreLeftOut() {
        PayloadParser p = PayloadFormats.regex("temp=(?<temp>[-0-9.]+);hum=(?<hum>[0-9.]+)(;st=(?<status>\\w+))?");
        assertThat(parse(p, "dev7 temp=-3.5;hum=40").toString()).isEqualTo("{\"temp\":\"-3.5\",\"hum\":\"40\"}");
        assertThat(parse(p, "temp=1;hum=2;st=ok").get("status").asText()).isEqualTo("ok");
        assertThatThrownBy(() -> parse(p, "temperature 21"))
                .isInstanceOf(PayloadException.class).hasMessage("payload 'temperature 21' does not match the pattern "
                        + "'temp=(?<temp>[-0-9.]+);hum=(?<hum>[0-9.]+)(;st=(?<status>\\w+))?'")
                .extracting(e -> ((PayloadException) e).reason()).isEqualTo(DeadLetterReason.INVALID_PAYLOAD);
        assertThatThrownBy(() -> PayloadFormats.regex("temp=([0-9]+)")).hasMessageContaining("has no named group");
        assertThatThrownBy(() -> PayloadFormats.regex("temp=(?<t>[0-9+")).hasMessageContaining("is not a regular "
                + "expression");
    }

    @Test
    void csv_rfc4180_quotesDelimitersLineBreaks_andTheColumnCount() {
        PayloadParser p = PayloadFormats.csv(',', List.of("id", "name", "temp"));
        assertThat(parse(p, "1,\"Hall, north\",21.5\r\n2,\"say \"\"hi\"\"\",22\n\n3,\"two\nlines\",23\n").toString())
                .isEqualTo("[{\"id\":\"1\",\"name\":\"Hall, north\",\"temp\":\"21.5\"},"
                        + "{\"id\":\"2\",\"name\":\"say \\\"hi\\\"\",\"temp\":\"22\"},"
                        + "{\"id\":\"3\",\"name\":\"two\\nlines\",\"temp\":\"23\"}]");
        assertThat(parse(p, "1,,").get(0).get("name").asText()).isEmpty();
        assertThatThrownBy(() -> parse(p, "1,a,2\n2,b")).isInstanceOf(PayloadException.class)
                .hasMessage("csv line 2 has 2 fields, but the columns are 3 [id, name, temp]: '2,b'");
        assertThatThrownBy(() -> parse(p, "1,\"open,2")).hasMessage("csv line 1: a quoted field is not closed");
        assertThatThrownBy(() -> parse(p, "1,\"a\"b,2")).hasMessageContaining("text after a closing quote");
        PayloadParser byPosition = PayloadFormats.csv(';', List.of());
        assertThat(parse(byPosition, "7;8;9").toString()).isEqualTo("[[\"7\",\"8\",\"9\"]]");
        assertThatThrownBy(() -> PayloadFormats.csv(',', List.of("a", "a"))).hasMessageContaining("unique");
    }

    @Test
    void csv_errorsNameThePhysicalLineOfTheRecord_andBlankLinesAreSkipped() {
        PayloadParser p = PayloadFormats.csv(',', List.of("id", "name"));
        // a quoted line break: record 3 starts on line 4
        assertThatThrownBy(() -> parse(p, "1,a\n2,\"x\ny\"\n3")).isInstanceOf(PayloadException.class)
                .hasMessage("csv line 4 has 1 field, but the columns are 2 [id, name]: '3'");
        assertThat(parse(p, "1,a\n   \n\n2,b\n").size()).isEqualTo(2);
        assertThatThrownBy(() -> parse(p, "1,a\n\n2,\"b\"c")).hasMessage("csv line 3: text after a closing quote "
                + "(a quote inside a quoted field is written \"\")");
        assertThatThrownBy(() -> parse(p, "1,a\n2,\"open\nmore\n")).hasMessage("csv line 2: a quoted field is not "
                + "closed");
        assertThat(parse(p, "").size()).isZero();
        assertThat(parse(p, "1,\"\"").get(0).get("name").asText()).isEmpty();
    }

    @Test
    void plain_andJsonLines() {
        assertThat(parse(PayloadFormats.plain("value"), " 23.5\n").toString()).isEqualTo("{\"value\":\"23.5\"}");
        assertThatThrownBy(() -> parse(PayloadFormats.plain("value"), "  ")).hasMessage("payload is empty");
        PayloadParser lines = PayloadFormats.jsonLines();
        assertThat(parse(lines, "{\"a\":1}\n\n{\"a\":2}\n").toString()).isEqualTo("[{\"a\":1},{\"a\":2}]");
        assertThat(parse(lines, "[{\"a\":1},{\"a\":2}]").size()).isEqualTo(2);
        assertThatThrownBy(() -> parse(lines, "{\"a\":1}\n{\"a\":")).isInstanceOf(PayloadException.class)
                .hasMessageStartingWith("line 2 is not valid JSON");
        assertThatThrownBy(() -> parse(lines, "{\"a\":1} {\"b\":2}")).hasMessageStartingWith("line 1 is not valid JSON");
    }
}
