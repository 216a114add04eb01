package io.github.mqtt2tdengine.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.mqtt2tdengine.Preview;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.errors.PayloadException;
import io.github.mqtt2tdengine.spi.FakeSink;
import io.github.mqtt2tdengine.spi.FakeTransport;
import io.github.mqtt2tdengine.spi.Row;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every row of the seed's "MQTT Payload Parser" table and what comes next, through {@code preview}. */
class PayloadMappingTest {

    private static SyncPipeline pipeline(PayloadSpec spec) {
        return SyncPipeline.builder().name("p").source(new FakeTransport()).sink(new FakeSink()).payload(spec)
                .superTable("meters").subTableTemplate("d{id}").build();
    }

    private static Row one(PayloadSpec spec, String topic, String json) {
        Preview p = pipeline(spec).preview(topic, json);
        assertThat(p.error()).as("error").isEmpty();
        assertThat(p.rows()).hasSize(1);
        return p.rows().get(0);
    }

    private static PayloadException error(PayloadSpec spec, String topic, String json) {
        Preview p = pipeline(spec).preview(topic, json);
        assertThat(p.rows()).isEmpty();
        return p.error().orElseThrow(() -> new AssertionError("expected a mapping error"));
    }

    private static PayloadSpec.Builder base() {
        return PayloadSpec.json().tag("id", "$.id", ColumnType.INT);
    }

    @Test
    void receiveTime_isPrimaryKeyNamedTs_inDatabasePrecision() {
        SyncPipeline p = pipeline(base().build());
        Instant before = Instant.now();
        Row ms = p.preview("t", "{\"id\":1}").rows().get(0);
        assertThat(ms.schema().columns().get(0).name()).isEqualTo("ts");
        assertThat(ms.schema().columns().get(0).type()).isEqualTo(ColumnType.TIMESTAMP);
        assertThat(ms.timestamp()).isBetween(before.toEpochMilli(), Instant.now().toEpochMilli());
        Row ns = p.preview("t", "{\"id\":1}".getBytes(StandardCharsets.UTF_8), TimePrecision.NANOSECONDS).rows().get(0);
        assertThat(ns.timestamp()).isGreaterThan(before.toEpochMilli() * 1_000_000L);
    }

    @Test
    void receiveTimeColumn_renamed() {
        Row r = one(base().receiveTimeColumn("received").build(), "t", "{\"id\":1}");
        assertThat(r.schema().columns()).extracting(c -> c.name()).containsExactly("received");
    }

    @Test
    void topic_asColumnOrTag_withNameAndType() {
        Row col = one(base().topic(FieldTarget.COLUMN).build(), "plant/a", "{\"id\":1}");
        assertThat(col.column("topic")).isEqualTo("plant/a");
        assertThat(col.schema().columns().get(1).type()).isEqualTo(ColumnType.varchar(256));
        Row tag = one(base().topic(FieldTarget.TAG, "src", ColumnType.nchar(20)).build(), "plant/ü", "{\"id\":1}");
        assertThat(tag.tag("src")).isEqualTo("plant/ü");
        assertThat(tag.schema().tags()).extracting(Object::toString).containsExactly("src NCHAR(20)", "id INT");
        Row ignored = one(base().build(), "plant/a", "{\"id\":1}");
        assertThat(ignored.schema().columnIndex("topic")).isEqualTo(-1);
    }

    @Test
    void topic_longerThanItsType_isError() {
        PayloadException e = error(base().topic(FieldTarget.COLUMN, "topic", ColumnType.varchar(5)).build(),
                "plant/abc", "{\"id\":1}");
        assertThat(e.reason()).isEqualTo(DeadLetterReason.VALUE_TOO_LONG);
        assertThat(e).hasMessage("Pipeline 'p': field 'topic': value of 9 bytes is longer than VARCHAR(5) (policy "
                + "REJECT), in message on topic 'plant/abc'");
    }

    @Test
    void qos_asColumnOrTag() {
        SyncPipeline p = pipeline(base().qos(FieldTarget.COLUMN).build());
        Row r = p.preview("t", "{\"id\":1}").rows().get(0);
        assertThat(r.column("qos")).isEqualTo(1L);
        assertThat(r.schema().columns().get(1).type()).isEqualTo(ColumnType.TINYINT);
        Row tag = one(base().qos(FieldTarget.TAG, "q").build(), "t", "{\"id\":1}");
        assertThat(tag.tag("q")).isEqualTo(1L);
    }

