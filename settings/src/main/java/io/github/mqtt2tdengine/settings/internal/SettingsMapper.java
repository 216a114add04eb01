package io.github.mqtt2tdengine.settings.internal;

import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.mqtt.MqttTransport;
import io.github.mqtt2tdengine.mqtt.TlsConfig;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.Compression;
import io.github.mqtt2tdengine.payload.Field;
import io.github.mqtt2tdengine.payload.FieldScope;
import io.github.mqtt2tdengine.payload.FieldTarget;
import io.github.mqtt2tdengine.payload.PayloadPolicies;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import io.github.mqtt2tdengine.settings.ConfigException;
import io.github.mqtt2tdengine.settings.FieldSettings;
import io.github.mqtt2tdengine.settings.MetricsSettings;
import io.github.mqtt2tdengine.settings.Mqtt2TdengineSettings;
import io.github.mqtt2tdengine.settings.MqttSettings;
import io.github.mqtt2tdengine.settings.ParserSettings;
import io.github.mqtt2tdengine.settings.PayloadFormat;
import io.github.mqtt2tdengine.settings.PipelineSettings;
import io.github.mqtt2tdengine.settings.PoliciesSettings;
import io.github.mqtt2tdengine.settings.QosSettings;
import io.github.mqtt2tdengine.settings.RouteSettings;
import io.github.mqtt2tdengine.settings.TdengineSettings;
import io.github.mqtt2tdengine.settings.TlsSettings;
import io.github.mqtt2tdengine.settings.TopicSettings;
import io.github.mqtt2tdengine.tdengine.SchemaPolicy;
import io.github.mqtt2tdengine.tdengine.TDengineSink;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one mapper from settings to the builders. The constructor checks everything a builder can check alone, so a
 * mistake fails when the settings are loaded, naming its key ({@code parser.fields[2].type: unknown column type
 * 'FLOATY'}); it builds the immutable parts once (payload specs, TLS material read from {@code @file}s), and every
 * builder method returns a new builder set up from the settings. Immutable and thread-safe. Not API.
 */
public final class SettingsMapper {
    /** The log levels a config may name, in this order. */
    public static final List<String> LOG_LEVELS = List.of("error", "warn", "info", "debug", "trace");
    /** The log level when the settings name none. */
    public static final String DEFAULT_LOG_LEVEL = "info";
    /** The address the runner's metrics endpoint binds to when the settings name none. */
    public static final String DEFAULT_METRICS_HOST = "127.0.0.1";

    private final Mqtt2TdengineSettings settings;
    private final String logLevel;
    private final TlsConfig tls;
    private final List<Mapping> mappings;

    /** A mapping: {@code parser} (the default) or one of {@code routes}. */
    private record Mapping(String topicFilter, PayloadSpec spec, boolean isDefault) {
    }

