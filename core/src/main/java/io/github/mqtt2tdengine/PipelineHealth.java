package io.github.mqtt2tdengine;

import io.github.mqtt2tdengine.spi.ConnectionState;
import java.util.Objects;

/**
 * Whether a pipeline is healthy, with the reason in words: the answer of a health check (the runner's {@code /health},
 * the Spring Boot starter's health indicator). Healthy means running and connected to the broker; starting, reconnecting,
 * disconnected, closing, closed and failed are not. A sink write that has stalled keeps the pipeline healthy (messages
 * wait, nothing is lost, the broker keeps them) but is named in the reason; alarm on {@code oldestUnacked} for it.
 *
 * @param healthy running and connected
 * @param state the pipeline state
 * @param connection the transport's connection state
 * @param reason a short sentence for an operator, never a secret
 * @since 0.1.0
 */
public record PipelineHealth(boolean healthy, PipelineState state, ConnectionState connection, String reason) {

    /**
     * Creates an answer; see the components.
     *
     * @param healthy see {@link #healthy()}
     * @param state see {@link #state()}
     * @param connection see {@link #connection()}
     * @param reason see {@link #reason()}
     */
    public PipelineHealth {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * Judges a metrics snapshot.
     *
     * @param name the pipeline's name, for the reason
     * @param m the snapshot
     * @return the answer
     */
    public static PipelineHealth of(String name, PipelineMetrics m) {
        String who = "pipeline '" + name + "' ";
        ConnectionState c = m.connectionState();
        return switch (m.state()) {
            case NEW -> new PipelineHealth(false, m.state(), c, who + "is not started");
            case STARTING -> new PipelineHealth(false, m.state(), c, who + "is starting");
            case CLOSING, CLOSED -> new PipelineHealth(false, m.state(), c, who + "is "
                    + (m.state() == PipelineState.CLOSING ? "closing" : "closed"));
            case FAILED -> new PipelineHealth(false, m.state(), c, who + "failed: "
                    + m.lastErrorMessage().orElse("(no message)"));
            case RUNNING -> switch (c) {
                case CONNECTED -> new PipelineHealth(true, m.state(), c, who + "is running and connected"
                        + (m.writeStalledMillis() > 0 ? "; a sink write has been stalled for "
                                + m.writeStalledMillis() + " ms" : ""));
                case RECONNECTING -> new PipelineHealth(false, m.state(), c, who + "is reconnecting to the broker ("
                        + m.reconnects() + " reconnect(s) so far)");
                case DISCONNECTED -> new PipelineHealth(false, m.state(), c, who + "is disconnected from the broker");
            };
        };
    }

    /**
     * Judges a pipeline now.
     *
     * @param pipeline the pipeline
     * @return the answer
     */
    public static PipelineHealth of(SyncPipeline pipeline) {
        return of(pipeline.name(), pipeline.metrics());
    }
}
