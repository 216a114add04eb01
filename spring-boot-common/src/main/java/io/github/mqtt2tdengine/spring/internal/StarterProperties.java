package io.github.mqtt2tdengine.spring.internal;

import io.github.mqtt2tdengine.spring.PipelineLifecycle;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The starter's own switches under {@code mqtt2tdengine}: whether it configures a pipeline and how the pipeline
 * follows the application context. The configuration keys beside them ({@code mqtt2tdengine.mqtt.*},
 * {@code mqtt2tdengine.parser.*}, ...) bind onto the settings records ({@link SettingsBinder}); their metadata comes
 * from {@code META-INF/additional-spring-configuration-metadata.json}. Not API: both starters enable it.
 */
@ConfigurationProperties(prefix = StarterAssembly.PREFIX)
public class StarterProperties {
    /** Whether the starter configures a pipeline from the mqtt2tdengine properties. */
    private boolean enabled = true;

    /** How the pipeline follows the application context. */
    private final Lifecycle lifecycle = new Lifecycle();

    /** Creates the defaults; Spring binds the properties onto them. */
    public StarterProperties() {
    }

    /** @return {@code mqtt2tdengine.enabled} */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled {@code mqtt2tdengine.enabled} */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the {@code mqtt2tdengine.lifecycle} switches */
    public Lifecycle getLifecycle() {
        return lifecycle;
    }

    /** The {@code mqtt2tdengine.lifecycle} switches. */
    public static class Lifecycle {
        /** Whether the pipeline starts when the application context has started. */
        private boolean autoStartup = true;

        /**
         * The SmartLifecycle phase of the pipeline: it starts after and stops before lower phases (the default starts
         * it after the web server and stops it before).
         */
        private int phase = PipelineLifecycle.DEFAULT_PHASE;

        /** @return {@code mqtt2tdengine.lifecycle.auto-startup} */
        public boolean isAutoStartup() {
            return autoStartup;
        }

        /** @param autoStartup {@code mqtt2tdengine.lifecycle.auto-startup} */
        public void setAutoStartup(boolean autoStartup) {
            this.autoStartup = autoStartup;
        }

        /** @return {@code mqtt2tdengine.lifecycle.phase} */
        public int getPhase() {
            return phase;
        }

        /** @param phase {@code mqtt2tdengine.lifecycle.phase} */
        public void setPhase(int phase) {
            this.phase = phase;
        }
    }
}