    /**
     * Checks the settings and builds their immutable parts.
     *
     * @param settings the settings
     * @param requireUrl whether {@code tdengine.url} is required when there is a {@code tdengine} section (the config
     *     file); a host with its own {@code DataSource} may leave it out
     * @throws ConfigException naming the key when the settings are not valid
     */
    public SettingsMapper(Mqtt2TdengineSettings settings, boolean requireUrl) {
        this.settings = settings;
        String level = settings.logLevel() == null ? DEFAULT_LOG_LEVEL : settings.logLevel().toLowerCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(level)) {
            throw new ConfigException("logLevel must be one of error, warn, info, debug, trace, but was '" + level
                    + "'");
        }
        this.logLevel = level;
        MqttSettings m = settings.mqtt();
        if (m == null) {
            throw new ConfigException("mqtt is required");
        }
        TlsSettings t = m.tls();
        this.tls = t != null && !Boolean.FALSE.equals(t.enabled()) ? tls(t) : null;
        apply("mqtt", () -> mqtt().build());
        TdengineSettings td = settings.tdengine();
        if (td != null) {
            if (requireUrl && td.url() == null) {
                throw new ConfigException("tdengine.url is required");
            }
            apply("tdengine", () -> (td.url() != null ? tdengine(td) : tdengine(td).dryRun(sql -> { })).build());
        }
        List<RouteSettings> routes = settings.routes() == null ? List.of() : settings.routes();
        if (settings.parser() == null && routes.isEmpty()) {
            throw new ConfigException("parser is required (or routes)");
        }
        List<Mapping> list = new ArrayList<>();
        SyncPipeline.Builder probe = options();
        if (settings.parser() != null) {
            PayloadSpec spec = spec("parser", settings.parser());
            apply("parser", () -> probe.payload(spec));
            list.add(new Mapping(SyncPipeline.Builder.DEFAULT_ROUTE, spec, true));
        }
        for (int i = 0; i < routes.size(); i++) {
            String where = "routes[" + i + "]";
            RouteSettings r = routes.get(i);
            if (r == null) {
                throw new ConfigException(where + " must be an object, but was null");
            }
            String filter = required(where + ".topicFilter", r.topicFilter());
            PayloadSpec spec = spec(where + ".parser", required(where + ".parser", r.parser()));
            apply(where + ".topicFilter", () -> probe.route(filter, spec));
            list.add(new Mapping(filter, spec, false));
        }
        this.mappings = List.copyOf(list);
        MetricsSettings metrics = settings.metrics();
        if (metrics != null && metrics.port() != null && (metrics.port() < 0 || metrics.port() > 65_535)) {
            throw new ConfigException("metrics.port must be 0 (any free port) to 65535, but was " + metrics.port());
        }
    }

    /**
     * Returns the settings.
     *
     * @return the settings
     */
    public Mqtt2TdengineSettings settings() {
        return settings;
    }

    /**
     * Returns the log level, in lower case.
     *
     * @return the level
     */
    public String logLevel() {
        return logLevel;
    }

    /**
     * Returns the pipeline name.
     *
     * @return the name, {@link SyncPipeline.Builder#DEFAULT_NAME} unless set
     */
    public String name() {
        return settings.name() == null ? SyncPipeline.Builder.DEFAULT_NAME : settings.name();
    }

    /**
     * Returns a new MQTT transport builder set up from {@code mqtt}.
     *
     * @return the builder
     */
    public MqttTransport.Builder mqtt() {
        MqttSettings m = settings.mqtt();
        MqttTransport.Builder b = MqttTransport.builder();
        String endpoint = required("mqtt.endpoint", m.endpoint());
        apply("mqtt.endpoint", () -> b.endpoint(endpoint));
        set("mqtt.protocolVersion", m.protocolVersion(), b::protocolVersion);
        set("mqtt.clientId", m.clientId(), b::clientId);
        set("mqtt.keepAliveSeconds", m.keepAliveSeconds(), v -> b.keepAlive(Duration.ofSeconds(v)));
        set("mqtt.cleanSession", m.cleanSession(), b::cleanSession);
        set("mqtt.sessionExpirySeconds", m.sessionExpirySeconds(), v -> b.sessionExpiry(Duration.ofSeconds(v)));
        String topics = required("mqtt.topics", m.topics());
        apply("mqtt.topics", () -> b.topics(topics));
        if (m.username() != null) {
            apply("mqtt.username", () -> b.credentials(m.username(), m.password()));
        } else if (m.password() != null) {
            throw new ConfigException("mqtt.password is set without mqtt.username");
        }
        if (tls != null) {
            b.tls(tls);
        }
        set("mqtt.webSocketPath", m.webSocketPath(), b::webSocket);
        set("mqtt.connectTimeoutSeconds", m.connectTimeoutSeconds(), v -> b.connectTimeout(Duration.ofSeconds(v)));
        if (m.reconnectInitialMillis() != null || m.reconnectMaxMillis() != null) {
            Duration initial = m.reconnectInitialMillis() != null ? Duration.ofMillis(m.reconnectInitialMillis())
                    : MqttTransport.Builder.DEFAULT_RECONNECT_INITIAL;
            Duration max = m.reconnectMaxMillis() != null ? Duration.ofMillis(m.reconnectMaxMillis())
                    : MqttTransport.Builder.DEFAULT_RECONNECT_MAX;
            apply(m.reconnectInitialMillis() != null ? "mqtt.reconnectInitialMillis" : "mqtt.reconnectMaxMillis",
                    () -> b.reconnectBackoff(initial, max));
        }
        // 0: the pipeline's in-flight bound (the builder's receiveMaximumFromPipeline())
        set("mqtt.receiveMaximum", m.receiveMaximum(), v -> {
            if (v == 0) {
                b.receiveMaximumFromPipeline();
            } else {
                b.receiveMaximum(v);
            }
        });
        return b;
    }

    private static TlsConfig tls(TlsSettings t) {
        TlsConfig.Builder b = TlsConfig.builder();
        set("mqtt.tls.ca", contentOrFile("mqtt.tls.ca", t.ca()), b::caPem);
        set("mqtt.tls.clientCert", contentOrFile("mqtt.tls.clientCert", t.clientCert()), b::clientCertPem);
        set("mqtt.tls.clientKey", contentOrFile("mqtt.tls.clientKey", t.clientKey()), b::clientKeyPem);
        set("mqtt.tls.hostnameVerification", t.hostnameVerification(), b::hostnameVerification);
        return apply("mqtt.tls", b::build);
    }

    /** A string, or the contents of a file when it starts with '@' (PEM material). */
    private static String contentOrFile(String key, String s) {
        if (s == null || !s.startsWith("@")) {
            return s;
        }
        Path file = Path.of(s.substring(1));
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(key + ": file '" + file + "' cannot be read: " + e, e);
        }
    }

    /**
     * Returns a new TDengine sink builder set up from {@code tdengine}, or null when there is no such section.
     *
     * @return the builder, or null
     */
    public TDengineSink.Builder tdengine() {
        return settings.tdengine() == null ? null : tdengine(settings.tdengine());
    }

    private static TDengineSink.Builder tdengine(TdengineSettings t) {
        TDengineSink.Builder b = TDengineSink.builder();
        set("tdengine.url", t.url(), b::jdbcUrl);
        set("tdengine.database", t.database(), b::database);
        if (t.user() != null) {
            apply("tdengine.user", () -> b.credentials(t.user(), t.password()));
        }
        if (t.createDatabase() != null) {
            TimePrecision precision = apply("tdengine.createDatabase", () -> TimePrecision.fromSqlName(
                    t.createDatabase()));
            b.createDatabase(precision);
        }
        b.schemaPolicy(t.schemaPolicy() != null ? t.schemaPolicy() : SchemaPolicy.CHECK);
        set("tdengine.maxSqlBytes", t.maxSqlBytes(), b::maxSqlBytes);
        set("tdengine.knownSubTables", t.knownSubTables(), b::knownSubTables);
        b.writeMode(t.writeMode() != null ? t.writeMode() : TDengineSink.Builder.DEFAULT_WRITE_MODE);
        return b;
    }

    /**
     * Returns a new pipeline builder with the name, the options and the mappings, each spec passed through a function.
     *
     * @param specs called per mapping with its topic filter and spec; returns the spec to use
     * @return the builder, without source and sink
     */
    public SyncPipeline.Builder pipeline(BiFunction<String, PayloadSpec, PayloadSpec> specs) {
        SyncPipeline.Builder b = options();
        for (Mapping m : mappings) {
            PayloadSpec spec = Objects.requireNonNull(specs.apply(m.topicFilter(), m.spec()),
                    "the spec function returned null for topic filter '" + m.topicFilter() + "'");
            if (m.isDefault()) {
                b.payload(spec);
            } else {
                b.route(m.topicFilter(), spec);
            }
        }
        return b;
    }

    /** A pipeline builder with the name and the {@code pipeline} options. */
    private SyncPipeline.Builder options() {
        SyncPipeline.Builder b = SyncPipeline.builder();
        set("name", settings.name(), b::name);
        PipelineSettings p = settings.pipeline();
        if (p == null) {
            return b;
        }
        if (p.batchMaxRows() != null || p.batchMaxAgeMillis() != null) {
            int rows = p.batchMaxRows() != null ? p.batchMaxRows() : SyncPipeline.Builder.DEFAULT_BATCH_MAX_ROWS;
            Duration age = p.batchMaxAgeMillis() != null ? Duration.ofMillis(p.batchMaxAgeMillis())
                    : SyncPipeline.Builder.DEFAULT_BATCH_MAX_AGE;
            apply(p.batchMaxRows() != null ? "pipeline.batchMaxRows" : "pipeline.batchMaxAgeMillis",
                    () -> b.batching(rows, age));
        }
        set("pipeline.batchIdleMillis", p.batchIdleMillis(), v -> b.batchIdle(Duration.ofMillis(v)));
        set("pipeline.batchGrowth", p.batchGrowth(), b::batchGrowth);
        set("pipeline.maxInFlight", p.maxInFlight(), b::maxInFlight);
        set("pipeline.writers", p.writers(), b::writers);
        if (p.retryInitialMillis() != null || p.retryMaxMillis() != null) {
            Duration from = p.retryInitialMillis() != null ? Duration.ofMillis(p.retryInitialMillis())
                    : SyncPipeline.Builder.DEFAULT_RETRY_INITIAL_BACKOFF;
            Duration to = p.retryMaxMillis() != null ? Duration.ofMillis(p.retryMaxMillis())
                    : SyncPipeline.Builder.DEFAULT_RETRY_MAX_BACKOFF;
            apply(p.retryInitialMillis() != null ? "pipeline.retryInitialMillis" : "pipeline.retryMaxMillis",
                    () -> b.retryBackoff(from, to));
        }
        // -1: retry for ever (the builder's retryForever())
        set("pipeline.maxRetries", p.maxRetries(), v -> {
            if (v == -1) {
                b.retryForever();
            } else {
                b.maxRetries(v);
            }
        });
        set("pipeline.shutdownTimeoutSeconds", p.shutdownTimeoutSeconds(),
                v -> b.shutdownTimeout(Duration.ofSeconds(v)));
        set("pipeline.stallWarningMillis", p.stallWarningMillis(), v -> b.stallWarning(Duration.ofMillis(v)));
        set("pipeline.badMessagePolicy", p.badMessagePolicy(), b::badMessagePolicy);
        return b;
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

    private static PayloadSpec spec(String where, ParserSettings p) {
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

    private static <T> T required(String key, T value) {
        if (value == null) {
            throw new ConfigException(key + " is required");
        }
        return value;
    }

    private static <T> void set(String key, T value, Consumer<T> setter) {
        if (value != null) {
            apply(key, () -> setter.accept(value));
        }
    }

    /** Runs a builder call, turning its rejection into a ConfigException naming the key. */
    private static void apply(String key, Runnable call) {
        try {
            call.run();
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            if (e instanceof ConfigException c) {
                throw c;
            }
            throw new ConfigException(key + ": " + e.getMessage(), e);
        }
    }

    private static <T> T apply(String key, Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            if (e instanceof ConfigException c) {
                throw c;
            }
            throw new ConfigException(key + ": " + e.getMessage(), e);
        }
    }
}
