package io.github.mqtt2tdengine.runner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mqtt2tdengine.BadMessagePolicy;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.mqtt.MqttTransport;
import io.github.mqtt2tdengine.mqtt.TlsConfig;
import io.github.mqtt2tdengine.payload.ColumnType;
import io.github.mqtt2tdengine.payload.Compression;
import io.github.mqtt2tdengine.payload.Field;
import io.github.mqtt2tdengine.payload.FieldScope;
import io.github.mqtt2tdengine.payload.FieldTarget;
import io.github.mqtt2tdengine.payload.NonFiniteNumberPolicy;
import io.github.mqtt2tdengine.payload.PayloadPolicies;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.StringOverflowPolicy;
import io.github.mqtt2tdengine.payload.TableNamePolicy;
import io.github.mqtt2tdengine.payload.TagChangePolicy;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.payload.TimestampCollisionPolicy;
import io.github.mqtt2tdengine.payload.TimestampUnit;
import io.github.mqtt2tdengine.tdengine.SchemaPolicy;
import io.github.mqtt2tdengine.tdengine.TDengineSink;
import io.github.mqtt2tdengine.tdengine.WriteMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pipeline described by a JSON config file, the file the runner takes with {@code --config}: the TDengine Cloud
 * MQTT data source form as JSON (sections {@code mqtt}, {@code tdengine}, {@code parser} or {@code routes},
 * {@code pipeline}; see the README's configuration table), turned into the library's builders.
 *
 * <p>A host application loads the file and still adds its own sink, listener and dead-letter handler, or overrides
 * any option:
 * <pre>{@code
 * SyncPipeline pipeline = PipelineConfig.load(Path.of("meters.json"))
 *         .toPipelineBuilder()            // source, mapping and options from the file
 *         .sink(mySink)                   // instead of (or without) the file's tdengine section
 *         .listener(myListener)
 *         .build();
 * pipeline.start();
 * }</pre>
 *
 * <p>The whole file is checked when it is loaded: unknown keys, wrong types and values a builder rejects are errors
 * naming the key ({@link ConfigException}). Rules that need the source and the sink (for example a sub-table template
 * naming an unknown field of a route) are checked by {@link SyncPipeline.Builder#build()} as usual. PEM files named
 * with {@code @path} in the {@code tls} section are read once, when the file is loaded.
 *
 * <p>Instances are immutable and thread-safe. Every method returning a builder returns a new builder, set up as the
 * file says, so a host may change it freely without affecting later calls or other callers.
 *
 * @since 0.1.0
 */
public final class PipelineConfig {
    /** The log levels a config may name, in this order: error, warn, info, debug, trace. */
    static final List<String> LOG_LEVELS = List.of("error", "warn", "info", "debug", "trace");
    /** The log level when the file has no {@code logLevel}. */
    static final String DEFAULT_LOG_LEVEL = "info";

    private static final Logger LOG = LoggerFactory.getLogger(PipelineConfig.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final String logLevel;
    private final Recipe<MqttTransport.Builder> mqtt;
    private final Recipe<TDengineSink.Builder> tdengine;
    private final Recipe<SyncPipeline.Builder> pipeline;
    private final List<Mapping> mappings;
    private final Integer metricsPort;
    private final String metricsHost;

    /** A mapping of the file: {@code parser} (the default) or one of {@code routes}. */
    private record Mapping(String topicFilter, PayloadSpec spec, boolean isDefault) {
    }

    private PipelineConfig(String name, String logLevel, Recipe<MqttTransport.Builder> mqtt,
            Recipe<TDengineSink.Builder> tdengine, Recipe<SyncPipeline.Builder> pipeline, List<Mapping> mappings,
            Integer metricsPort, String metricsHost) {
        this.mappings = mappings;
        this.name = name;
        this.logLevel = logLevel;
        this.mqtt = mqtt;
        this.tdengine = tdengine;
        this.pipeline = pipeline;
        this.metricsPort = metricsPort;
        this.metricsHost = metricsHost;
    }

    /** The address the runner's metrics endpoint binds to when the config does not name one. */
    public static final String DEFAULT_METRICS_HOST = "127.0.0.1";

    /**
     * Reads and checks a config file (UTF-8 JSON). Runs on the caller's thread and blocks while it reads the file
     * and the PEM files the file names.
     *
     * @param file the JSON file
     * @return the config
     * @throws ConfigException when the file cannot be read or is not valid; the message names the file or the key
     * @throws NullPointerException when {@code file} is null
     * @since 0.1.0
     */
    public static PipelineConfig load(Path file) {
        Objects.requireNonNull(file, "file must not be null");
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("config file '" + file + "' cannot be read: " + e, e);
        }
        return parse(text);
    }

    /**
     * Reads and checks config text: the contents of a config file, as a host may hold it in memory (from a
     * configuration service, a classpath resource, a test). Runs on the caller's thread; blocks only to read the PEM
     * files the text names with {@code @path}.
     *
     * @param json the JSON text
     * @return the config
     * @throws ConfigException when the text is not valid; the message names the key
     * @throws NullPointerException when {@code json} is null
     * @since 0.1.0
     */
    public static PipelineConfig parse(String json) {
        Objects.requireNonNull(json, "json must not be null");
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ConfigException("config is not valid JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new ConfigException("config is empty");
        }
        return parse(new ConfigNode("", root));
    }

    /**
     * Reads and checks a config given as a tree of maps, lists and scalars, as a properties source binds it (Spring
     * Boot's {@code mqtt2tdengine.*}, a YAML document): the same keys as the file, matched ignoring case, dashes and
     * underscores ({@code client-id}, {@code clientId} and {@code CLIENTID} alike), and numbers and booleans may be
     * text ({@code "1883"}, {@code "true"}), as properties are. Blocks only to read the PEM files it names.
     *
     * @param tree the config, its top level as the file's
     * <p>Unlike the file, {@code tdengine.url} may be left out when the host brings its own connections: the builder
     * {@link #tdengine()} returns then needs {@code dataSource(...)} before {@code build()}.
     *
     * @return the config
     * @throws ConfigException when the tree is not valid; the message names the key
     * @throws NullPointerException when {@code tree} is null
     * @since 0.1.0
     */
    public static PipelineConfig fromTree(Map<String, ?> tree) {
        Objects.requireNonNull(tree, "tree must not be null");
        if (tree.isEmpty()) {
            throw new ConfigException("config is empty");
        }
        JsonNode root;
        try {
            root = JSON.valueToTree(tree);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("config tree cannot be read: " + e.getMessage(), e);
        }
        return parse(new ConfigNode("", root, true));
    }

    private static PipelineConfig parse(ConfigNode c) {
        String name = c.string("name", SyncPipeline.Builder.DEFAULT_NAME);
        String logLevel = c.string("logLevel", DEFAULT_LOG_LEVEL).toLowerCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(logLevel)) {
            throw new ConfigException("logLevel must be one of error, warn, info, debug, trace, but was '" + logLevel
                    + "'");
        }
        Recipe<MqttTransport.Builder> mqtt = mqtt(require(c, "mqtt"));
        ConfigNode t = c.object("tdengine");
        Recipe<TDengineSink.Builder> td = t == null ? null : tdengine(t);
        Recipe<SyncPipeline.Builder> p = new Recipe<>(SyncPipeline::builder);
        p.call(c.key("name"), b -> b.name(name));
        ConfigNode parser = c.object("parser");
        List<ConfigNode> routes = c.objects("routes");
        if (parser == null && routes.isEmpty()) {
            throw new ConfigException("parser is required (or routes)");
        }
        List<Mapping> mappings = new ArrayList<>();
        if (parser != null) {
            PayloadSpec spec = spec(parser);
            apply("parser", () -> p.probe().payload(spec));
            mappings.add(new Mapping(SyncPipeline.Builder.DEFAULT_ROUTE, spec, true));
        }
        for (ConfigNode r : routes) {
            String filter = r.requiredString("topicFilter");
            PayloadSpec spec = spec(require(r, "parser"));
            apply(r.key("topicFilter"), () -> p.probe().route(filter, spec));
            mappings.add(new Mapping(filter, spec, false));
            r.noUnknownKeys();
        }
        ConfigNode pl = c.object("pipeline");
        if (pl != null) {
            pipelineOptions(pl, p);
        }
        ConfigNode metrics = c.object("metrics");
        Integer metricsPort = null;
        String metricsHost = DEFAULT_METRICS_HOST;
        if (metrics != null) {
            metricsPort = metrics.integer("port", null);
            if (metricsPort != null && (metricsPort < 0 || metricsPort > 65_535)) {
                throw new ConfigException(metrics.key("port") + " must be 0 (any free port) to 65535, but was "
                        + metricsPort);
            }
            metricsHost = metrics.string("host", DEFAULT_METRICS_HOST);
            metrics.noUnknownKeys();
        }
        c.noUnknownKeys();
        return new PipelineConfig(name, logLevel, mqtt, td, p, List.copyOf(mappings), metricsPort, metricsHost);
    }

    /**
     * Reads only the {@code logLevel} of a config file, without building anything (so without creating loggers): the
     * runner sets the level before the first logger exists.
     *
     * @param file the JSON file
     * @return the level, {@value #DEFAULT_LOG_LEVEL} when absent or unreadable ({@link #load} reports the file's
     *     errors)
     */
    static String peekLogLevel(Path file) {
        try {
            JsonNode level = JSON.readTree(Files.readString(file)).get("logLevel");
            return level != null && level.isTextual() ? level.textValue().toLowerCase(Locale.ROOT)
                    : DEFAULT_LOG_LEVEL;
        } catch (IOException | RuntimeException e) {
            return DEFAULT_LOG_LEVEL;
        }
    }

    /**
     * Returns the pipeline name: the file's {@code name}, or {@value SyncPipeline.Builder#DEFAULT_NAME}.
     *
     * @return the name
     * @since 0.1.0
     */
    public String name() {
        return name;
    }

    /**
     * Returns the file's {@code logLevel}, in lower case. The library never configures logging: the runner applies
     * this level; a host may apply it to its own logging backend or ignore it.
     *
     * @return {@code error}, {@code warn}, {@code info} (the default), {@code debug} or {@code trace}
     * @since 0.1.0
     */
    public String logLevel() {
        return logLevel;
    }

    /**
     * Returns the port of the runner's metrics endpoint ({@code metrics.port}): Prometheus text at {@code /metrics}
     * and the health answer at {@code /health}. Hosts that embed the library publish metrics their own way (the
     * Micrometer binder, the Spring Boot starter) and ignore it.
     *
     * @return the port (0: any free port), absent when the endpoint is off (the default)
     * @since 0.1.0
     */
    public OptionalInt metricsPort() {
        return metricsPort == null ? OptionalInt.empty() : OptionalInt.of(metricsPort);
    }

    /**
     * Returns the address the metrics endpoint binds to ({@code metrics.host}).
     *
     * @return the address, {@value #DEFAULT_METRICS_HOST} unless the config names another
     * @since 0.1.0
     */
    public String metricsHost() {
        return metricsHost;
    }

    /**
     * Returns a new MQTT transport builder set up from the {@code mqtt} section (endpoint, protocol, session,
     * topics, credentials, TLS, timeouts). The caller may change it; later calls return new builders.
     *
     * @return a new builder; {@code build()} succeeds on it unchanged
     * @since 0.1.0
     */
    public MqttTransport.Builder mqtt() {
        return mqtt.fresh();
    }

    /**
     * Returns a new TDengine sink builder set up from the {@code tdengine} section, or empty when the file has none
     * (a host that brings its own sink, or the runner's {@code --sink discard} and {@code --dry-run}). The caller may
     * change it, for example add {@code dryRun(...)}; later calls return new builders.
     *
     * @return a new builder whose {@code build()} succeeds unchanged, or empty when the file has no {@code tdengine}
     *     section
     * @since 0.1.0
     */
    public Optional<TDengineSink.Builder> tdengine() {
        return tdengine == null ? Optional.empty() : Optional.of(tdengine.fresh());
    }

    /**
     * Returns a new pipeline builder with what the file says about the pipeline itself: its name, the mapping
     * ({@code parser} and {@code routes}) and the {@code pipeline} options (batching, in-flight bound, writers,
     * retries, shutdown timeout, bad-message policy). Source and sink are not set: see {@link #toPipelineBuilder()}
     * for a builder with both. The caller may change it; later calls return new builders.
     *
     * @return a new builder without source and sink
     * @since 0.1.0
     */
    public SyncPipeline.Builder pipeline() {
        return pipeline((topicFilter, spec) -> spec);
    }

    /**
     * Returns a new pipeline builder as {@link #pipeline()} does, each mapping's payload spec first passed through a
     * function: the place for what a file cannot say, such as a row filter or transform in Java
     * ({@code (filter, spec) -> spec.toBuilder().filter(row -> ...).build()}).
     *
     * @param specs called once per mapping with its topic filter ({@value SyncPipeline.Builder#DEFAULT_ROUTE} for
     *     {@code parser}) and its spec; returns the spec to use (the same one to keep it)
     * @return a new builder without source and sink
     * @throws NullPointerException when {@code specs} is null or returns null
     * @since 0.1.0
     */
    public SyncPipeline.Builder pipeline(BiFunction<String, PayloadSpec, PayloadSpec> specs) {
        Objects.requireNonNull(specs, "specs must not be null");
        SyncPipeline.Builder b = pipeline.fresh();
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

    /**
     * Returns a new pipeline builder with everything the file describes: {@link #pipeline()}, the source built from
     * {@link #mqtt()} and, when the file has a {@code tdengine} section, the sink built from {@link #tdengine()}.
     * Without that section the sink is left unset, and {@code build()} throws {@code IllegalStateException("sink must
     * be set")} until the caller sets one. Anything may be overridden before {@code build()}: {@code sink(...)},
     * {@code source(...)}, {@code listener(...)}, {@code deadLetterHandler(...)}, any option. Nothing connects until
     * the pipeline is started.
     *
     * @return a new builder with the source and, when configured, the sink set
     * @since 0.1.0
     */
    public SyncPipeline.Builder toPipelineBuilder() {
        SyncPipeline.Builder b = pipeline().source(mqtt().build());
        tdengine().ifPresent(td -> b.sink(td.build()));
        return b;
    }

    /**
     * Builder calls recorded while the file is read, each checked then on a probe builder (so an error names its key
     * at load time), and replayed on a new builder for every caller. Filled only while parsing, read-only after.
     */
    private static final class Recipe<B> {
        private final Supplier<B> factory;
        private final B probe;
        private final List<Consumer<B>> steps = new ArrayList<>();

        Recipe(Supplier<B> factory) {
            this.factory = factory;
            this.probe = factory.get();
        }

        /** Applies the call to the probe, turning a rejected argument into a ConfigException naming the key. */
        void call(String key, Consumer<B> step) {
            apply(key, () -> step.accept(probe));
            steps.add(step);
        }

        <T> void set(ConfigNode n, String key, T value, BiConsumer<B, T> setter) {
            if (value != null) {
                call(n.key(key), b -> setter.accept(b, value));
            }
        }

        B probe() {
            return probe;
        }

        B fresh() {
            B b = factory.get();
            for (Consumer<B> step : steps) {
                step.accept(b);
            }
            return b;
        }
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

    private static Recipe<MqttTransport.Builder> mqtt(ConfigNode m) {
        Recipe<MqttTransport.Builder> r = new Recipe<>(MqttTransport::builder);
        String endpoint = m.requiredString("endpoint");
        r.call(m.key("endpoint"), b -> b.endpoint(endpoint));
        r.set(m, "protocolVersion", m.string("protocolVersion", null), (b, v) -> b.protocolVersion(v));
        r.set(m, "clientId", m.string("clientId", null), (b, v) -> b.clientId(v));
        r.set(m, "keepAliveSeconds", m.integer("keepAliveSeconds", null),
                (b, v) -> b.keepAlive(Duration.ofSeconds(v)));
        r.set(m, "cleanSession", m.bool("cleanSession", null), (b, v) -> b.cleanSession(v));
        r.set(m, "sessionExpirySeconds", m.integer("sessionExpirySeconds", null),
                (b, v) -> b.sessionExpiry(Duration.ofSeconds(v)));
        String topics = m.requiredString("topics");
        r.call(m.key("topics"), b -> b.topics(topics));
        String user = m.string("username", null);
        String password = m.string("password", null);
        if (user != null) {
            r.call(m.key("username"), b -> b.credentials(user, password));
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
            TlsConfig config = apply(tls.where(), tb::build);
            r.call(tls.where(), b -> b.tls(config));
        } else if (tls != null) {
            tls.has("ca");
            tls.has("clientCert");
            tls.has("clientKey");
            tls.bool("hostnameVerification", null);
            tls.noUnknownKeys();
        }
        r.set(m, "webSocketPath", m.string("webSocketPath", null), (b, v) -> b.webSocket(v));
        r.set(m, "connectTimeoutSeconds", m.integer("connectTimeoutSeconds", null),
                (b, v) -> b.connectTimeout(Duration.ofSeconds(v)));
        Integer reconnectInitial = m.integer("reconnectInitialMillis", null);
        Integer reconnectMax = m.integer("reconnectMaxMillis", null);
        if (reconnectInitial != null || reconnectMax != null) {
            Duration initial = Duration.ofMillis(reconnectInitial != null ? reconnectInitial
                    : MqttTransport.Builder.DEFAULT_RECONNECT_INITIAL.toMillis());
            Duration max = Duration.ofMillis(reconnectMax != null ? reconnectMax
                    : MqttTransport.Builder.DEFAULT_RECONNECT_MAX.toMillis());
            r.call(m.key("reconnectInitialMillis"), b -> b.reconnectBackoff(initial, max));
        }
        // 0: the pipeline's in-flight bound (the builder's receiveMaximumFromPipeline())
        r.set(m, "receiveMaximum", m.integer("receiveMaximum", null), (b, v) -> {
            if (v == 0) {
                b.receiveMaximumFromPipeline();
            } else {
                b.receiveMaximum(v);
            }
        });
        m.noUnknownKeys();
        apply(m.where(), () -> r.probe().build());
        return r;
    }

    private static <T> void set(ConfigNode n, String key, T value, Consumer<T> setter) {
        if (value != null) {
            apply(n.key(key), () -> setter.accept(value));
        }
    }

    private static Recipe<TDengineSink.Builder> tdengine(ConfigNode t) {
        Recipe<TDengineSink.Builder> r = new Recipe<>(TDengineSink::builder);
        // from properties (a host such as the Spring Boot starter) the url may be left to the host's DataSource
        String url = t.relaxed() ? t.string("url", null) : t.requiredString("url");
        if (url != null) {
            r.call(t.key("url"), b -> b.jdbcUrl(url));
        }
        r.set(t, "database", t.string("database", null), (b, v) -> b.database(v));
        String user = t.string("user", null);
        String password = t.string("password", null);
        if (user != null) {
            r.call(t.key("user"), b -> b.credentials(user, password));
        }
        String create = t.string("createDatabase", null);
        if (create != null) {
            TimePrecision precision = apply(t.key("createDatabase"), () -> TimePrecision.fromSqlName(create));
            r.call(t.key("createDatabase"), b -> b.createDatabase(precision));
        }
        SchemaPolicy schema = t.enumValue("schemaPolicy", SchemaPolicy.class, SchemaPolicy.CHECK);
        r.call(t.key("schemaPolicy"), b -> b.schemaPolicy(schema));
        r.set(t, "maxSqlBytes", t.integer("maxSqlBytes", null), (b, v) -> b.maxSqlBytes(v));
        r.set(t, "knownSubTables", t.integer("knownSubTables", null), (b, v) -> b.knownSubTables(v));
        WriteMode mode = t.enumValue("writeMode", WriteMode.class, TDengineSink.Builder.DEFAULT_WRITE_MODE);
        r.call(t.key("writeMode"), b -> b.writeMode(mode));
        t.noUnknownKeys();
        apply(t.where(), () -> (url != null ? r.probe() : r.fresh().dryRun(sql -> { })).build());
        return r;
    }

    /** The payload formats of {@code parser.format}. */
    static final List<String> FORMATS = List.of("json", "jsonl", "regex", "csv", "plain");

    private static PayloadSpec.Builder format(ConfigNode p) {
        String format = p.string("format", "json").toLowerCase(Locale.ROOT);
        switch (format) {
            case "json":
                return PayloadSpec.json();
            case "jsonl":
                return PayloadSpec.jsonLines();
            case "regex": {
                String pattern = p.requiredString("pattern");
                return apply(p.key("pattern"), () -> PayloadSpec.regex(pattern));
            }
            case "csv": {
                String delimiter = p.string("delimiter", ",");
                if (delimiter.length() != 1) {
                    throw new ConfigException(p.key("delimiter") + " must be one character, but was '" + delimiter
                            + "'");
                }
                List<String> columns = p.strings("columns");
                return apply(p.key("delimiter"), () -> PayloadSpec.csv(delimiter.charAt(0),
                        columns == null ? List.of() : columns));
            }
            case "plain":
                return PayloadSpec.plain(p.string("valueName", "value"));
            default:
                throw new ConfigException(p.key("format") + " must be one of " + FORMATS + ", but was '" + format
                        + "'");
        }
    }

    private static PayloadSpec spec(ConfigNode p) {
        PayloadSpec.Builder b = format(p);
        Compression compression = p.enumValue("compression", Compression.class, Compression.NONE);
        b.compression(compression);
        String charset = p.string("charset", null);
        if (charset != null) {
            Charset cs;
            try {
                cs = Charset.forName(charset);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(p.key("charset") + " '" + charset + "' is not a character set this Java "
                        + "knows (e.g. UTF-8, GBK, GB18030, ISO-8859-1, UTF-16)", e);
            }
            b.charset(cs);
        }
        String filterExpression = p.string("filterExpression", null);
        if (filterExpression != null) {
            apply(p.key("filterExpression"), () -> b.filterExpression(filterExpression));
        }
        String payloadFilter = p.string("payloadFilter", null);
        if (payloadFilter != null) {
            apply(p.key("payloadFilter"), () -> b.payloadFilter(payloadFilter));
        }
        String filter = p.string("filter", null);
        if (filter != null) { // the old, ambiguous key: accepted for one release
            boolean payload = filter.strip().startsWith("$");
            String newKey = payload ? "payloadFilter" : "filterExpression";
            LOG.warn("Config key {} is deprecated and will be removed in the next release; use {} instead",
                    p.key("filter"), p.key(newKey));
            apply(p.key("filter"), () -> payload ? b.payloadFilter(filter) : b.filterExpression(filter));
        }
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
            PayloadPolicies.Nested<PayloadSpec.Builder> pb = b.policies();
            PayloadPolicies d = PayloadPolicies.DEFAULTS;
            pb.timestampCollision(policies.enumValue("timestampCollision", TimestampCollisionPolicy.class,
                    d.timestampCollision()));
            pb.tableName(policies.enumValue("tableName", TableNamePolicy.class, d.tableName()));
            String replacement = policies.string("nameReplacement", null);
            if (replacement != null) {
                if (replacement.length() != 1) {
                    throw new ConfigException(policies.key("nameReplacement") + " must be one character, but was '"
                            + replacement + "'");
                }
                apply(policies.key("nameReplacement"), () -> pb.nameReplacement(replacement.charAt(0)));
            }
            pb.stringOverflow(policies.enumValue("stringOverflow", StringOverflowPolicy.class, d.stringOverflow()));
            pb.nonFiniteNumber(policies.enumValue("nonFiniteNumber", NonFiniteNumberPolicy.class,
                    d.nonFiniteNumber()));
            pb.tagChange(policies.enumValue("tagChange", TagChangePolicy.class, d.tagChange()));
            pb.applyPolicies();
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
        String expr = f.string("expr", null);
        if ((path != null ? 1 : 0) + (level != null ? 1 : 0) + (expr != null ? 1 : 0) > 1) {
            throw new ConfigException(f.where() + ": give one of path, topicLevel and expr");
        }
        set(f, "path", path, b::path);
        if (expr != null) {
            apply(f.key("expr"), () -> b.expression(expr));
        }
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

    private static void pipelineOptions(ConfigNode pl, Recipe<SyncPipeline.Builder> p) {
        int rows = pl.integer("batchMaxRows", SyncPipeline.Builder.DEFAULT_BATCH_MAX_ROWS);
        int age = pl.integer("batchMaxAgeMillis", (int) SyncPipeline.Builder.DEFAULT_BATCH_MAX_AGE.toMillis());
        p.call(pl.key("batchMaxRows"), b -> b.batching(rows, Duration.ofMillis(age)));
        p.set(pl, "batchIdleMillis", pl.integer("batchIdleMillis", null), (b, v) -> b.batchIdle(Duration.ofMillis(v)));
        p.set(pl, "batchGrowth", pl.integer("batchGrowth", null), (b, v) -> b.batchGrowth(v));
        p.set(pl, "maxInFlight", pl.integer("maxInFlight", null), (b, v) -> b.maxInFlight(v));
        p.set(pl, "writers", pl.integer("writers", null), (b, v) -> b.writers(v));
        Integer initial = pl.integer("retryInitialMillis", null);
        Integer max = pl.integer("retryMaxMillis", null);
        if (initial != null || max != null) {
            Duration from = Duration.ofMillis(initial != null ? initial
                    : SyncPipeline.Builder.DEFAULT_RETRY_INITIAL_BACKOFF.toMillis());
            Duration to = Duration.ofMillis(max != null ? max
                    : SyncPipeline.Builder.DEFAULT_RETRY_MAX_BACKOFF.toMillis());
            p.call(pl.key("retryInitialMillis"), b -> b.retryBackoff(from, to));
        }
        // -1: retry for ever (the builder's retryForever())
        p.set(pl, "maxRetries", pl.integer("maxRetries", null), (b, v) -> {
            if (v == -1) {
                b.retryForever();
            } else {
                b.maxRetries(v);
            }
        });
        p.set(pl, "shutdownTimeoutSeconds", pl.integer("shutdownTimeoutSeconds", null),
                (b, v) -> b.shutdownTimeout(Duration.ofSeconds(v)));
        p.set(pl, "stallWarningMillis", pl.integer("stallWarningMillis", null),
                (b, v) -> b.stallWarning(Duration.ofMillis(v)));
        BadMessagePolicy policy = pl.enumValue("badMessagePolicy", BadMessagePolicy.class,
                BadMessagePolicy.DEAD_LETTER);
        p.call(pl.key("badMessagePolicy"), b -> b.badMessagePolicy(policy));
        pl.noUnknownKeys();
    }
}
