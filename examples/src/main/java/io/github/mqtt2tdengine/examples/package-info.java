/**
 * Runnable host-application samples: the demo {@link io.github.mqtt2tdengine.examples.Runner}, the README
 * {@link io.github.mqtt2tdengine.examples.QuickStart} and a custom sink.
 */
package io.github.mqtt2tdengine.examples;
