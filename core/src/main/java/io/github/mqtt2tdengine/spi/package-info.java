/**
 * Plug-in contracts: {@link io.github.mqtt2tdengine.spi.Transport} (sources) and {@link
 * io.github.mqtt2tdengine.spi.Sink} (destinations), and the values they exchange.
 */
package io.github.mqtt2tdengine.spi;
