package io.github.mqtt2tdengine.settings;

import io.github.mqtt2tdengine.payload.Compression;
import java.util.List;

/**
 * The {@code parser} section, and each route's parser: how payloads become rows ({@code PayloadSpec}). Immutable;
 * every component may be null (not set: the builder's default).
 *
 * @param format payload format: json, jsonl, regex (with pattern), csv (with columns and delimiter) or plain (with
 *     valueName); default json
 * @param pattern format regex: the regular expression with named groups, e.g. temp=(?&lt;temp&gt;[-0-9.]+)
 * @param delimiter format csv: the one-character field delimiter; default ,
 * @param columns format csv: the column names, in order; by position ($[0], $[1]) when not set
 * @param valueName format plain: the name the value is read as ($.value); default value
 * @param compression none, gzip, deflate or auto (by the first bytes): expanded before parsing; default none
 * @param charset the payload's character set (GBK, GB18030, ISO-8859-1, UTF-16, any Java knows); default UTF-8
 * @param filterExpression keep only rows for which this expression over the row's columns and tags is true, e.g.
 *     status != 'test' &amp;&amp; current &gt; 0; none when not set
 * @param payloadFilter a JSONPath filter predicate on the payload, e.g. $[?(@.status != 'test')]; a message it
 *     selects nothing of is filtered; none when not set
 * @param filter deprecated alias (0.1) of filterExpression, or of payloadFilter when the text starts with $; logs a
 *     WARN naming the new key; removed in the next release
 * @param ts name of the receive-time TIMESTAMP column; default ts
 * @param withoutReceiveTime true drops the receive-time column (a message timestamp field is then the primary key);
 *     default false
 * @param topic the message's topic as a column or tag (as, name, type); ignored when not set
 * @param qos the message's QoS as a column or tag (as, name); ignored when not set
 * @param fields custom fields: each a name, one of path, topicLevel or expr, a type, and as, required, primaryKey,
 *     unit, scope
 * @param split JSONPath of an array, e.g. $.readings[*]: one row per element; none when not set
 * @param subTable sub-table name template, e.g. d{id} or meter_{site}_{device}; required
 * @param superTable super table name; required
 * @param policies what the mapping does with input that does not fit as it is
 * @param maxPayloadBytes larger payloads are dead-lettered; default 1048576 (1 MiB)
 * @since 0.1.0
 */
public record ParserSettings(PayloadFormat format, String pattern, String delimiter, List<String> columns,
        String valueName, Compression compression, String charset, String filterExpression, String payloadFilter,
        String filter, String ts, Boolean withoutReceiveTime, TopicSettings topic, QosSettings qos,
        List<FieldSettings> fields, String split, String subTable, String superTable, PoliciesSettings policies,
        Integer maxPayloadBytes) {
    /**
     * Creates the settings, copying the lists.
     *
     * @param format see the record's description
     * @param pattern see the record's description
     * @param delimiter see the record's description
     * @param columns see the record's description
     * @param valueName see the record's description
     * @param compression see the record's description
     * @param charset see the record's description
     * @param filterExpression see the record's description
     * @param payloadFilter see the record's description
     * @param filter see the record's description (deprecated)
     * @param ts see the record's description
     * @param withoutReceiveTime see the record's description
     * @param topic see the record's description
     * @param qos see the record's description
     * @param fields see the record's description
     * @param split see the record's description
     * @param subTable see the record's description
     * @param superTable see the record's description
     * @param policies see the record's description
     * @param maxPayloadBytes see the record's description
     */
    public ParserSettings {
        columns = Copies.list(columns);
        fields = Copies.list(fields);
    }
}
