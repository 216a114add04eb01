/**
 * SQL building, error classification and schema checks of the TDengine sink. Not API; may change in any release.
 */
package io.github.mqtt2tdengine.tdengine.internal;
