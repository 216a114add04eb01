package io.github.mqtt2tdengine.spring;

import io.github.mqtt2tdengine.PipelineState;
import io.github.mqtt2tdengine.SyncPipeline;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the auto-configured pipeline when the application context has refreshed and closes it (draining: in-flight
 * rows written and acknowledged, up to the pipeline's {@code shutdownTimeout}) when the context closes. Lifecycle
 * beans stop before any bean is destroyed, so the pipeline drains while a {@code DataSource} it writes through is
 * still open. The phase, {@value #DEFAULT_PHASE} unless {@code mqtt2tdengine.lifecycle.phase} says otherwise, is above
 * the web server's ({@code SmartLifecycle.DEFAULT_PHASE - 2048}) and its graceful shutdown's ({@code - 1024}): the
 * pipeline starts after them and stops before them, so a health probe answers while it drains.
 *
 * <p>{@code start()} blocks until the broker is connected (the transport's connect timeout): a broker that cannot be
 * reached fails the application's start, with the broker's address and the cause.
 *
 * @since 0.1.0
 */
public final class PipelineLifecycle implements SmartLifecycle {
    /** The default phase: {@code SmartLifecycle.DEFAULT_PHASE - 512}. */
    public static final int DEFAULT_PHASE = Integer.MAX_VALUE - 512;

    private final SyncPipeline pipeline;
    private final boolean autoStartup;
    private final int phase;

    /**
     * Creates the lifecycle.
     *
     * @param pipeline the pipeline
     * @param autoStartup whether it starts with the context ({@code mqtt2tdengine.lifecycle.auto-startup})
     * @param phase the phase ({@code mqtt2tdengine.lifecycle.phase})
     */
    public PipelineLifecycle(SyncPipeline pipeline, boolean autoStartup, int phase) {
        this.pipeline = pipeline;
        this.autoStartup = autoStartup;
        this.phase = phase;
    }

    @Override
    public void start() {
        if (pipeline.state() == PipelineState.NEW) {
            pipeline.start();
        }
    }

    @Override
    public void stop() {
        pipeline.close();
    }

    @Override
    public boolean isRunning() {
        PipelineState s = pipeline.state();
        return s == PipelineState.STARTING || s == PipelineState.RUNNING;
    }

    @Override
    public boolean isAutoStartup() {
        return autoStartup;
    }

    @Override
    public int getPhase() {
        return phase;
    }
}