    @Test
    void customFields_everyType_convertAndLandInSchemaOrder() {
        PayloadSpec spec = base()
                .column("b", "$.b", ColumnType.BOOL)
                .column("i8", "$.i8", ColumnType.TINYINT)
                .column("i16", "$.i16", ColumnType.SMALLINT)
                .column("i32", "$.i32", ColumnType.INT)
                .column("i64", "$.i64", ColumnType.BIGINT)
                .column("u8", "$.u8", ColumnType.TINYINT_UNSIGNED)
                .column("u16", "$.u16", ColumnType.SMALLINT_UNSIGNED)
                .column("u32", "$.u32", ColumnType.INT_UNSIGNED)
                .column("u64", "$.u64", ColumnType.BIGINT_UNSIGNED)
                .column("f", "$.f", ColumnType.FLOAT)
                .column("d", "$.d", ColumnType.DOUBLE)
                .column("s", "$.s", ColumnType.varchar(8))
                .column("bin", "$.bin", ColumnType.binary(8))
                .column("n", "$.n", ColumnType.nchar(4))
                .column("vb", "$.vb", ColumnType.varbinary(4))
                .column("t", "$.t", ColumnType.TIMESTAMP)
                .build();
        Row r = one(spec, "x", "{\"id\":7,\"b\":true,\"i8\":-128,\"i16\":32767,\"i32\":\"-5\",\"i64\":9223372036854775807,"
                + "\"u8\":255,\"u16\":65535,\"u32\":4294967295,\"u64\":18446744073709551615,\"f\":1.5,\"d\":-2.25e10,"
                + "\"s\":\"O'B\\\\c\",\"bin\":12,\"n\":\"温度计一\",\"vb\":\"ab\",\"t\":1764000000}");
        assertThat(r.schema().columns()).extracting(c -> c.name()).containsExactly("ts", "b", "i8", "i16", "i32",
                "i64", "u8", "u16", "u32", "u64", "f", "d", "s", "bin", "n", "vb", "t");
        assertThat(r.columns().subList(1, 17)).containsExactly(true, -128L, 32767L, -5L, Long.MAX_VALUE, 255L,
                65535L, 4294967295L, -1L, 1.5f, -2.25e10, "O'B\\c", "12", "温度计一", "ab".getBytes(StandardCharsets.UTF_8),
                1764000000000L);
        assertThat(r.tag("id")).isEqualTo(7L);
    }

    @Test
    void missingColumn_isNull_missingTag_isNull_requiredTag_isError() {
        PayloadSpec spec = base().column("v", "$.v", ColumnType.DOUBLE).tag("loc", "$.loc", ColumnType.VARCHAR)
                .build();
        Row r = one(spec, "t", "{\"id\":1,\"v\":null}");
        assertThat(r.column("v")).isNull();
        assertThat(r.tag("loc")).isNull();

        PayloadException e = error(base().requiredTag("loc", "$.site.loc", ColumnType.VARCHAR).build(), "t",
                "{\"id\":1}");
        assertThat(e.reason()).isEqualTo(DeadLetterReason.MISSING_FIELD);
        assertThat(e).hasMessage("Pipeline 'p': field 'loc' (JSONPath '$.site.loc'): required value not found, in "
                + "message on topic 't'");
    }

    @Test
    void conversionErrors_nameFieldPathValueAndTopic() {
        PayloadSpec spec = base().column("i8", "$.i8", ColumnType.TINYINT).build();
        PayloadException e = error(spec, "plant/m7", "{\"id\":1,\"i8\":300}");
        assertThat(e.reason()).isEqualTo(DeadLetterReason.OUT_OF_RANGE);
        assertThat(e).hasMessage("Pipeline 'p': field 'i8' (JSONPath '$.i8'): value 300 is out of range for TINYINT "
                + "[-128, 127], in message on topic 'plant/m7'");
    }

    @Test
    void messageTimestamp_asPrimaryKey_firstColumn_receiveTimeStaysColumn() {
        PayloadSpec spec = base().timestamp("$.ts", TimestampUnit.MILLISECONDS).build();
        Row r = one(spec, "t", "{\"id\":1,\"ts\":1764000000123}");
        assertThat(r.schema().columns()).extracting(c -> c.name()).containsExactly("mts", "ts");
        assertThat(r.timestamp()).isEqualTo(1764000000123L);
        assertThat((Long) r.column("ts")).isGreaterThan(1764000000123L);

        Row us = pipeline(spec).preview("t", "{\"id\":1,\"ts\":1764000000123}".getBytes(StandardCharsets.UTF_8),
                TimePrecision.MICROSECONDS).rows().get(0);
        assertThat(us.timestamp()).isEqualTo(1764000000123000L);
    }

