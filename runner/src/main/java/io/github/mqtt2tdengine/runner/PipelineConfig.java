package io.github.mqtt2tdengine.runner;

import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.mqtt.MqttTransport;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.tdengine.TDengineSink;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The JSON config file as a library API, moved to {@link io.github.mqtt2tdengine.settings.PipelineConfig} (artifact
 * {@code mqtt2tdengine-settings}, which {@code mqtt2tdengine-runner} brings): this class delegates to it, with the
 * same methods and behaviour, and reports errors as {@link ConfigException} (this package's) as before, so host code
 * written for 0.1 keeps compiling and running. Change the import to {@code io.github.mqtt2tdengine.settings}.
 *
 * @since 0.1.0
 * @deprecated since 0.2.0, for removal in the release after: use
 *     {@link io.github.mqtt2tdengine.settings.PipelineConfig}
 */
@Deprecated(since = "0.2.0", forRemoval = true)
@SuppressWarnings("removal") // throws the deprecated ConfigException of 0.1, as 0.1 did
public final class PipelineConfig {
    /** The address the runner's metrics endpoint binds to when the config does not name one. */
    public static final String DEFAULT_METRICS_HOST = io.github.mqtt2tdengine.settings.PipelineConfig.DEFAULT_METRICS_HOST;

    private final io.github.mqtt2tdengine.settings.PipelineConfig delegate;

    private PipelineConfig(io.github.mqtt2tdengine.settings.PipelineConfig delegate) {
        this.delegate = delegate;
    }

    /**
     * Reads and checks a config file (UTF-8 JSON), as {@link io.github.mqtt2tdengine.settings.PipelineConfig#load}.
     *
     * @param file the JSON file
     * @return the config
     * @throws ConfigException when the file cannot be read or is not valid; the message names the file or the key
     * @throws NullPointerException when {@code file} is null
     * @since 0.1.0
     */
    public static PipelineConfig load(Path file) {
        Objects.requireNonNull(file, "file must not be null");
        return wrap(() -> io.github.mqtt2tdengine.settings.PipelineConfig.load(file));
    }

    /**
     * Reads and checks config text, as {@link io.github.mqtt2tdengine.settings.PipelineConfig#parse}.
     *
     * @param json the JSON text
     * @return the config
     * @throws ConfigException when the text is not valid; the message names the key
     * @throws NullPointerException when {@code json} is null
     * @since 0.1.0
     */
    public static PipelineConfig parse(String json) {
        Objects.requireNonNull(json, "json must not be null");
        return wrap(() -> io.github.mqtt2tdengine.settings.PipelineConfig.parse(json));
    }

    /**
     * Reads and checks a config given as a tree of maps, lists and scalars, as
     * {@link io.github.mqtt2tdengine.settings.PipelineConfig#fromTree}.
     *
     * @param tree the config, its top level as the file's
     * @return the config
     * @throws ConfigException when the tree is not valid; the message names the key
     * @throws NullPointerException when {@code tree} is null
     * @since 0.1.0
     */
    public static PipelineConfig fromTree(Map<String, ?> tree) {
        Objects.requireNonNull(tree, "tree must not be null");
        return wrap(() -> io.github.mqtt2tdengine.settings.PipelineConfig.fromTree(tree));
    }

    private static PipelineConfig wrap(Supplier<io.github.mqtt2tdengine.settings.PipelineConfig> load) {
        try {
            return new PipelineConfig(load.get());
        } catch (io.github.mqtt2tdengine.settings.ConfigException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    /**
     * Returns the config this facade delegates to.
     *
     * @return the config of the settings module
     * @since 0.2.0
     */
    public io.github.mqtt2tdengine.settings.PipelineConfig unwrap() {
        return delegate;
    }

    /**
     * Returns the pipeline name.
     *
     * @return the name
     * @since 0.1.0
     */
    public String name() {
        return delegate.name();
    }

    /**
     * Returns the config's {@code logLevel}, in lower case.
     *
     * @return the level
     * @since 0.1.0
     */
    public String logLevel() {
        return delegate.logLevel();
    }

    /**
     * Returns the port of the runner's metrics endpoint ({@code metrics.port}).
     *
     * @return the port, absent when the endpoint is off
     * @since 0.1.0
     */
    public OptionalInt metricsPort() {
        return delegate.metricsPort();
    }

    /**
     * Returns the address the metrics endpoint binds to ({@code metrics.host}).
     *
     * @return the address
     * @since 0.1.0
     */
    public String metricsHost() {
        return delegate.metricsHost();
    }

    /**
     * Returns a new MQTT transport builder set up from the {@code mqtt} section.
     *
     * @return a new builder
     * @since 0.1.0
     */
    public MqttTransport.Builder mqtt() {
        return delegate.mqtt();
    }

    /**
     * Returns a new TDengine sink builder set up from the {@code tdengine} section, or empty when there is none.
     *
     * @return a new builder, or empty
     * @since 0.1.0
     */
    public Optional<TDengineSink.Builder> tdengine() {
        return delegate.tdengine();
    }

    /**
     * Returns a new pipeline builder with the name, the mapping and the options, without source and sink.
     *
     * @return a new builder
     * @since 0.1.0
     */
    public SyncPipeline.Builder pipeline() {
        return delegate.pipeline();
    }

    /**
     * Returns a new pipeline builder as {@link #pipeline()} does, each mapping's spec first passed through a function.
     *
     * @param specs called once per mapping with its topic filter and its spec; returns the spec to use
     * @return a new builder without source and sink
     * @throws NullPointerException when {@code specs} is null or returns null
     * @since 0.1.0
     */
    public SyncPipeline.Builder pipeline(BiFunction<String, PayloadSpec, PayloadSpec> specs) {
        return delegate.pipeline(specs);
    }

    /**
     * Returns a new pipeline builder with everything the config describes, source and (with a {@code tdengine}
     * section) sink set.
     *
     * @return a new builder
     * @since 0.1.0
     */
    public SyncPipeline.Builder toPipelineBuilder() {
        return delegate.toPipelineBuilder();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
