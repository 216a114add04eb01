package io.github.mqtt2tdengine.payload;

/**
 * How payloads are compressed; they are expanded before parsing, never beyond the spec's {@code maxPayloadBytes} (a
 * payload that would expand further is dead-lettered as {@code PAYLOAD_TOO_LARGE}, nothing more of it is read).
 *
 * @since 0.1.0
 */
public enum Compression {
    /** Not compressed (the default). */
    NONE,
    /** gzip (RFC 1952). */
    GZIP,
    /** zlib (RFC 1950, what most "deflate" senders produce), or raw deflate (RFC 1951) when it has no zlib header. */
    DEFLATE,
    /** By the first bytes: gzip's magic number, a zlib header, else not compressed. */
    AUTO
}
