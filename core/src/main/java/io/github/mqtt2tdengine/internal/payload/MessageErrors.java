package io.github.mqtt2tdengine.internal.payload;

import io.github.mqtt2tdengine.errors.DeadLetterReason;
import io.github.mqtt2tdengine.errors.PayloadException;

/**
 * How a mapping's errors read: {@code Pipeline 'p': <what>, in message on topic 't'}, with the element of a split
 * message where there is one. Immutable. Not API; may change in any release.
 */
final class MessageErrors {
    private final String pipelineName;
    /** The row-split path's text, or null. */
    private final String split;

    MessageErrors(String pipelineName, String split) {
        this.pipelineName = pipelineName;
        this.split = split;
    }

    /** The error, naming the pipeline and the topic. */
    PayloadException error(DeadLetterReason reason, String what, String topic, Throwable cause) {
        return new PayloadException(reason, "Pipeline '" + pipelineName + "': " + what + ", in message on topic '"
                + topic + "'", cause);
    }

    /** Where in a split message an error is: {@code " (element 3 of '$.readings[*]')"}, empty for unsplit rows. */
    String inElement(int element) {
        return element >= 0 ? " (element " + element + " of '" + split + "')" : "";
    }
}
