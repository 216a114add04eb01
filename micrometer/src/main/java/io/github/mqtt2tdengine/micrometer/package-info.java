/** Micrometer binding of a pipeline's metrics: {@link io.github.mqtt2tdengine.micrometer.PipelineMetricsBinder}. */
package io.github.mqtt2tdengine.micrometer;
