package io.github.mqtt2tdengine.settings;

import io.github.mqtt2tdengine.DeadLetterHandler;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.mqtt.MqttTransport;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.settings.internal.SettingsMapper;
import io.github.mqtt2tdengine.spi.Sink;
import io.github.mqtt2tdengine.settings.internal.SettingsReader;
import io.github.mqtt2tdengine.tdengine.TDengineSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BiFunction;

/**
 * A pipeline described by settings, turned into the library's builders: the JSON config file the runner takes with
 * {@code --config} (sections {@code mqtt}, {@code tdengine}, {@code parser} or {@code routes}, {@code pipeline},
 * {@code deadLetters}, {@code metrics}; see the configuration reference), the {@code mqtt2tdengine.*} properties of the Spring Boot
 * starter, or {@link Mqtt2TdengineSettings} a host builds in code.
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
 * <p>The whole configuration is checked when it is loaded: unknown keys, wrong types and values a builder rejects are
 * errors naming the key ({@link ConfigException}). Rules that need the source and the sink (for example a sub-table
 * template naming an unknown field of a route) are checked by {@link SyncPipeline.Builder#build()} as usual. PEM
 * files named with {@code @path} in the {@code tls} section are read once, when the configuration is loaded. A key
 * renamed in a release stays accepted for one more with a WARN naming the new key ({@code parser.filter}).
 *
 * <p>Instances are immutable and thread-safe. Every method returning a builder returns a new builder, set up as the
 * settings say, so a host may change it freely without affecting later calls or other callers.
 *
 * @since 0.1.0
 */
public final class PipelineConfig {
    /** The log levels a config may name, in this order: error, warn, info, debug, trace. */
    public static final List<String> LOG_LEVELS = SettingsMapper.LOG_LEVELS;
    /** The log level when the config has no {@code logLevel}. */
    public static final String DEFAULT_LOG_LEVEL = SettingsMapper.DEFAULT_LOG_LEVEL;
    /** The address the runner's metrics endpoint binds to when the config does not name one. */
    public static final String DEFAULT_METRICS_HOST = SettingsMapper.DEFAULT_METRICS_HOST;

    private final SettingsMapper mapper;