    @Test
    void messageTimestamp_withoutReceiveTime_isOnlyTimestamp() {
        PayloadSpec spec = base().timestamp("ts", "$.time", TimestampUnit.AUTO).withoutReceiveTime().build();
        Row r = one(spec, "t", "{\"id\":1,\"time\":\"2026-11-24T10:00:00.123+08:00\"}");
        assertThat(r.schema().columns()).extracting(c -> c.name()).containsExactly("ts");
        assertThat(r.timestamp()).isEqualTo(Instant.parse("2026-11-24T02:00:00.123Z").toEpochMilli());
    }

    @Test
    void messageTimestamp_missingOrUnparsable_isError() {
        PayloadSpec spec = base().timestamp("$.ts", TimestampUnit.MILLISECONDS).build();
        PayloadException missing = error(spec, "t", "{\"id\":1}");
        assertThat(missing.reason()).isEqualTo(DeadLetterReason.MISSING_FIELD);
        assertThat(missing).hasMessage("Pipeline 'p': field 'mts' (JSONPath '$.ts'): required value not found, in "
                + "message on topic 't'");
        PayloadException bad = error(spec, "t", "{\"id\":1,\"ts\":\"yesterday\"}");
        assertThat(bad.reason()).isEqualTo(DeadLetterReason.INVALID_TIMESTAMP);
        assertThat(bad).hasMessage("Pipeline 'p': field 'mts' (JSONPath '$.ts'): timestamp \"yesterday\" is not "
                + "valid: it is neither an epoch number nor an ISO-8601 date-time with offset, in message on topic 't'");
    }

    @Test
    void subTableTemplate_manyPlaceholders_topicLevels_andIgnoredFields() {
        PayloadSpec spec = PayloadSpec.json()
                .tagFromTopicLevel("device", 1)
                .field(Field.builder("site").path("$.site").type(ColumnType.VARCHAR).target(FieldTarget.IGNORE)
                        .build())
                .column("v", "$.v", ColumnType.DOUBLE)
                .subTableTemplate("m_{site}_{device}")
                .build();
        // the spec names its template, so the pipeline names none (a pipeline template no mapping takes fails)
        Preview p = SyncPipeline.builder().name("p").source(new FakeTransport()).sink(new FakeSink()).payload(spec)
                .superTable("meters").build().preview("plant/m7/meters", "{\"site\":\"north\",\"v\":1}");
        assertThat(p.error()).as("error").isEmpty();
        Row r = p.rows().get(0);
        assertThat(r.subTable()).isEqualTo("m_north_m7");
        assertThat(r.tag("device")).isEqualTo("m7");
        assertThat(r.schema().columnIndex("site")).isEqualTo(-1);
    }

    @Test
    void topicLevel_asIntColumn_andMissingLevelIsError() {
        PayloadSpec spec = base().columnFromTopicLevel("line", 2, ColumnType.INT).build();
        assertThat(one(spec, "plant/a/42", "{\"id\":1}").column("line")).isEqualTo(42L);
        PayloadException e = error(spec, "plant/a", "{\"id\":1}");
        assertThat(e).hasMessage("Pipeline 'p': field 'line' (topic level 2): topic has no level 2, in message on "
                + "topic 'plant/a'");
    }

    @Test
    void subTableName_dotsReplacedByDefault_rejectedByPolicy() {
        PayloadSpec spec = PayloadSpec.json().tag("id", "$.id", ColumnType.VARCHAR).build();
        assertThat(one(spec, "t", "{\"id\":\"a.b`c\"}").subTable()).isEqualTo("da_b_c");
        assertThat(one(spec.toBuilder().policies().nameReplacement('-').applyPolicies().build(), "t", "{\"id\":\"a.b\"}").subTable())
                .isEqualTo("da-b");
        PayloadException e = error(spec.toBuilder().policies().tableName(TableNamePolicy.REJECT).applyPolicies().build(), "t",
                "{\"id\":\"a.b\"}");
        assertThat(e.reason()).isEqualTo(DeadLetterReason.INVALID_TABLE_NAME);
        assertThat(e).hasMessage("Pipeline 'p': sub-table name 'da.b' contains forbidden character '.' (policy "
                + "REJECT), in message on topic 't'");
    }

