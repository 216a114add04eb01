/**
 * TDengine destination of mqtt2tdengine: {@link io.github.mqtt2tdengine.tdengine.TDengineSink} over the TDengine JDBC
 * driver, with schema creation and checks and error isolation.
 */
package io.github.mqtt2tdengine.tdengine;
