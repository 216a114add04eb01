package io.github.mqtt2tdengine.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The starter's own switches under {@code mqtt2tdengine}: whether it configures a pipeline and how the pipeline
 * follows the application context. The configuration keys beside them ({@code mqtt2tdengine.mqtt.*},
 * {@code mqtt2tdengine.parser.*}, ...) bind onto the settings records ({@link SettingsBinder}); their metadata comes
 * from {@code META-INF/additional-spring-configuration-metadata.json}. Not API.
 */
@ConfigurationProperties(prefix = Mqtt2TdengineAutoConfiguration.PREFIX)
class StarterProperties {
    /** Whether the starter configures a pipeline from the mqtt2tdengine properties. */
    private boolean enabled = true;

    /** How the pipeline follows the application context. */
    private final Lifecycle lifecycle = new Lifecycle();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Lifecycle getLifecycle() {
        return lifecycle;
    }

    /** The {@code mqtt2tdengine.lifecycle} switches. */
    static class Lifecycle {
        /** Whether the pipeline starts when the application context has started. */
        private boolean autoStartup = true;

        /**
         * The SmartLifecycle phase of the pipeline: it starts after and stops before lower phases (the default starts
         * it after the web server and stops it before).
         */
        private int phase = PipelineLifecycle.DEFAULT_PHASE;

        public boolean isAutoStartup() {
            return autoStartup;
        }

        public void setAutoStartup(boolean autoStartup) {
            this.autoStartup = autoStartup;
        }

        public int getPhase() {
            return phase;
        }

        public void setPhase(int phase) {
            this.phase = phase;
        }
    }
}