    @Test
    void subTableName_emptyOrMissingPlaceholder_isError() {
        PayloadSpec spec = PayloadSpec.json().tag("id", "$.id", ColumnType.VARCHAR).build();
        PayloadException empty = error(spec, "t", "{\"id\":\"\"}");
        assertThat(empty.reason()).isEqualTo(DeadLetterReason.INVALID_TABLE_NAME);
        assertThat(empty).hasMessage("Pipeline 'p': subTableTemplate 'd{id}': placeholder {id} has an empty value, "
                + "in message on topic 't'");
        assertThat(error(spec, "t", "{}")).hasMessage("Pipeline 'p': subTableTemplate 'd{id}': placeholder {id} has "
                + "no value, in message on topic 't'");
    }

    @Test
    void subTableName_over192Bytes_isError() {
        PayloadSpec spec = PayloadSpec.json().tag("id", "$.id", ColumnType.varchar(300)).build();
        PayloadException e = error(spec, "t", "{\"id\":\"" + "x".repeat(200) + "\"}");
        assertThat(e.reason()).isEqualTo(DeadLetterReason.INVALID_TABLE_NAME);
        assertThat(e.getMessage()).contains("is 201 bytes, more than TDengine's limit of 192");
        assertThat(one(spec, "t", "{\"id\":\"" + "x".repeat(191) + "\"}").subTable()).hasSize(192);
    }

    @Test
    void split_oneRowPerElement_withMessageLevelFields() {
        PayloadSpec spec = PayloadSpec.json()
                .split("$.readings[*]")
                .field(Field.builder("id").path("$.device").type(ColumnType.INT).target(FieldTarget.TAG)
                        .scope(FieldScope.MESSAGE).build())
                .timestamp("ts", "$.t", TimestampUnit.SECONDS)
                .withoutReceiveTime()
                .column("v", "$.v", ColumnType.DOUBLE)
                .build();
        Preview p = pipeline(spec).preview("t", "{\"device\":5,\"readings\":[{\"t\":1764000000,\"v\":1.5},"
                + "{\"t\":1764000001,\"v\":2.5},{\"t\":1764000002}]}");
        assertThat(p.error()).isEmpty();
        assertThat(p.rows()).extracting(Row::timestamp).containsExactly(1764000000000L, 1764000001000L,
                1764000002000L);
        assertThat(p.rows()).extracting(r -> r.column("v")).containsExactly(1.5, 2.5, null);
        assertThat(p.rows()).extracting(r -> r.tag("id")).containsOnly(5L);
        assertThat(p.rows()).extracting(Row::subTable).containsOnly("d5");
    }

    @Test
    void split_badElement_namesElement_andMissingArrayIsError() {
        PayloadSpec clean = PayloadSpec.json().split("$.r[*]").column("v", "$.v", ColumnType.TINYINT)
                .field(Field.builder("id").path("$.id").type(ColumnType.INT).target(FieldTarget.TAG)
                        .scope(FieldScope.MESSAGE).build())
                .build();
        PayloadException e = error(clean, "t", "{\"id\":1,\"r\":[{\"v\":1},{\"v\":1000}]}");
        assertThat(e).hasMessage("Pipeline 'p': field 'v' (JSONPath '$.v') (element 1 of '$.r[*]'): value 1000 is out"
                + " of range for TINYINT [-128, 127], in message on topic 't'");
        assertThat(error(clean, "t", "{\"id\":1}")).hasMessage("Pipeline 'p': row-split path '$.r[*]' not found, in "
                + "message on topic 't'");
    }

    @Test
    void routing_firstMatchingFilterWins_eachToItsSuperTable() {
        PayloadSpec meters = base().column("v", "$.v", ColumnType.DOUBLE).superTable("meters").build();
        PayloadSpec alarms = PayloadSpec.json().tagFromTopicLevel("id", 2).column("msg", "$.msg", ColumnType.VARCHAR)
                .superTable("alarms").subTableTemplate("a_{id}").build();
        SyncPipeline p = SyncPipeline.builder().name("p").source(new FakeTransport()).sink(new FakeSink())
                .route("plant/+/meters", meters).route("plant/alarms/#", alarms).subTableTemplate("d{id}").build();
        assertThat(p.preview("plant/x/meters", "{\"id\":1,\"v\":2}").rows().get(0).superTable()).isEqualTo("meters");
        Row alarm = p.preview("plant/alarms/7", "{\"msg\":\"hot\"}").rows().get(0);
        assertThat(alarm.superTable()).isEqualTo("alarms");
        assertThat(alarm.subTable()).isEqualTo("a_7");
        PayloadException none = p.preview("other", "{}").error().orElseThrow();
        assertThat(none.reason()).isEqualTo(DeadLetterReason.NO_ROUTE);
        assertThat(none).hasMessage("Pipeline 'p': no mapping matches topic 'other'; topic filters: [plant/+/meters, "
                + "plant/alarms/#]");
        assertThat(p.tables()).extracting(t -> t.superTable()).containsExactly("meters", "alarms");
    }

