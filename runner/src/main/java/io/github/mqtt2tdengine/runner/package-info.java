/**
 * The JSON config file as a library API and the command-line runner: {@link
 * io.github.mqtt2tdengine.runner.PipelineConfig}
 * loads a config file (or its text) into the library's builders, so a host can still add its own sink, listener and
 * hooks; {@link io.github.mqtt2tdengine.runner.Runner} is the command line ({@code mqtt2tdengine-runner.jar}).
 *
 * @since 0.1.0
 */
package io.github.mqtt2tdengine.runner;
