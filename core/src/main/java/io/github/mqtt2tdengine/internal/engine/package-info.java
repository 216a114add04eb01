/**
 * The engine: intake, writer threads, batching, retries, acknowledgements. Not API; may change in any release.
 */
package io.github.mqtt2tdengine.internal.engine;
