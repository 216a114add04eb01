package io.github.mqtt2tdengine.payload;

import io.github.mqtt2tdengine.errors.PayloadException;

/**
 * Turns a payload into the tree that field paths read: {@code Map<String, ?>} for objects, {@code List<?>} for
 * arrays, and {@link String}, {@link Number}, {@link Boolean} or {@code null} for values. JSON is built in
 * ({@link PayloadSpec#json()}); a host plugs in another format (CSV, protobuf, Sparkplug B) that yields the same kind
 * of tree with {@link PayloadSpec#builder(PayloadParser)}.
 *
 * <p>Called on transport threads, concurrently for different messages; must be thread-safe and must not block.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface PayloadParser {

    /**
     * Parses one payload.
     *
     * @param topic the topic it arrived on
     * @param payload the bytes
     * @return the tree's root
     * @throws PayloadException with reason {@code INVALID_PAYLOAD} if the bytes are not in the format
     */
    Object parse(String topic, byte[] payload) throws PayloadException;
}
