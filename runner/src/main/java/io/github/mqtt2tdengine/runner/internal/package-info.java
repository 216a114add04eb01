/**
 * The runner's helpers (the CPU meter of its summary line, the exit on a signal, the dead-letter replay command).
 * Not API; may change in any release.
 */
package io.github.mqtt2tdengine.runner.internal;