    private PipelineConfig(SettingsMapper mapper) {
        this.mapper = mapper;
    }

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
        return new PipelineConfig(new SettingsMapper(SettingsReader.parse(json), true));
    }

    /**
     * Reads and checks a config given as a tree of maps, lists and scalars, as a properties source binds it (a YAML
     * document, a flattened properties map): the same keys as the file, matched ignoring case, dashes and
     * underscores ({@code client-id}, {@code clientId} and {@code CLIENTID} alike), and numbers and booleans may be
     * text ({@code "1883"}, {@code "true"}), as properties are. Blocks only to read the PEM files it names.
     *
     * <p>Unlike the file, {@code tdengine.url} may be left out when the host brings its own connections: the builder
     * {@link #tdengine()} returns then needs {@code dataSource(...)} before {@code build()}.
     *
     * @param tree the config, its top level as the file's
     * @return the config
     * @throws ConfigException when the tree is not valid; the message names the key
     * @throws NullPointerException when {@code tree} is null
     * @since 0.1.0
     */
    public static PipelineConfig fromTree(Map<String, ?> tree) {
        Objects.requireNonNull(tree, "tree must not be null");
        return new PipelineConfig(new SettingsMapper(SettingsReader.fromTree(tree), false));
    }

    /**
     * Checks settings bound elsewhere (the Spring Boot starter's properties) or built in code. As with
     * {@link #fromTree}, {@code tdengine.url} may be left out when the host brings its own connections.
     *
     * @param settings the settings
     * @return the config
     * @throws ConfigException when the settings are not valid; the message names the key
     * @throws NullPointerException when {@code settings} is null
     * @since 0.1.0
     */
    public static PipelineConfig of(Mqtt2TdengineSettings settings) {
        Objects.requireNonNull(settings, "settings must not be null");
        return new PipelineConfig(new SettingsMapper(settings, false));
    }

    /**
     * Reads only the {@code logLevel} of a config file, without building anything (so without creating loggers): a
     * launcher such as the runner sets the level before the first logger exists.
     *
     * @param file the JSON file
     * @return the level, {@value #DEFAULT_LOG_LEVEL} when absent or unreadable ({@link #load} reports the file's
     *     errors)
     * @since 0.1.0
     */
    public static String peekLogLevel(Path file) {
        try {
            String level = SettingsReader.peekLogLevel(Files.readString(file));
            return level == null ? DEFAULT_LOG_LEVEL : level;
        } catch (IOException | RuntimeException e) {
            return DEFAULT_LOG_LEVEL;
        }
    }

    /**
     * Returns the settings this config was made of.
     *
     * @return the settings, as read (PEM values still as {@code @path} where written so)
     * @since 0.1.0
     */
    public Mqtt2TdengineSettings settings() {
        return mapper.settings();
    }

    /**
     * Returns the pipeline name: the config's {@code name}, or {@value SyncPipeline.Builder#DEFAULT_NAME}.
     *
     * @return the name
     * @since 0.1.0
     */
    public String name() {
        return mapper.name();
    }

    /**
     * Returns the config's {@code logLevel}, in lower case. The library never configures logging: the runner applies
     * this level; a host may apply it to its own logging backend or ignore it.
     *
     * @return {@code error}, {@code warn}, {@code info} (the default), {@code debug} or {@code trace}
     * @since 0.1.0
     */
    public String logLevel() {
        return mapper.logLevel();
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
        MetricsSettings m = mapper.settings().metrics();
        return m == null || m.port() == null ? OptionalInt.empty() : OptionalInt.of(m.port());
    }

    /**
     * Returns the address the metrics endpoint binds to ({@code metrics.host}).
     *
     * @return the address, {@value #DEFAULT_METRICS_HOST} unless the config names another
     * @since 0.1.0
     */
    public String metricsHost() {
        MetricsSettings m = mapper.settings().metrics();
        return m == null || m.host() == null ? DEFAULT_METRICS_HOST : m.host();
    }

    /**
     * Returns a new MQTT transport builder set up from the {@code mqtt} section (endpoint, protocol, session,
     * topics, credentials, TLS, timeouts). The caller may change it; later calls return new builders.
     *
     * @return a new builder; {@code build()} succeeds on it unchanged
     * @since 0.1.0
     */
    public MqttTransport.Builder mqtt() {
        return mapper.mqtt();
    }

    /**
     * Returns a new TDengine sink builder set up from the {@code tdengine} section, or empty when the config has none
     * (a host that brings its own sink, or the runner's {@code --sink discard} and {@code --dry-run}). The caller may
     * change it, for example add {@code dryRun(...)}; later calls return new builders.
     *
     * @return a new builder whose {@code build()} succeeds unchanged (given a {@code dataSource} when the config has
     *     no url), or empty when the config has no {@code tdengine} section
     * @since 0.1.0
     */
    public Optional<TDengineSink.Builder> tdengine() {
        return Optional.ofNullable(mapper.tdengine());
    }

    /**
     * Returns a new pipeline builder with what the config says about the pipeline itself: its name, the mapping
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
     * function: the place for what a config cannot say, such as a row filter or transform in Java
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
        return mapper.pipeline(specs);
    }

    /**
     * Returns a new pipeline builder with everything the config describes: {@link #pipeline()}, the source built
     * from {@link #mqtt()} and, when the config has a {@code tdengine} section, the sink built from
     * {@link #tdengine()} with the dead-letter destinations of {@link #deadLetterHandlers} for it (by default a
     * TDengine table beside the data, and the log). Without that section the sink is left unset (and the dead letters
     * are only logged), and {@code build()} throws {@code IllegalStateException("sink must be set")} until the caller
     * sets one. Anything may be overridden before {@code build()}: {@code sink(...)} (then set the dead letters too,
     * for example with {@link #deadLetters}), {@code source(...)}, {@code listener(...)},
     * {@code deadLetterHandler(...)}, any option. Nothing connects until the pipeline is started.
     *
     * @return a new builder with the source and, when configured, the sink and its dead-letter destinations set
     * @since 0.1.0
     */
    public SyncPipeline.Builder toPipelineBuilder() {
        MqttTransport source = mqtt().build();
        SyncPipeline.Builder b = pipeline().source(source);
        tdengine().ifPresent(td -> {
            TDengineSink sink = td.build();
            b.sink(sink);
            deadLetters(b, sink, source);
        });
        return b;
    }

    /**
     * Returns the dead-letter destinations the {@code deadLetters} section describes for a pipeline with this sink
     * and source. Without the section: a TDengine table in the sink's database ({@code mqtt2td_dead_letters}) when the
     * sink is a {@link TDengineSink} that writes (not a dry run), and the log. {@code deadLetters.log: false} leaves
     * the log out unless nothing else keeps them; {@code deadLetters.mqtt} and {@code deadLetters.file} add an MQTT
     * topic on the source's broker and JSON Lines files. Each call returns new destinations.
     *
     * @param sink the pipeline's sink (a host's own sink gets no TDengine table)
     * @param source the pipeline's source, whose broker the MQTT destination connects to
     * @return the destinations, never empty
     * @throws ConfigException naming the key when the section asks for something this sink cannot do
     * @since 0.1.0
     */
    public List<DeadLetterHandler> deadLetterHandlers(Sink sink, MqttTransport source) {
        Objects.requireNonNull(sink, "sink must not be null");
        Objects.requireNonNull(source, "source must not be null");
        return mapper.deadLetters(sink, source);
    }

    /**
     * Sets the dead-letter destinations of {@link #deadLetterHandlers} on a builder, replacing those set before.
     *
     * @param builder the pipeline builder
     * @param sink the pipeline's sink
     * @param source the pipeline's source
     * @return the builder
     * @since 0.1.0
     */
    public SyncPipeline.Builder deadLetters(SyncPipeline.Builder builder, Sink sink, MqttTransport source) {
        List<DeadLetterHandler> handlers = deadLetterHandlers(sink, source);
        builder.deadLetterHandler(handlers.get(0));
        handlers.subList(1, handlers.size()).forEach(builder::addDeadLetterHandler);
        return builder;
    }

    @Override
    public String toString() {
        return "PipelineConfig[" + mapper.settings() + "]";
    }
}
