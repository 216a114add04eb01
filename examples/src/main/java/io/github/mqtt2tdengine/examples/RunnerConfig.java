package io.github.mqtt2tdengine.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mqtt2tdengine.BadMessagePolicy;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.mqtt.HiveMqTransport;
import io.github.mqtt2tdengine.mqtt.TlsConfig;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.Field;
import io.github.mqtt2tdengine.payload.FieldScope;
import io.github.mqtt2tdengine.payload.FieldTarget;
import io.github.mqtt2tdengine.payload.NonFiniteNumberPolicy;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.StringOverflowPolicy;
import io.github.mqtt2tdengine.payload.TableNamePolicy;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.payload.TimestampCollisionPolicy;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import io.github.mqtt2tdengine.tdengine.SchemaPolicy;
import io.github.mqtt2tdengine.tdengine.TDengineSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The runner's config file: the seed's form as JSON (see the README's configuration table), turned into the library's
 * builders. Every error names the key.
 */
public final class RunnerConfig {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final HiveMqTransport.Builder mqtt;
    private final TDengineSink.Builder tdengine;
    private final SyncPipeline.Builder pipeline;
    private final String logLevel;

    private RunnerConfig(String name, HiveMqTransport.Builder mqtt, TDengineSink.Builder tdengine,
            SyncPipeline.Builder pipeline, String logLevel) {
        this.name = name;
        this.mqtt = mqtt;
        this.tdengine = tdengine;
        this.pipeline = pipeline;
        this.logLevel = logLevel;
    }

    /**
     * Reads a config file.
     *
     * @param file the JSON file
     * @return the config
     * @throws ConfigException naming the key when the file is not valid
     */
    public static RunnerConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("config file '" + file + "' cannot be read: " + e, e);
        }
        return parse(text);
    }

    /**
     * Reads only the {@code logLevel} of a config file, without building anything (so without creating loggers).
     *
     * @param file the JSON file
     * @return the level, {@code info} when absent or unreadable (load() reports the file's errors)
     */
    public static String peekLogLevel(Path file) {
        try {
            JsonNode level = JSON.readTree(Files.readString(file)).get("logLevel");
            return level != null && level.isTextual() ? level.textValue().toLowerCase(Locale.ROOT) : "info";
        } catch (IOException | RuntimeException e) {
            return "info";
        }
    }

    /**
     * Parses config text.
     *
     * @param text the JSON
     * @return the config
     * @throws ConfigException naming the key when the text is not valid
     */
    public static RunnerConfig parse(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException("config is not valid JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new ConfigException("config is empty");
        }
        ConfigNode c = new ConfigNode("", root);
        String name = c.string("name", SyncPipeline.Builder.DEFAULT_NAME);
        String logLevel = c.string("logLevel", "info").toLowerCase(Locale.ROOT);
        if (!List.of("error", "warn", "info", "debug", "trace").contains(logLevel)) {
            throw new ConfigException("logLevel must be one of error, warn, info, debug, trace, but was '" + logLevel
                    + "'");
        }
        ConfigNode m = require(c, "mqtt");
        HiveMqTransport.Builder mqtt = mqtt(m);
        ConfigNode t = require(c, "tdengine");
        TDengineSink.Builder td = tdengine(t);
        SyncPipeline.Builder p = SyncPipeline.builder();
        apply(c.key("name"), () -> p.name(name));
        ConfigNode parser = c.object("parser");
        List<ConfigNode> routes = c.objects("routes");
        if (parser == null && routes.isEmpty()) {
            throw new ConfigException("parser is required (or routes)");
        }
        if (parser != null) {
            PayloadSpec spec = spec(parser);
            apply("parser", () -> p.payload(spec));
        }
        for (ConfigNode r : routes) {
            String filter = r.requiredString("topicFilter");
            PayloadSpec spec = spec(require(r, "parser"));
            apply(r.key("topicFilter"), () -> p.route(filter, spec));
            r.noUnknownKeys();
        }
        ConfigNode pl = c.object("pipeline");
        if (pl != null) {
            pipelineOptions(pl, p);
        }
        c.noUnknownKeys();
        return new RunnerConfig(name, mqtt, td, p, logLevel);
    }

    private static ConfigNode require(ConfigNode c, String key) {
        ConfigNode n = c.object(key);
        if (n == null) {
            throw new ConfigException(c.key(key) + " is required");
        }
        return n;
    }

    /** Runs a builder call, turning its IllegalArgumentException into a ConfigException naming the key. */
    private static void apply(String key, Runnable call) {
        try {
            call.run();
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            throw new ConfigException(key + ": " + e.getMessage(), e);
        }
    }

    private static <T> T apply(String key, Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            throw new ConfigException(key + ": " + e.getMessage(), e);
        }
    }

    private static HiveMqTransport.Builder mqtt(ConfigNode m) {
        HiveMqTransport.Builder b = HiveMqTransport.builder();
        String endpoint = m.requiredString("endpoint");
        apply(m.key("endpoint"), () -> b.endpoint(endpoint));
        set(m, "protocolVersion", m.string("protocolVersion", null), b::protocolVersion);
        set(m, "clientId", m.string("clientId", null), b::clientId);
        Integer keepAlive = m.integer("keepAliveSeconds", null);
        if (keepAlive != null) {
            apply(m.key("keepAliveSeconds"), () -> b.keepAlive(Duration.ofSeconds(keepAlive)));
        }
        Boolean clean = m.bool("cleanSession", null);
        if (clean != null) {
            b.cleanSession(clean);
        }
        Integer expiry = m.integer("sessionExpirySeconds", null);
        if (expiry != null) {
            apply(m.key("sessionExpirySeconds"), () -> b.sessionExpiry(Duration.ofSeconds(expiry)));
        }
        String topics = m.requiredString("topics");
        apply(m.key("topics"), () -> b.topics(topics));
        String user = m.string("username", null);
        String password = m.string("password", null);
        if (user != null) {
            b.credentials(user, password);
        } else if (password != null) {
            throw new ConfigException(m.key("password") + " is set without " + m.key("username"));
        }
        ConfigNode tls = m.object("tls");
        if (tls != null && tls.bool("enabled", Boolean.TRUE)) {
            TlsConfig.Builder tb = TlsConfig.builder();
            set(tls, "ca", tls.contentOrFile("ca"), tb::caPem);
            set(tls, "clientCert", tls.contentOrFile("clientCert"), tb::clientCertPem);
            set(tls, "clientKey", tls.contentOrFile("clientKey"), tb::clientKeyPem);
            Boolean verify = tls.bool("hostnameVerification", null);
            if (verify != null) {
                tb.hostnameVerification(verify);
            }
            tls.noUnknownKeys();
            b.tls(apply(tls.where(), tb::build));
        } else if (tls != null) {
            tls.has("ca");
            tls.has("clientCert");
            tls.has("clientKey");
            tls.bool("hostnameVerification", null);
            tls.noUnknownKeys();
        }
        set(m, "webSocketPath", m.string("webSocketPath", null), b::webSocket);
        Integer connectTimeout = m.integer("connectTimeoutSeconds", null);
        if (connectTimeout != null) {
            apply(m.key("connectTimeoutSeconds"), () -> b.connectTimeout(Duration.ofSeconds(connectTimeout)));
        }
        Integer reconnectInitial = m.integer("reconnectInitialMillis", null);
        Integer reconnectMax = m.integer("reconnectMaxMillis", null);
        if (reconnectInitial != null || reconnectMax != null) {
            apply(m.key("reconnectInitialMillis"), () -> b.reconnectBackoff(
                    Duration.ofMillis(reconnectInitial != null ? reconnectInitial
                            : HiveMqTransport.Builder.DEFAULT_RECONNECT_INITIAL.toMillis()),
                    Duration.ofMillis(reconnectMax != null ? reconnectMax
                            : HiveMqTransport.Builder.DEFAULT_RECONNECT_MAX.toMillis())));
        }
        Integer receiveMaximum = m.integer("receiveMaximum", null);
        if (receiveMaximum != null) {
            apply(m.key("receiveMaximum"), () -> b.receiveMaximum(receiveMaximum));
        }
        m.noUnknownKeys();
        apply(m.where(), b::build);
        return b;
    }

    private static <T> void set(ConfigNode n, String key, T value, Consumer<T> setter) {
        if (value != null) {
            apply(n.key(key), () -> setter.accept(value));
        }
    }

    private static TDengineSink.Builder tdengine(ConfigNode t) {
        TDengineSink.Builder b = TDengineSink.builder();
        String url = t.requiredString("url");
        apply(t.key("url"), () -> b.jdbcUrl(url));
        set(t, "database", t.string("database", null), b::database);
        String user = t.string("user", null);
        String password = t.string("password", null);
        if (user != null) {
            b.credentials(user, password);
        }
        String create = t.string("createDatabase", null);
        if (create != null) {
            apply(t.key("createDatabase"), () -> b.createDatabase(TimePrecision.fromSqlName(create)));
        }
        b.schemaPolicy(t.enumValue("schemaPolicy", SchemaPolicy.class, SchemaPolicy.CHECK));
        Integer maxSql = t.integer("maxSqlBytes", null);
        if (maxSql != null) {
            apply(t.key("maxSqlBytes"), () -> b.maxSqlBytes(maxSql));
        }
        t.noUnknownKeys();
        apply(t.where(), b::build);
        return b;
    }

    private static PayloadSpec spec(ConfigNode p) {
        PayloadSpec.Builder b = PayloadSpec.json();
        if (p.has("ts")) {
            String ts = p.string("ts", null);
            apply(p.key("ts"), () -> b.receiveTimeColumn(ts));
        } else if (p.bool("withoutReceiveTime", Boolean.FALSE)) {
            b.withoutReceiveTime();
        }
        p.bool("withoutReceiveTime", null);
        ConfigNode topic = p.object("topic");
        if (topic != null) {
            FieldTarget as = topic.enumValue("as", FieldTarget.class, FieldTarget.IGNORE);
            String name = topic.string("name", PayloadSpec.DEFAULT_TOPIC_NAME);
            ColumnType type = type(topic, "type", PayloadSpec.DEFAULT_TOPIC_TYPE);
            apply(topic.where(), () -> b.topic(as, name, type));
            topic.noUnknownKeys();
        }
        ConfigNode qos = p.object("qos");
        if (qos != null) {
            FieldTarget as = qos.enumValue("as", FieldTarget.class, FieldTarget.IGNORE);
            String name = qos.string("name", PayloadSpec.DEFAULT_QOS_NAME);
            apply(qos.where(), () -> b.qos(as, name));
            qos.noUnknownKeys();
        }
        for (ConfigNode f : p.objects("fields")) {
            b.field(field(f));
        }
        set(p, "split", p.string("split", null), b::split);
        set(p, "subTable", p.string("subTable", null), b::subTableTemplate);
        set(p, "superTable", p.string("superTable", null), b::superTable);
        ConfigNode policies = p.object("policies");
        if (policies != null) {
            b.timestampCollisionPolicy(policies.enumValue("timestampCollision", TimestampCollisionPolicy.class,
                    TimestampCollisionPolicy.SHIFT));
            b.tableNamePolicy(policies.enumValue("tableName", TableNamePolicy.class, TableNamePolicy.REPLACE));
            String replacement = policies.string("nameReplacement", null);
            if (replacement != null) {
                if (replacement.length() != 1) {
                    throw new ConfigException(policies.key("nameReplacement") + " must be one character, but was '"
                            + replacement + "'");
                }
                apply(policies.key("nameReplacement"), () -> b.nameReplacement(replacement.charAt(0)));
            }
            b.stringOverflowPolicy(policies.enumValue("stringOverflow", StringOverflowPolicy.class,
                    StringOverflowPolicy.REJECT));
            b.nonFiniteNumberPolicy(policies.enumValue("nonFiniteNumber", NonFiniteNumberPolicy.class,
                    NonFiniteNumberPolicy.REJECT));
            policies.noUnknownKeys();
        }
        Integer maxPayload = p.integer("maxPayloadBytes", null);
        if (maxPayload != null) {
            apply(p.key("maxPayloadBytes"), () -> b.maxPayloadBytes(maxPayload));
        }
        p.noUnknownKeys();
        return apply(p.where(), b::build);
    }

    private static Field field(ConfigNode f) {
        String name = f.requiredString("name");
        Field.Builder b = apply(f.key("name"), () -> Field.builder(name));
        String path = f.string("path", null);
        Integer level = f.integer("topicLevel", null);
        if (path != null && level != null) {
            throw new ConfigException(f.where() + ": give path or topicLevel, not both");
        }
        set(f, "path", path, b::path);
        if (level != null) {
            apply(f.key("topicLevel"), () -> b.topicLevel(level));
        }
        ColumnType type = type(f, "type", null);
        if (type == null) {
            throw new ConfigException(f.key("type") + " is required");
        }
        b.type(type);
        b.target(f.enumValue("as", FieldTarget.class, FieldTarget.COLUMN));
        b.required(f.bool("required", Boolean.FALSE));
        b.primaryKey(f.bool("primaryKey", Boolean.FALSE));
        b.unit(f.enumValue("unit", TimestampUnit.class, TimestampUnit.AUTO));
        b.scope(f.enumValue("scope", FieldScope.class, FieldScope.ELEMENT));
        f.noUnknownKeys();
        return apply(f.where(), b::build);
    }

    private static ColumnType type(ConfigNode n, String key, ColumnType fallback) {
        String text = n.string(key, null);
        return text == null ? fallback : apply(n.key(key), () -> ColumnType.parse(text));
    }

    private static void pipelineOptions(ConfigNode pl, SyncPipeline.Builder p) {
        Integer rows = pl.integer("batchMaxRows", SyncPipeline.Builder.DEFAULT_BATCH_MAX_ROWS);
        Integer age = pl.integer("batchMaxAgeMillis", (int) SyncPipeline.Builder.DEFAULT_BATCH_MAX_AGE.toMillis());
        apply(pl.key("batchMaxRows"), () -> p.batching(rows, Duration.ofMillis(age)));
        Integer idle = pl.integer("batchIdleMillis", null);
        if (idle != null) {
            apply(pl.key("batchIdleMillis"), () -> p.batchIdle(Duration.ofMillis(idle)));
        }
        Integer inFlight = pl.integer("maxInFlight", null);
        if (inFlight != null) {
            apply(pl.key("maxInFlight"), () -> p.maxInFlight(inFlight));
        }
        Integer writers = pl.integer("writers", null);
        if (writers != null) {
            apply(pl.key("writers"), () -> p.writers(writers));
        }
        Integer initial = pl.integer("retryInitialMillis", null);
        Integer max = pl.integer("retryMaxMillis", null);
        if (initial != null || max != null) {
            apply(pl.key("retryInitialMillis"), () -> p.retryBackoff(
                    Duration.ofMillis(initial != null ? initial
                            : SyncPipeline.Builder.DEFAULT_RETRY_INITIAL_BACKOFF.toMillis()),
                    Duration.ofMillis(max != null ? max : SyncPipeline.Builder.DEFAULT_RETRY_MAX_BACKOFF.toMillis())));
        }
        Integer retries = pl.integer("maxRetries", null);
        if (retries != null) {
            apply(pl.key("maxRetries"), () -> p.maxRetries(retries));
        }
        Integer shutdown = pl.integer("shutdownTimeoutSeconds", null);
        if (shutdown != null) {
            apply(pl.key("shutdownTimeoutSeconds"), () -> p.shutdownTimeout(Duration.ofSeconds(shutdown)));
        }
        p.badMessagePolicy(pl.enumValue("badMessagePolicy", BadMessagePolicy.class, BadMessagePolicy.DEAD_LETTER));
        pl.noUnknownKeys();
    }

    /**
     * Returns the pipeline name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the log level from the file.
     *
     * @return error, warn, info, debug or trace
     */
    public String logLevel() {
        return logLevel;
    }

    /**
     * Returns the MQTT transport builder the file describes.
     *
     * @return the builder
     */
    public HiveMqTransport.Builder mqtt() {
        return mqtt;
    }

    /**
     * Returns the TDengine sink builder the file describes.
     *
     * @return the builder
     */
    public TDengineSink.Builder tdengine() {
        return tdengine;
    }

    /**
     * Returns the pipeline builder (mappings and options; source and sink still to set).
     *
     * @return the builder
     */
    public SyncPipeline.Builder pipeline() {
        return pipeline;
    }
}
