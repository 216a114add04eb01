/**
 * The runner's helpers (the CPU meter of its summary line). Not API; may change in any release.
 */
package io.github.mqtt2tdengine.runner.internal;