    @Test
    void jsonPathFilter_readsThePayload_beforeAnyValueIsChecked() {
        // status is mapped by no field; the filtered message's bad value is never converted
        PayloadSpec spec = base().column("v", "$.v", ColumnType.DOUBLE)
                .payloadFilter("$[?(@.status != 'test' && @.v > 0)]").build();
        assertThat(spec.payloadFilter()).contains("$[?(@.status != 'test' && @.v > 0)]");
        SyncPipeline p = pipeline(spec);
        assertThat(p.preview("t", "{\"id\":1,\"v\":2.5,\"status\":\"ok\"}").rows()).singleElement()
                .satisfies(r -> assertThat(r.column("v")).isEqualTo(2.5));
        Preview test = p.preview("t", "{\"id\":1,\"v\":\"not a number\",\"status\":\"test\"}");
        assertThat(test.isOk()).isTrue();
        assertThat(test.rows()).isEmpty();
        assertThat(test.filtered()).isEqualTo(1);
        assertThat(p.preview("t", "{\"id\":1,\"v\":-1,\"status\":\"ok\"}").filtered()).isEqualTo(1);
        assertThat(p.preview("t", "{\"id\":1,\"v\":3}").rows()).hasSize(1); // no status: != 'test' holds
        assertThat(p.preview("t", "[1,2]").filtered()).isEqualTo(1); // no element has the fields
        PayloadException scalar = error(spec, "t", "17"); // a predicate cannot be applied to a number
        assertThat(scalar.reason()).isEqualTo(DeadLetterReason.EXPRESSION_FAILED);
        assertThat(scalar).hasMessage("Pipeline 'p': filter '$[?(@.status != 'test' && @.v > 0)]' failed: Filter: "
                + "[?] can not be applied to primitives. Current context is: 17, in message on topic 't'");
    }

    @Test
    void jsonPathFilter_withSplit_perElement_andBesideARowFilter() {
        PayloadSpec spec = PayloadSpec.json().split("$.readings[*]").field(Field.builder("id").path("$.id")
                        .type(ColumnType.INT).target(FieldTarget.TAG).scope(FieldScope.MESSAGE).build())
                .column("v", "$.v", ColumnType.DOUBLE)
                .payloadFilter("$[?(@.quality == 'good')]").filterExpression("v < 100").build();
        Preview p = pipeline(spec).preview("t", "{\"id\":1,\"readings\":[{\"v\":1,\"quality\":\"good\"},"
                + "{\"v\":\"x\",\"quality\":\"bad\"},{\"v\":500,\"quality\":\"good\"},{\"v\":3,\"quality\":\"good\"}]}");
        assertThat(p.error()).isEmpty();
        assertThat(p.rows()).extracting(r -> r.column("v")).containsExactly(1.0, 3.0);
        assertThat(p.filtered()).isEqualTo(2);
    }

    @Test
    @SuppressWarnings("removal")
    void deprecatedFilterText_isAPayloadFilterWhenItStartsWithDollar_andAnExpressionOtherwise() {
        PayloadSpec spec = base().column("v", "$.v", ColumnType.DOUBLE).filter(" $[?(@.ok)]").filter("v > 1").build();
        assertThat(spec.payloadFilter()).contains("$[?(@.ok)]");
        assertThat(pipeline(spec).preview("t", "{\"id\":1,\"v\":2,\"ok\":true}").rows()).hasSize(1);
        assertThat(pipeline(spec).preview("t", "{\"id\":1,\"v\":0.5,\"ok\":true}").filtered()).isEqualTo(1);
        assertThat(pipeline(spec).preview("t", "{\"id\":1,\"v\":2}").filtered()).isEqualTo(1);
    }

