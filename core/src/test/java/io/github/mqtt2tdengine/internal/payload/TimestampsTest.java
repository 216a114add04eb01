package io.github.mqtt2tdengine.internal.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.errors.PayloadException;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimestampsTest {
    private static final long T_MS = 1764000000123L; // 2025-11-24T16:00:00.123Z

    private static JsonNode json(String text) {
        return JsonPayloadParser.INSTANCE.parseTree(text.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1764000000             | SECONDS      | MILLISECONDS | 1764000000000",
        "1764000000.123         | SECONDS      | MILLISECONDS | 1764000000123",
        "\"1764000000.123456\"  | SECONDS      | MICROSECONDS | 1764000000123456",
        "1764000000123          | MILLISECONDS | MILLISECONDS | 1764000000123",
        "1764000000123          | MILLISECONDS | NANOSECONDS  | 1764000000123000000",
        "1764000000123456       | MICROSECONDS | MILLISECONDS | 1764000000123",
        "1764000000123456789    | NANOSECONDS  | MICROSECONDS | 1764000000123456",
        "1764000000             | AUTO         | MILLISECONDS | 1764000000000",
        "1764000000123          | AUTO         | MILLISECONDS | 1764000000123",
        "1764000000123456       | AUTO         | MILLISECONDS | 1764000000123",
        "1764000000123456789    | AUTO         | MILLISECONDS | 1764000000123",
        "\"1764000000123\"      | AUTO         | MICROSECONDS | 1764000000123000",
        "-1000                  | MILLISECONDS | MILLISECONDS | -1000",
        "-1                     | MICROSECONDS | MILLISECONDS | -1",
    })
    void numbers_convertToPrecision(String json, TimestampUnit unit, TimePrecision precision, long expected) {
        assertThat(Timestamps.toPrecision(json(json), unit, precision)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2025-11-24T16:00:00.123Z          | MILLISECONDS | 1764000000123",
        "2025-11-25T00:00:00.123+08:00     | MILLISECONDS | 1764000000123",
        "2025-11-24 16:00:00.123z          | MILLISECONDS | 1764000000123",
        "2025-11-24t16:00:00.123456789Z    | NANOSECONDS  | 1764000000123456789",
        "2025-11-24T16:00:00.123456789Z    | MICROSECONDS | 1764000000123456",
        "2025-11-24T11:00:00-05:00         | MILLISECONDS | 1764000000000",
    })
    void isoStrings_withOffset_convert(String text, TimePrecision precision, long expected) {
        assertThat(Timestamps.toPrecision(json("\"" + text + "\""), TimestampUnit.MILLISECONDS, precision))
                .isEqualTo(expected);
    }

    @Test
    void isoString_withoutOffset_isRejectedNamingTheFix() {
        assertThatThrownBy(() -> Timestamps.toPrecision(json("\"2025-11-24T16:00:00\""), TimestampUnit.AUTO,
                TimePrecision.MILLISECONDS)).isInstanceOf(PayloadException.class)
                .hasMessage("timestamp \"2025-11-24T16:00:00\" is not valid: it has no UTC offset (add Z or +hh:mm)");
    }

    @Test
    void overflow_inNanoseconds_isInvalidTimestamp() {
        PayloadException e = (PayloadException) org.assertj.core.api.Assertions.catchThrowable(
                () -> Timestamps.toPrecision(json("99999999999999"), TimestampUnit.SECONDS, TimePrecision.NANOSECONDS));
        assertThat(e.reason()).isEqualTo(DeadLetterReason.INVALID_TIMESTAMP);
        assertThat(e).hasMessage("timestamp 99999999999999 is not valid: in seconds it is out of range for precision "
                + "ns");
        assertThatThrownBy(() -> Timestamps.toPrecision(json("\"2300-01-01T00:00:00Z\""), TimestampUnit.AUTO,
                TimePrecision.NANOSECONDS)).hasMessage("timestamp 2300-01-01T00:00:00Z is out of range for precision "
                + "ns");
        assertThatThrownBy(() -> Timestamps.toPrecision(json("1e30"), TimestampUnit.AUTO,
                TimePrecision.MILLISECONDS)).hasMessage("timestamp 1.0E30 is not valid: in nanoseconds it is out of "
                + "range for precision ms");
    }

    @Test
    void fromInstant_eachPrecision() {
        Instant t = Instant.ofEpochMilli(T_MS).plusNanos(456_789);
        assertThat(Timestamps.fromInstant(t, TimePrecision.MILLISECONDS)).isEqualTo(T_MS);
        assertThat(Timestamps.fromInstant(t, TimePrecision.MICROSECONDS)).isEqualTo(T_MS * 1000 + 456);
        assertThat(Timestamps.fromInstant(t, TimePrecision.NANOSECONDS)).isEqualTo(T_MS * 1_000_000 + 456_789);
    }

    @Test
    void detect_byMagnitude() {
        assertThat(Timestamps.detect(1.7e9)).isEqualTo(TimestampUnit.SECONDS);
        assertThat(Timestamps.detect(1.7e12)).isEqualTo(TimestampUnit.MILLISECONDS);
        assertThat(Timestamps.detect(1.7e15)).isEqualTo(TimestampUnit.MICROSECONDS);
        assertThat(Timestamps.detect(1.7e18)).isEqualTo(TimestampUnit.NANOSECONDS);
    }
}
