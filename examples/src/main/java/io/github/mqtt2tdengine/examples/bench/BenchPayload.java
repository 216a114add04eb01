package io.github.mqtt2tdengine.examples.bench;

import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * The benchmark's load: a realistic IoT JSON payload of about 200 bytes (device id, timestamp, five numeric fields, a
 * status string, a nested site object) over a fleet of devices, and the payload spec that maps it.
 */
public final class BenchPayload {
    /** Base timestamp of the generated messages (ms). */
    public static final long BASE_TS = 1_764_000_000_000L;
    /** The topic prefix: messages go to {@code bench/<device>/telemetry}. */
    public static final String TOPIC_PREFIX = "bench/";

    private BenchPayload() {
    }

    /**
     * Builds message {@code n} of a fleet of {@code devices}.
     *
     * @param n the message number
     * @param devices the fleet size
     * @param random the value source
     * @return the JSON payload
     */
    public static byte[] payload(long n, int devices, Random random) {
        int device = (int) (n % devices);
        StringBuilder b = new StringBuilder(224);
        b.append("{\"id\":").append(device)
                .append(",\"ts\":").append(BASE_TS + n / devices * 1000 + device % 1000)
                .append(",\"current\":").append(10 + random.nextInt(1000) / 100.0)
                .append(",\"voltage\":").append(215 + random.nextInt(10))
                .append(",\"phase\":").append(random.nextInt(1000) / 1000.0)
                .append(",\"temperature\":").append(20 + random.nextInt(300) / 10.0)
                .append(",\"power\":").append(2000 + random.nextInt(100000) / 100.0)
                .append(",\"status\":\"").append(random.nextInt(50) == 0 ? "warn" : "ok")
                .append("\",\"site\":{\"location\":\"plant-a.hall-").append(device % 7)
                .append("\",\"floor\":").append(device % 4).append(",\"rack\":\"r-").append(device % 40)
                .append("\"}}");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Builds message {@code n} of the five-field load: about 165 bytes, of which five fields are mapped (device id as
     * tag, message timestamp as key, two doubles, a short string) and six are not (model, firmware, battery, rssi,
     * site, unit).
     *
     * @param n the message number
     * @param devices the fleet size
     * @param random the value source
     * @return the JSON payload
     */
    public static byte[] payloadFive(long n, int devices, Random random) {
        int device = (int) (n % devices);
        StringBuilder b = new StringBuilder(176);
        b.append("{\"id\":").append(device)
                .append(",\"ts\":").append(BASE_TS + n / devices * 1000 + device % 1000)
                .append(",\"temp\":").append(15 + random.nextInt(2000) / 100.0)
                .append(",\"hum\":").append(30 + random.nextInt(5000) / 100.0)
                .append(",\"status\":\"").append(random.nextInt(50) == 0 ? "warn" : "ok")
                .append("\",\"model\":\"th-sensor-").append(200 + device % 3)
                .append("\",\"fw\":\"2.4.").append(device % 9)
                .append("\",\"battery\":").append(3 + random.nextInt(100) / 100.0)
                .append(",\"rssi\":").append(-40 - random.nextInt(50))
                .append(",\"site\":\"plant-a.hall-").append(device % 7).append("\",\"unit\":\"C\"}");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Builds message {@code n} of a load.
     *
     * @param five the five-field load, else the ten-field one
     * @param n the message number
     * @param devices the fleet size
     * @param random the value source
     * @return the JSON payload
     */
    public static byte[] payload(boolean five, long n, int devices, Random random) {
        return five ? payloadFive(n, devices, random) : payload(n, devices, random);
    }

    /**
     * Returns the payload spec for the five-field load; super table {@code sensors}, sub-table {@code s{id}}.
     *
     * @return the spec
     */
    public static PayloadSpec specFive() {
        return PayloadSpec.json()
                .withoutReceiveTime()
                .timestamp("ts", "$.ts", TimestampUnit.MILLISECONDS)
                .tag("id", "$.id", ColumnType.INT)
                .column("temp", "$.temp", ColumnType.DOUBLE)
                .column("hum", "$.hum", ColumnType.DOUBLE)
                .column("status", "$.status", ColumnType.varchar(8))
                .superTable("sensors")
                .subTableTemplate("s{id}")
                .build();
    }

    /**
     * Returns the topic of device {@code device}.
     *
     * @param device the device number
     * @return the topic
     */
    public static String topic(int device) {
        return TOPIC_PREFIX + device + "/telemetry";
    }

    /**
     * Returns the payload spec for the benchmark's payload; super table {@code meters}, sub-table {@code d{id}}.
     *
     * @return the spec
     */
    public static PayloadSpec spec() {
        return PayloadSpec.json()
                .withoutReceiveTime()
                .timestamp("ts", "$.ts", TimestampUnit.MILLISECONDS)
                .tag("id", "$.id", ColumnType.INT)
                .column("current", "$.current", ColumnType.FLOAT)
                .column("voltage", "$.voltage", ColumnType.INT)
                .column("phase", "$.phase", ColumnType.FLOAT)
                .column("temperature", "$.temperature", ColumnType.FLOAT)
                .column("power", "$.power", ColumnType.DOUBLE)
                .column("status", "$.status", ColumnType.varchar(8))
                .tag("location", "$.site.location", ColumnType.varchar(32))
                .tag("floor", "$.site.floor", ColumnType.INT)
                .superTable("meters")
                .subTableTemplate("d{id}")
                .build();
    }
}
