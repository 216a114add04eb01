package io.github.mqtt2tdengine.examples;

import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.deadletters.FileDeadLetters;
import io.github.mqtt2tdengine.mqtt.MqttDeadLetters;
import io.github.mqtt2tdengine.mqtt.MqttTransport;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.tdengine.TDengineDeadLetterReplay;
import io.github.mqtt2tdengine.tdengine.TDengineDeadLetters;
import io.github.mqtt2tdengine.tdengine.TDengineSink;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Dead letters kept in TDengine, on an MQTT topic and in files, and replayed from TDengine once the mapping is fixed
 * (docs/dead-letters.md). Run in CI by {@code DeadLettersIT} against a real mosquitto and every TDengine peer present.
 */
public final class DeadLetterExample {
    private DeadLetterExample() {
    }

    /**
     * A pipeline whose dead letters go to all three destinations.
     *
     * @param source the MQTT source
     * @param sink the TDengine sink
     * @param spec the mapping
     * @param directory where the files go
     * @return the pipeline, not started
     */
    public static SyncPipeline pipeline(MqttTransport source, TDengineSink sink, PayloadSpec spec, Path directory) {
        SyncPipeline pipeline = SyncPipeline.builder()
                .name("plant-a-meters")
                .source(source)
                .payload(spec)
                .sink(sink)
                .deadLetterHandler(TDengineDeadLetters.builder().sink(sink).build())         // mqtt2td_dead_letters
                .addDeadLetterHandler(MqttDeadLetters.builder().connection(source).build())  // mqtt2td/dead-letters/...
                .addDeadLetterHandler(FileDeadLetters.builder().directory(directory).build()) // dead-letters.jsonl
                .build();
        return pipeline;
    }

    /**
     * Replays the pipeline's dead letters kept in TDengine through a fixed mapping into the same sink; those that still
     * fail go back to the table with their new reason.
     *
     * @param sink the TDengine sink
     * @param fixed the fixed mapping
     * @return what the replay did
     * @throws Exception when the replay fails or takes longer than ten minutes
     */
    public static TDengineDeadLetterReplay.Result replay(TDengineSink sink, PayloadSpec fixed) throws Exception {
        TDengineDeadLetters deadLetters = TDengineDeadLetters.builder().sink(sink).build();
        TDengineDeadLetterReplay replay = deadLetters.replay().pipelineName("plant-a-meters").build();
        SyncPipeline replaying = SyncPipeline.builder()
                .name("plant-a-meters")
                .source(replay)                     // the dead letters, with their original topics
                .payload(fixed)                     // the mapping, fixed
                .sink(sink)
                .deadLetterHandler(deadLetters)     // what still fails goes back, with its new reason
                .build();
        replaying.start();
        TDengineDeadLetterReplay.Result result = replay.completion().get(10, TimeUnit.MINUTES);
        replaying.close();
        return result;
    }
}
