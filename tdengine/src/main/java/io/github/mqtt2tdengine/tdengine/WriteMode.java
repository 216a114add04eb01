package io.github.mqtt2tdengine.tdengine;

/**
 * How the sink hands rows to TDengine.
 *
 * @since 0.1.0
 */
public enum WriteMode {
    /**
     * Multi-table multi-row {@code INSERT ... VALUES} statements with every value written as an escaped SQL literal
     * (the default). Works over every connection type: native, WebSocket, REST and a host's DataSource.
     */
    SQL,
    /**
     * Parameter binding: the driver's prepared statement ({@code INSERT INTO ? USING stable TAGS (?, ...) VALUES
     * (?, ...)}), rows bound per sub-table, one execute per batch and super table. No value goes through SQL text.
     * Needs a connection whose driver binds ({@code jdbc:TAOS://} native or {@code jdbc:TAOS-WS://}; REST cannot)
     * and super tables without UNSIGNED columns or tags (TDengine JDBC driver 3.7.9 has no setter for them); the
     * sink refuses to start otherwise, saying which.
     */
    STMT,
    /**
     * Picks per batch: {@link #STMT} when the batch brings enough rows per sub-table for binding to pay (see the
     * sink figures of docs/performance.md), the connection binds and the super table has no UNSIGNED type; otherwise {@link #SQL}.
     */
    AUTO
}
