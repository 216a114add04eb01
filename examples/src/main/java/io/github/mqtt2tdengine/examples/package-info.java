/**
 * Runnable host-application samples: the {@link io.github.mqtt2tdengine.examples.Demo}, the README's
 * {@link io.github.mqtt2tdengine.examples.QuickStart}, docs/configuration.md's {@link
 * io.github.mqtt2tdengine.examples.ConfigFileQuickStart},
 * and the custom sink of docs/custom-sinks.md.
 */
package io.github.mqtt2tdengine.examples;
