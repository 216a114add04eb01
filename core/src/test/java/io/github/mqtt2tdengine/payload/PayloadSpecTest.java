package io.github.mqtt2tdengine.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PayloadSpecTest {

    private static PayloadSpec.Builder base() {
        return PayloadSpec.json().tag("id", "$.id", ColumnType.INT);
    }

    @Test
    void build_withoutTag_throwsBecauseSuperTablesNeedOne() {
        assertThatThrownBy(() -> PayloadSpec.json().column("v", "$.v", ColumnType.FLOAT).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a super table needs at least one tag; map one with tag(...), tagFromTopicLevel(...), "
                        + "topic(FieldTarget.TAG) or qos(FieldTarget.TAG)");
    }

    @Test
    void build_duplicateNames_evenInDifferentCase_throw() {
        assertThatThrownBy(() -> base().column("ID", "$.x", ColumnType.INT).build())
                .hasMessage("name 'ID' is used twice (field and field); names must differ in more than letter case");
        assertThatThrownBy(() -> base().column("ts", "$.x", ColumnType.INT).build())
                .hasMessage("name 'ts' is used twice (receive-time column and field); rename the receive-time "
                        + "column with receiveTimeColumn(\"received_at\"), or drop it with withoutReceiveTime() when a "
                        + "message timestamp is the primary key");
    }

    @Test
    void build_primaryKeyRules() {
        assertThatThrownBy(() -> base().timestamp("a", "$.a", TimestampUnit.AUTO)
                .timestamp("b", "$.b", TimestampUnit.AUTO).build())
                .hasMessage("only one field can be the primary key, but 2 are marked");
        assertThatThrownBy(() -> base().withoutReceiveTime().build())
                .hasMessage("withoutReceiveTime() needs a field marked as primary key");
        assertThatThrownBy(() -> Field.builder("t").path("$.t").type(ColumnType.INT).primaryKey(true).build())
                .hasMessage("field 't': a primary key must be TIMESTAMP, but was INT");
        assertThatThrownBy(() -> Field.builder("t").path("$.t").type(ColumnType.TIMESTAMP).primaryKey(true)
                .target(FieldTarget.TAG).build())
                .hasMessage("field 't': a primary key must be a column, but was TAG");
    }

    @Test
    void build_jsonRules() {
        assertThatThrownBy(() -> Field.column("j", "$.j", ColumnType.JSON))
                .hasMessage("field 'j': type JSON is only allowed for tags");
        assertThatThrownBy(() -> base().tag("j", "$.j", ColumnType.JSON).build())
                .hasMessage("a JSON tag must be the only tag, but tags are [id, j]");
    }

    @Test
    void build_templateReferencingUnknownField_namesKnownOnes() {
        assertThatThrownBy(() -> base().column("v", "$.v", ColumnType.FLOAT).subTableTemplate("d{device}").build())
                .hasMessage("subTableTemplate references unknown field 'device'; known fields: [id, v]");
    }

    @Test
    void setters_checkArgumentsAtOnce() {
        assertThatThrownBy(() -> Field.builder("a.b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("field name 'a.b' contains forbidden character '.' at index 1");
        assertThatThrownBy(() -> Field.builder("x".repeat(65)))
                .hasMessage("field name '" + "x".repeat(65) + "' is 65 bytes, more than 64");
        assertThatThrownBy(() -> Field.builder("x").path("a.b")).hasMessage("JSONPath of field 'x' must start with '$',"
                + " but was 'a.b'");
        assertThatThrownBy(() -> base().column("v", "$.a[?(@.b", ColumnType.INT).build())
                .hasMessageStartingWith("JSONPath of field 'v' '$.a[?(@.b' is not a valid JSONPath");
        assertThatThrownBy(() -> base().subTableTemplate("d{id")).hasMessage("subTableTemplate 'd{id' is not valid: "
                + "'{' at index 1 is not closed");
        assertThatThrownBy(() -> base().subTableTemplate("meters")).hasMessage("subTableTemplate 'meters' is not "
                + "valid: it has no {placeholder}, so every message would go to one sub-table");
        assertThatThrownBy(() -> base().subTableTemplate("d.{id}")).hasMessage("subTableTemplate 'd.{id}' is not "
                + "valid: it contains forbidden character '.' at index 1");
        assertThatThrownBy(() -> base().topic(FieldTarget.TAG, "topic", ColumnType.INT))
                .hasMessage("topic type must be VARCHAR(n) or NCHAR(n), but was INT");
        assertThatThrownBy(() -> base().policies().nameReplacement('.'))
                .hasMessage("name replacement must be an allowed character, but was '.'");
        assertThatThrownBy(() -> base().maxPayloadBytes(0))
                .hasMessage("max payload bytes must be greater than 0, but was 0");
        assertThatThrownBy(() -> base().superTable("a`b"))
                .hasMessage("super table name 'a`b' contains forbidden character '`' at index 1");
        assertThatThrownBy(() -> base().column(null, "$.v", ColumnType.INT)).isInstanceOf(NullPointerException.class)
                .hasMessage("field name must not be null");
    }

    @Test
    void policies_nestedBuilder_startsFromCurrent_andAppliesToTheSpec() {
        assertThat(base().superTable("m").build().policies()).isEqualTo(PayloadPolicies.DEFAULTS);
        PayloadSpec a = base().superTable("m").policies().stringOverflow(StringOverflowPolicy.TRUNCATE)
                .tagChange(TagChangePolicy.IGNORE).applyPolicies().build();
        assertThat(a.policies().stringOverflow()).isEqualTo(StringOverflowPolicy.TRUNCATE);
        assertThat(a.policies().tagChange()).isEqualTo(TagChangePolicy.IGNORE);
        assertThat(a.policies().nonFiniteNumber()).isEqualTo(NonFiniteNumberPolicy.REJECT);
        // a second nested builder starts from what the first applied
        PayloadSpec b = a.toBuilder().policies().nameReplacement('-').applyPolicies().build();
        assertThat(b.policies()).isEqualTo(PayloadPolicies.builder().stringOverflow(StringOverflowPolicy.TRUNCATE)
                .tagChange(TagChangePolicy.IGNORE).nameReplacement('-').build());
        assertThat(b).isNotEqualTo(a);
        assertThat(b.policies().toBuilder().build()).isEqualTo(b.policies()).hasSameHashCodeAs(b.policies());
        assertThat(base().superTable("m").policies(b.policies()).build().policies()).isEqualTo(b.policies());
        assertThatThrownBy(() -> base().policies(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("policies must not be null");
        assertThatThrownBy(() -> PayloadPolicies.builder().tagChange(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("tagChange must not be null");
    }

    @Test
    void builtSpec_isImmutableValue_andToBuilderDerivesVariants() {
        PayloadSpec a = base().column("v", "$.v", ColumnType.FLOAT).superTable("meters").build();
        PayloadSpec b = a.toBuilder().build();
        assertThat(b).isEqualTo(a).hasSameHashCodeAs(a);
        PayloadSpec c = a.toBuilder().column("w", "$.w", ColumnType.FLOAT).build();
        assertThat(c).isNotEqualTo(a);
        assertThat(a.fields()).hasSize(2);
        assertThatThrownBy(() -> a.fields().add(Field.column("x", "$.x", ColumnType.INT)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(a.toString()).contains("superTable=meters");
        PayloadSpec filtered = a.toBuilder().payloadFilter("$[?(@.ok)]").build();
        assertThat(filtered).isNotEqualTo(a).isEqualTo(filtered.toBuilder().build());
        assertThat(filtered.toBuilder().build().payloadFilter()).contains("$[?(@.ok)]");
        assertThat(filtered.filter()).isEmpty();
        assertThat(filtered.toString()).contains("payloadFilter=$[?(@.ok)]");
    }
}
