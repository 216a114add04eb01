/**
 * Runnable host-application samples: the {@link io.github.mqtt2tdengine.examples.Demo}, the README
 * {@link io.github.mqtt2tdengine.examples.QuickStart} and a custom sink.
 */
package io.github.mqtt2tdengine.examples;