    @Test
    void jsonPathFilter_badPaths_failAtBuild() {
        assertThat(catchThrowable(() -> base().payloadFilter("$[?(@.status !=")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("payloadFilter '$[?(@.status !=' is not "
                        + "a valid JSONPath: ");
        assertThat(catchThrowable(() -> base().payloadFilter("$.status")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("payloadFilter '$.status' is a JSONPath without a "
                        + "filter predicate; write one such as $[?(@.status != 'test')] (a message is kept when it "
                        + "selects something), or $[?(@.field)] to keep messages that have a field");
    }

    @Test
    void hooks_transformThenFilter_perMapping() {
        PayloadSpec spec = base().column("v", "$.v", ColumnType.DOUBLE)
                .transform(r -> r.withColumn("v", (Double) r.column("v") * 10))
                .filter(r -> (Double) r.column("v") < 100)
                .build();
        SyncPipeline p = pipeline(spec);
        assertThat(p.preview("t", "{\"id\":1,\"v\":2}").rows().get(0).column("v")).isEqualTo(20.0);
        Preview dropped = p.preview("t", "{\"id\":1,\"v\":20}");
        assertThat(dropped.rows()).isEmpty();
        assertThat(dropped.filtered()).isEqualTo(1);
        assertThat(dropped.isOk()).isTrue();

        PayloadSpec throwing = base().transform(r -> {
            throw new IllegalArgumentException("boom");
        }).build();
        PayloadException e = error(throwing, "t", "{\"id\":1}");
        assertThat(e.reason()).isEqualTo(DeadLetterReason.HOOK_FAILED);
        assertThat(e).hasMessage("Pipeline 'p': transform threw java.lang.IllegalArgumentException: boom, in message "
                + "on topic 't'");
    }

    @Test
    void jsonTag_takesObject() {
        PayloadSpec spec = PayloadSpec.json().tag("info", "$.info", ColumnType.JSON).column("id", "$.id",
                ColumnType.INT).build();
        SyncPipeline p = SyncPipeline.builder().name("p").source(new FakeTransport()).sink(new FakeSink())
                .payload(spec).superTable("s").subTableTemplate("d{id}").build();
        Row r = p.preview("t", "{\"id\":1,\"info\":{\"a\":1,\"b\":\"x\"}}").rows().get(0);
        assertThat(r.tag("info")).isEqualTo("{\"a\":1,\"b\":\"x\"}");
        assertThat(p.preview("t", "{\"id\":1,\"info\":[1]}").error().orElseThrow()).hasMessage("Pipeline 'p': field "
                + "'info' (JSONPath '$.info'): value [1] cannot be converted to JSON: a JSON tag takes an object, but "
                + "it is an array, in message on topic 't'");
    }

    @Test
    void customParser_yieldsTreeThePathsRead() {
        PayloadParser csv = (topic, payload) -> {
            String[] parts = new String(payload, StandardCharsets.UTF_8).split(",");
            return Map.of("id", Integer.parseInt(parts[0]), "v", List.of(Double.parseDouble(parts[1])));
        };
        PayloadSpec spec = PayloadSpec.builder(csv).tag("id", "$.id", ColumnType.INT)
                .column("v", "$.v[0]", ColumnType.DOUBLE).build();
        Row r = one(spec, "t", "3,4.5");
        assertThat(r.tag("id")).isEqualTo(3L);
        assertThat(r.column("v")).isEqualTo(4.5);
        PayloadException e = error(spec, "t", "x");
        assertThat(e.reason()).isEqualTo(DeadLetterReason.INVALID_PAYLOAD);
        assertThat(e.getMessage()).startsWith("Pipeline 'p': payload parser ");
    }

    @Test
    void payload_tooLarge_empty_nested_trailing_invalidUtf8_areInvalid() {
        PayloadSpec spec = base().maxPayloadBytes(100).build();
        assertThat(error(spec, "t", "{\"id\":\"" + "x".repeat(200) + "\"}").reason())
                .isEqualTo(DeadLetterReason.PAYLOAD_TOO_LARGE);
        SyncPipeline p = pipeline(base().build());
        assertThat(p.preview("t", "").error().orElseThrow()).hasMessage("Pipeline 'p': payload is empty, not JSON, "
                + "in message on topic 't'");
        assertThat(p.preview("t", "[".repeat(10_000)).error().orElseThrow().reason())
                .isEqualTo(DeadLetterReason.INVALID_PAYLOAD);
        assertThat(p.preview("t", "{\"id\":1} x").error().orElseThrow().reason())
                .isEqualTo(DeadLetterReason.INVALID_PAYLOAD);
        byte[] invalidUtf8 = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertThat(p.preview("t", invalidUtf8).error().orElseThrow().reason())
                .isEqualTo(DeadLetterReason.INVALID_PAYLOAD);
    }
}
