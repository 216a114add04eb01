/**
 * The command-line runner: {@link io.github.mqtt2tdengine.runner.Runner} ({@code mqtt2tdengine-runner.jar}) runs the
 * pipeline a config file describes ({@link io.github.mqtt2tdengine.settings.PipelineConfig}), with its metrics
 * endpoint. {@code PipelineConfig} and {@code ConfigException} of this package are deprecated facades of the settings
 * module's, kept for one release.
 *
 * @since 0.1.0
 */
package io.github.mqtt2tdengine.runner;
