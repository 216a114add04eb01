package io.github.mqtt2tdengine.settings.internal;

import static io.github.mqtt2tdengine.settings.internal.KeyedCalls.apply;
import static io.github.mqtt2tdengine.settings.internal.KeyedCalls.required;
import static io.github.mqtt2tdengine.settings.internal.KeyedCalls.set;

import io.github.mqtt2tdengine.DeadLetterHandler;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.deadletters.FileDeadLetters;
import io.github.mqtt2tdengine.mqtt.MqttDeadLetters;
import io.github.mqtt2tdengine.mqtt.MqttTransport;
import io.github.mqtt2tdengine.mqtt.TlsConfig;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.payload.TimePrecision;
import io.github.mqtt2tdengine.settings.ConfigException;
import io.github.mqtt2tdengine.settings.DeadLetterFileSettings;
import io.github.mqtt2tdengine.settings.DeadLetterMqttSettings;
import io.github.mqtt2tdengine.settings.DeadLetterTdengineSettings;
import io.github.mqtt2tdengine.settings.DeadLettersSettings;
import io.github.mqtt2tdengine.settings.MetricsSettings;
import io.github.mqtt2tdengine.settings.Mqtt2TdengineSettings;
import io.github.mqtt2tdengine.settings.MqttSettings;
import io.github.mqtt2tdengine.settings.PipelineSettings;
import io.github.mqtt2tdengine.settings.RouteSettings;
import io.github.mqtt2tdengine.settings.TdengineSettings;
import io.github.mqtt2tdengine.settings.TlsSettings;
import io.github.mqtt2tdengine.spi.Sink;
import io.github.mqtt2tdengine.tdengine.SchemaPolicy;
import io.github.mqtt2tdengine.tdengine.TDengineDeadLetters;
import io.github.mqtt2tdengine.tdengine.TDengineSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiFunction;

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
            PayloadSpec spec = SpecMapper.spec("parser", settings.parser());
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
            PayloadSpec spec = SpecMapper.spec(where + ".parser", required(where + ".parser", r.parser()));
            apply(where + ".topicFilter", () -> probe.route(filter, spec));
            list.add(new Mapping(filter, spec, false));
        }
        this.mappings = List.copyOf(list);
        checkDeadLetters(settings.deadLetters());
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

    /** What the deadLetters section's builders can check alone, at load time. */
    private void checkDeadLetters(DeadLettersSettings d) {
        if (d == null) {
            return;
        }
        DeadLetterTdengineSettings td = d.tdengine();
        if (td != null) {
            TDengineDeadLetters.Builder b = TDengineDeadLetters.builder();
            set("deadLetters.tdengine.superTable", td.superTable(), b::superTable);
            set("deadLetters.tdengine.maxPayloadBytes", td.maxPayloadBytes(), b::maxPayloadBytes);
        }
        DeadLetterMqttSettings mq = d.mqtt();
        if (mq != null && !Boolean.FALSE.equals(mq.enabled())) {
            apply("deadLetters.mqtt", () -> mqttDeadLetters(mq, mqtt().build()).build());
        }
        DeadLetterFileSettings f = d.file();
        if (f != null && !Boolean.FALSE.equals(f.enabled())) {
            apply("deadLetters.file", () -> fileDeadLetters(f).build());
        }
    }

    /**
     * Returns the dead-letter destinations the {@code deadLetters} section describes for a pipeline with this sink
     * and source: the TDengine table (on unless {@code deadLetters.tdengine.enabled} is false, when the sink is a
     * {@link TDengineSink} that writes), the MQTT topic and the files when their sections are present, and the log
     * unless {@code deadLetters.log} is false (always, when nothing else keeps them).
     *
     * @param sink the pipeline's sink
     * @param source the pipeline's source, whose broker the MQTT destination connects to
     * @return the destinations, never empty
     */
    public List<DeadLetterHandler> deadLetters(Sink sink, MqttTransport source) {
        DeadLettersSettings d = settings.deadLetters();
        List<DeadLetterHandler> list = new ArrayList<>();
        DeadLetterTdengineSettings td = d == null ? null : d.tdengine();
        boolean wanted = td == null || !Boolean.FALSE.equals(td.enabled());
        TDengineDeadLetters table = wanted && sink instanceof TDengineSink t ? tdengineDeadLetters(td, t) : null;
        if (table != null) {
            list.add(table);
        } else if (td != null && Boolean.TRUE.equals(td.enabled())) {
            throw new ConfigException("deadLetters.tdengine.enabled is true, but the sink is " + (sink instanceof
                    TDengineSink ? "a dry run" : "not TDengine") + ": there is no database to keep dead letters in; "
                    + "leave it unset, or set it false");
        }
        if (d != null && d.mqtt() != null && !Boolean.FALSE.equals(d.mqtt().enabled())) {
            list.add(apply("deadLetters.mqtt", () -> mqttDeadLetters(d.mqtt(), source).build()));
        }
        if (d != null && d.file() != null && !Boolean.FALSE.equals(d.file().enabled())) {
            list.add(apply("deadLetters.file", () -> fileDeadLetters(d.file()).build()));
        }
        if (list.isEmpty() || d == null || !Boolean.FALSE.equals(d.log())) {
            list.add(DeadLetterHandler.logging());
        }
        return list;
    }

    /** The TDengine table for this sink, or null when the sink is a dry run (it has no database to write to). */
    private static TDengineDeadLetters tdengineDeadLetters(DeadLetterTdengineSettings td, TDengineSink sink) {
        TDengineDeadLetters.Builder b = TDengineDeadLetters.builder().sink(sink);
        if (td != null) {
            set("deadLetters.tdengine.superTable", td.superTable(), b::superTable);
            set("deadLetters.tdengine.maxPayloadBytes", td.maxPayloadBytes(), b::maxPayloadBytes);
        }
        try {
            return b.build();
        } catch (IllegalStateException e) {
            return null; // a dry run: TDengineDeadLetters refuses it
        }
    }

    private static MqttDeadLetters.Builder mqttDeadLetters(DeadLetterMqttSettings m, MqttTransport source) {
        MqttDeadLetters.Builder b = MqttDeadLetters.builder().connection(source);
        set("deadLetters.mqtt.prefix", m.prefix(), b::prefix);
        set("deadLetters.mqtt.clientId", m.clientId(), b::clientId);
        if (Boolean.FALSE.equals(m.keeper())) {
            if (m.keeperClientId() != null) {
                throw new ConfigException("deadLetters.mqtt.keeperClientId is set but deadLetters.mqtt.keeper is false: "
                        + "remove one of them");
            }
            b.noKeeper();
        } else {
            set("deadLetters.mqtt.keeperClientId", m.keeperClientId(), b::keeper);
        }
        set("deadLetters.mqtt.publishTimeoutMillis", m.publishTimeoutMillis(),
                v -> b.publishTimeout(Duration.ofMillis(v)));
        return b;
    }

    private static FileDeadLetters.Builder fileDeadLetters(DeadLetterFileSettings f) {
        FileDeadLetters.Builder b = FileDeadLetters.builder();
        String dir = required("deadLetters.file.directory", f.directory());
        apply("deadLetters.file.directory", () -> b.directory(Path.of(dir)));
        set("deadLetters.file.prefix", f.prefix(), b::prefix);
        set("deadLetters.file.maxFileBytes", f.maxFileBytes(), b::maxFileBytes);
        set("deadLetters.file.maxFiles", f.maxFiles(), b::maxFiles);
        return b;
    }
}
