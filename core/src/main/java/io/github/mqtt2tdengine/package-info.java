/**
 * mqtt2tdengine: {@link io.github.mqtt2tdengine.SyncPipeline} and its builder, listener, metrics, dead letters
 * and exceptions.
 */
package io.github.mqtt2tdengine;
