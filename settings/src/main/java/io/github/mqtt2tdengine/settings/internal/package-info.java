/**
 * Reading settings from JSON (Jackson databind, strict types, errors naming the path) and mapping them onto the
 * builders. Not API; may change in any release.
 */
package io.github.mqtt2tdengine.settings.internal;
