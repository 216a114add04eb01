package io.github.mqtt2tdengine.spi;

import java.util.List;

import io.github.mqtt2tdengine.errors.TransportException;

/**
 * Source of messages: connects to a broker, subscribes with manual acknowledgement and hands messages to a
 * {@link TransportContext}.
 *
 * <p>Lifecycle, in order:
 * <ol>
 *   <li>{@link #start(TransportContext)} once, on the thread calling {@code SyncPipeline.start()}: connect, subscribe,
 *       return.</li>
 *   <li>{@link TransportContext#onMessage} on transport threads, any number of times.</li>
 *   <li>{@link #pause()} and {@link #resume()} from any library thread, when the engine's in-flight bound is reached
 *       and when it has room again.</li>
 *   <li>{@link #close()} once or more: on the thread closing the pipeline, or, when the pipeline fails, on a
 *       short-lived library thread ({@code mqtt2td-<name>-closer}; never a transport thread, which may be the one
 *       reporting the failure).</li>
 * </ol>
 *
 * <p>At-least-once contract:
 * <ol>
 *   <li>The transport delivers QoS 1 and 2 messages with manual acknowledgement, ideally on a persistent session.</li>
 *   <li>The engine calls {@link InboundMessage#acknowledge()} only after every row of the message has been committed by
 *       the sink, in any order; the transport (the HiveMQ client) orders the MQTT acknowledgements itself.</li>
 *   <li>Messages never acknowledged (a sink outage, a crash, a close that timed out) stay with the broker and are
 *       redelivered, so a message can arrive twice: sinks must tolerate duplicates.</li>
 * </ol>
 *
 * @since 0.1.0
 */
public interface Transport extends AutoCloseable {

    /**
     * Connects and subscribes, then returns; messages then flow to the context. Called once.
     *
     * @param context where messages and connection events go
     * @throws TransportException if the broker cannot be reached, refuses the connection or the subscription
     */
    void start(TransportContext context) throws TransportException;

    /**
     * Asks the transport to stop taking messages from the network (the in-flight bound was reached). A few messages
     * already read may still be delivered. Never blocks; the default does nothing and relies on MQTT flow control.
     */
    default void pause() {
    }

    /**
     * Lets the transport take messages again after {@link #pause()}. Never blocks; the default does nothing.
     */
    default void resume() {
    }

    /**
     * Returns the topic filters this transport subscribes to, so that {@code SyncPipeline.Builder.build()} can check
     * the mappings against them: a field read from a topic level that no subscribed topic can have fails at
     * {@code build()} instead of dead-lettering every message. Called by the builder's thread, once; never blocks.
     *
     * @return the filters in MQTT syntax ({@code +}, {@code #}, {@code $share/group/...}); empty when unknown, which
     *     skips the checks (the default)
     * @since 0.1.0
     */
    default List<String> topicFilters() {
        return List.of();
    }

    /**
     * Stops delivery and disconnects; unacknowledged messages stay with the broker. Idempotent; does not throw.
     */
    @Override
    void close();
}
