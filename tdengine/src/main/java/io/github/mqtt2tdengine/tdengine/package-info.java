/**
 * TDengine sink of mqtt2tdengine over the TDengine JDBC driver.
 *
 * <p>Not yet implemented: the {@code TDengineSink} arrives with the TDengine sink issue (#4); until then a host can
 * plug any {@link io.github.mqtt2tdengine.spi.Sink}.
 */
package io.github.mqtt2tdengine.tdengine;
