package io.github.mqtt2tdengine.settings.internal;

import static io.github.mqtt2tdengine.settings.internal.KeyedCalls.apply;
import static io.github.mqtt2tdengine.settings.internal.KeyedCalls.required;
import static io.github.mqtt2tdengine.settings.internal.KeyedCalls.set;

import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.Compression;
import io.github.mqtt2tdengine.payload.Field;
import io.github.mqtt2tdengine.payload.FieldScope;
import io.github.mqtt2tdengine.payload.FieldTarget;
import io.github.mqtt2tdengine.payload.PayloadPolicies;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import io.github.mqtt2tdengine.settings.ConfigException;
import io.github.mqtt2tdengine.settings.FieldSettings;
import io.github.mqtt2tdengine.settings.ParserSettings;
import io.github.mqtt2tdengine.settings.PayloadFormat;
import io.github.mqtt2tdengine.settings.PoliciesSettings;
import io.github.mqtt2tdengine.settings.QosSettings;
import io.github.mqtt2tdengine.settings.TopicSettings;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps the {@code parser} settings of the file's default mapping or of one route to a {@link PayloadSpec}: the
 * format, the fields, the policies and the options, each rejection turned into a {@link ConfigException} naming the
 * key. Part of {@link SettingsMapper}. Not API.
 */
final class SpecMapper {
    private SpecMapper() {
    }

    private static PayloadSpec.Builder format(String where, ParserSettings p) {
        PayloadFormat format = p.format() == null ? PayloadFormat.JSON : p.format();
        onlyFor(where, "pattern", p.pattern(), PayloadFormat.REGEX, format);
        onlyFor(where, "delimiter", p.delimiter(), PayloadFormat.CSV, format);
        onlyFor(where, "columns", p.columns(), PayloadFormat.CSV, format);
        onlyFor(where, "valueName", p.valueName(), PayloadFormat.PLAIN, format);
        switch (format) {
            case JSONL:
                return PayloadSpec.jsonLines();
            case REGEX: {
                String pattern = required(where + ".pattern", p.pattern());
                return apply(where + ".pattern", () -> PayloadSpec.regex(pattern));
            }
            case CSV: {
                String delimiter = p.delimiter() == null ? "," : p.delimiter();
                if (delimiter.length() != 1) {
                    throw new ConfigException(where + ".delimiter must be one character, but was '" + delimiter
                            + "'");
                }
                List<String> columns = p.columns() == null ? List.of() : p.columns();
                for (int i = 0; i < columns.size(); i++) {
                    required(where + ".columns[" + i + "]", columns.get(i));
                }
                return apply(where + ".delimiter", () -> PayloadSpec.csv(delimiter.charAt(0), columns));
            }
            case PLAIN:
                return PayloadSpec.plain(p.valueName() == null ? "value" : p.valueName());
            case JSON:
            default:
                return PayloadSpec.json();
        }
    }

    private static void onlyFor(String where, String key, Object value, PayloadFormat wanted, PayloadFormat format) {
        if (value != null && format != wanted) {
            throw new ConfigException(where + "." + key + " applies to format " + name(wanted) + " only, but "
                    + where + ".format is " + name(format));
        }
    }

    private static String name(PayloadFormat f) {
        return f.name().toLowerCase(Locale.ROOT);
    }

