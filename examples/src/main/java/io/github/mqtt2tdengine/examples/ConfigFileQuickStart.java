package io.github.mqtt2tdengine.examples;

import io.github.mqtt2tdengine.PipelineListener;
import io.github.mqtt2tdengine.PipelineState;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.settings.PipelineConfig;
import java.nio.file.Path;

/**
 * docs/configuration.md's "The config file from Java": a host application loads the runner's config file
 * ({@code meters.json} in the working directory) and adds its own sink and listener. Run by
 * {@code ConfigFileQuickStartIT} against a real broker.
 */
public final class ConfigFileQuickStart {
    private ConfigFileQuickStart() {
    }

    /**
     * Runs the pipeline until the JVM is stopped.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        SyncPipeline pipeline = PipelineConfig.load(Path.of("meters.json"))     // the runner's config file
                .toPipelineBuilder()                        // source, mapping and options from the file
                .sink(new CsvFileSink(Path.of("meters.csv")))                   // your sink: no tdengine section needed
                .listener(new PipelineListener() {
                    @Override
                    public void onStateChanged(PipelineState previous, PipelineState current) {
                        System.out.println("pipeline " + current);            // STARTING, RUNNING, CLOSING, CLOSED
                    }

                    @Override
                    public void onFailed(Throwable cause) {
                        System.err.println("pipeline failed: " + cause.getMessage());   // alert, restart, ...
                    }
                })
                .build();
        pipeline.start();
        Runtime.getRuntime().addShutdownHook(new Thread(pipeline::close));       // write + ack the last batch
    }
}
