package io.github.mqtt2tdengine.spring;

import io.github.mqtt2tdengine.payload.PayloadSpec;

/**
 * A bean that changes each mapping's payload spec before the pipeline is built: the place for what properties cannot
 * say, such as a row {@code filter} or {@code transform} in Java:
 * {@code (topicFilter, spec) -> spec.toBuilder().filter(row -> ...).build()}. Called once per mapping, in
 * {@code @Order}, each with the previous one's result.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface PayloadSpecCustomizer {

    /**
     * Returns the spec to use for a mapping.
     *
     * @param topicFilter the mapping's topic filter ({@code #} for {@code mqtt2tdengine.parser}, else the route's
     *     {@code topic-filter})
     * @param spec the spec so far
     * @return the spec to use (the same one to keep it); never null
     */
    PayloadSpec customize(String topicFilter, PayloadSpec spec);
}
