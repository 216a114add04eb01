/**
 * JSONPath compilation, conversions, timestamps and routing. Not API; may change in any release.
 */
package io.github.mqtt2tdengine.internal.payload;
