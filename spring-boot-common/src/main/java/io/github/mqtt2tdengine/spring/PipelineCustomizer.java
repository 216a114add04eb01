package io.github.mqtt2tdengine.spring;

import io.github.mqtt2tdengine.SyncPipeline;

/**
 * A bean that changes the auto-configured pipeline's builder before it is built: any option the properties do not
 * cover, or override. Called after the properties, the sink and the listener beans are applied, in {@code @Order}.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface PipelineCustomizer {

    /**
     * Changes the builder.
     *
     * @param builder the pipeline's builder, source and sink set
     */
    void customize(SyncPipeline.Builder builder);
}
