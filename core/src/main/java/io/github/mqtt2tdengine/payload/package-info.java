/**
 * How messages become rows: {@link io.github.mqtt2tdengine.payload.PayloadSpec}, fields, column types, timestamp
 * units and policies.
 */
package io.github.mqtt2tdengine.payload;
