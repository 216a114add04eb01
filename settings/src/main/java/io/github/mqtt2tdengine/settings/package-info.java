/**
 * The configuration model: immutable settings records, one per section of the JSON config file ({@link
 * io.github.mqtt2tdengine.settings.Mqtt2TdengineSettings} and its sections), shared by the config file, the Spring
 * Boot starter ({@code mqtt2tdengine.*} properties) and hosts that build settings in code, and {@link
 * io.github.mqtt2tdengine.settings.PipelineConfig}, the one mapper from settings to the library's builders.
 *
 * <p>In every record a {@code null} component means "not set": the builder's default applies, named in the
 * component's description. Lists are copied; the records are immutable and their {@code toString()} hides secrets.
 *
 * @since 0.1.0
 */
package io.github.mqtt2tdengine.settings;
