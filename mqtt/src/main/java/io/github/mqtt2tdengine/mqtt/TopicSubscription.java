package io.github.mqtt2tdengine.mqtt;

import io.github.mqtt2tdengine.payload.TopicFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One topic filter and the maximum QoS to subscribe with.
 *
 * @since 0.1.0
 */
public final class TopicSubscription {
    private final String filter;
    private final int qos;

    private TopicSubscription(String filter, int qos) {
        this.filter = filter;
        this.qos = qos;
    }

    /**
     * Creates a subscription.
     *
     * @param filter an MQTT topic filter ({@code +}, {@code #}, {@code $share/group/filter})
     * @param qos 0, 1 or 2
     * @return the subscription
     * @throws IllegalArgumentException if the filter or QoS is not valid
     */
    public static TopicSubscription of(String filter, int qos) {
        Objects.requireNonNull(filter, "topic filter must not be null");
        TopicFilter.parse(filter);
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS of topic filter '" + filter + "' must be 0, 1 or 2, but was " + qos);
        }
        return new TopicSubscription(filter, qos);
    }

    /**
     * Parses the "Topic QoS Config" of the TDengine Cloud MQTT data source form: {@code topic::qos,topic2::qos}; an
     * entry without {@code ::qos} gets QoS 1.
     *
     * @param config the list
     * @return the subscriptions in order
     * @throws IllegalArgumentException naming the bad entry
     */
    public static List<TopicSubscription> parseList(String config) {
        Objects.requireNonNull(config, "topics must not be null");
        List<TopicSubscription> out = new ArrayList<>();
        for (String raw : config.split(",", -1)) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                throw new IllegalArgumentException("topic QoS config '" + config + "' has an empty entry");
            }
            int sep = entry.lastIndexOf("::");
            String filter = sep < 0 ? entry : entry.substring(0, sep).trim();
            String qosText = sep < 0 ? "1" : entry.substring(sep + 2).trim();
            int qos;
            try {
                qos = Integer.parseInt(qosText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("topic QoS config entry '" + entry + "': QoS must be 0, 1 or 2, but"
                        + " was '" + qosText + "'", e);
            }
            try {
                out.add(of(filter, qos));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("topic QoS config entry '" + entry + "': " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * Returns the topic filter.
     *
     * @return the filter
     */
    public String filter() {
        return filter;
    }

    /**
     * Returns the maximum QoS.
     *
     * @return 0, 1 or 2
     */
    public int qos() {
        return qos;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicSubscription && ((TopicSubscription) o).filter.equals(filter)
                && ((TopicSubscription) o).qos == qos;
    }

    @Override
    public int hashCode() {
        return filter.hashCode() * 3 + qos;
    }

    @Override
    public String toString() {
        return filter + "::" + qos;
    }
}