    static PayloadSpec spec(String where, ParserSettings p) {
        PayloadSpec.Builder b = format(where, p);
        b.compression(p.compression() != null ? p.compression() : Compression.NONE);
        if (p.charset() != null) {
            Charset cs;
            try {
                cs = Charset.forName(p.charset());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + ".charset '" + p.charset() + "' is not a character set this Java "
                        + "knows (e.g. UTF-8, GBK, GB18030, ISO-8859-1, UTF-16)", e);
            }
            b.charset(cs);
        }
        set(where + ".filterExpression", p.filterExpression(), b::filterExpression);
        set(where + ".payloadFilter", p.payloadFilter(), b::payloadFilter);
        String filter = p.filter();
        if (filter != null) { // the old, ambiguous key: accepted for one release
            boolean payload = filter.strip().startsWith("$");
            String newKey = where + (payload ? ".payloadFilter" : ".filterExpression");
            // the logger is created here, not in a static field: a launcher (the runner) reads the log level through
            // PipelineConfig before the first logger exists, so loading this class must not start the logging backend
            Logger log = LoggerFactory.getLogger(SettingsMapper.class);
            log.warn("Config key {} is deprecated and will be removed in the next release; use {} instead",
                    where + ".filter", newKey);
            apply(where + ".filter", () -> {
                if (payload) {
                    b.payloadFilter(filter);
                } else {
                    b.filterExpression(filter);
                }
            });
        }
        if (p.ts() != null) {
            apply(where + ".ts", () -> b.receiveTimeColumn(p.ts()));
        } else if (Boolean.TRUE.equals(p.withoutReceiveTime())) {
            b.withoutReceiveTime();
        }
        TopicSettings topic = p.topic();
        if (topic != null) {
            FieldTarget as = topic.as() != null ? topic.as() : FieldTarget.IGNORE;
            String name = topic.name() != null ? topic.name() : PayloadSpec.DEFAULT_TOPIC_NAME;
            ColumnType type = type(where + ".topic.type", topic.type(), PayloadSpec.DEFAULT_TOPIC_TYPE);
            apply(where + ".topic", () -> b.topic(as, name, type));
        }
        QosSettings qos = p.qos();
        if (qos != null) {
            FieldTarget as = qos.as() != null ? qos.as() : FieldTarget.IGNORE;
            String name = qos.name() != null ? qos.name() : PayloadSpec.DEFAULT_QOS_NAME;
            apply(where + ".qos", () -> b.qos(as, name));
        }
        List<FieldSettings> fields = p.fields() == null ? List.of() : p.fields();
        for (int i = 0; i < fields.size(); i++) {
            b.field(field(where + ".fields[" + i + "]", fields.get(i)));
        }
        set(where + ".split", p.split(), b::split);
        set(where + ".subTable", p.subTable(), b::subTableTemplate);
        set(where + ".superTable", p.superTable(), b::superTable);
        if (p.policies() != null) {
            policies(where + ".policies", p.policies(), b.policies());
        }
        set(where + ".maxPayloadBytes", p.maxPayloadBytes(), b::maxPayloadBytes);
        return apply(where, b::build);
    }

    private static void policies(String where, PoliciesSettings s, PayloadPolicies.Nested<PayloadSpec.Builder> pb) {
        PayloadPolicies d = PayloadPolicies.DEFAULTS;
        pb.timestampCollision(s.timestampCollision() != null ? s.timestampCollision() : d.timestampCollision());
        pb.tableName(s.tableName() != null ? s.tableName() : d.tableName());
        String replacement = s.nameReplacement();
        if (replacement != null) {
            if (replacement.length() != 1) {
                throw new ConfigException(where + ".nameReplacement must be one character, but was '" + replacement
                        + "'");
            }
            apply(where + ".nameReplacement", () -> pb.nameReplacement(replacement.charAt(0)));
        }
        pb.stringOverflow(s.stringOverflow() != null ? s.stringOverflow() : d.stringOverflow());
        pb.nonFiniteNumber(s.nonFiniteNumber() != null ? s.nonFiniteNumber() : d.nonFiniteNumber());
        pb.tagChange(s.tagChange() != null ? s.tagChange() : d.tagChange());
        pb.applyPolicies();
    }

    private static Field field(String where, FieldSettings f) {
        if (f == null) {
            throw new ConfigException(where + " must be an object, but was null");
        }
        String name = required(where + ".name", f.name());
        Field.Builder b = apply(where + ".name", () -> Field.builder(name));
        int sources = (f.path() != null ? 1 : 0) + (f.topicLevel() != null ? 1 : 0) + (f.expr() != null ? 1 : 0);
        if (sources > 1) {
            throw new ConfigException(where + ": give one of path, topicLevel and expr");
        }
        set(where + ".path", f.path(), b::path);
        set(where + ".expr", f.expr(), b::expression);
        set(where + ".topicLevel", f.topicLevel(), b::topicLevel);
        ColumnType type = type(where + ".type", f.type(), null);
        if (type == null) {
            throw new ConfigException(where + ".type is required");
        }
        b.type(type);
        b.target(f.as() != null ? f.as() : FieldTarget.COLUMN);
        b.required(Boolean.TRUE.equals(f.required()));
        b.primaryKey(Boolean.TRUE.equals(f.primaryKey()));
        b.unit(f.unit() != null ? f.unit() : TimestampUnit.AUTO);
        b.scope(f.scope() != null ? f.scope() : FieldScope.ELEMENT);
        return apply(where, b::build);
    }

    private static ColumnType type(String key, String text, ColumnType fallback) {
        return text == null ? fallback : apply(key, () -> ColumnType.parse(text));
    }
}
