package io.github.mqtt2tdengine.spi;

/**
 * Connection state a {@link Transport} reports through {@link TransportContext#onConnectionStateChanged}.
 *
 * @since 0.1.0
 */
public enum ConnectionState {
    /** Connected and subscribed. */
    CONNECTED,
    /** The connection was lost; the transport is trying to reconnect. */
    RECONNECTING,
    /** Disconnected for good (closed, or gave up). */
    DISCONNECTED
}
