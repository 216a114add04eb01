/**
 * Runnable host-application samples: the {@link io.github.mqtt2tdengine.examples.Demo}, the README's
 * {@link io.github.mqtt2tdengine.examples.QuickStart} and {@link
 * io.github.mqtt2tdengine.examples.ConfigFileQuickStart},
 * and a custom sink.
 */
package io.github.mqtt2tdengine.examples;
