package io.github.mqtt2tdengine.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The file bound onto the records: paths in errors reach into routes and lists, secrets never show. */
class SettingsBindingTest {
    private static final String ROUTES = """
            { "mqtt": { "endpoint": "127.0.0.1:1883", "topics": "#", "username": "u", "password": "pw-secret" },
              "tdengine": { "url": "jdbc:TAOS-WS://h:6041/db?token=tok-secret", "user": "root",
                            "password": "td-secret" },
              "routes": [ { "topicFilter": "a/#", "parser": { "fields": [ { "path": "$.id", "name": "id",
                  "type": "INT", "as": "tag" } ], "subTable": "d{id}", "superTable": "a" } } ] }
            """;

    @Test
    void unknownKeyInARoute_namesItsPath() {
        assertThatThrownBy(() -> PipelineConfig.parse(ROUTES.replace("\"fields\"", "\"fildes\"")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown key routes[0].parser.fildes (see docs/configuration.md, the configuration reference)");
    }

    @Test
    void wrongTypes_nameThePath() {
        assertThatThrownBy(() -> PipelineConfig.parse(ROUTES.replace("\"as\": \"tag\"", "\"as\": 7")))
                .hasMessage("routes[0].parser.fields[0].as must be one of [ignore, column, tag], but was 7");
        assertThatThrownBy(() -> PipelineConfig.parse(ROUTES.replace("\"routes\": [", "\"routes\": [ 1, ")))
                .hasMessage("routes[0] must be an object, but was 1");
        assertThatThrownBy(() -> PipelineConfig.parse(ROUTES.replace("\"pw-secret\"", "{\"x\": 1}")))
                .hasMessage("mqtt.password must be a string, but was a object");
    }

    @Test
    void toString_ofSettingsAndConfig_hidesSecretsAndTheUrlQuery() {
        PipelineConfig c = PipelineConfig.parse(ROUTES);
        assertThat(c.settings().toString()).contains("username=u").contains("password=****")
                .doesNotContain("pw-secret").doesNotContain("td-secret").doesNotContain("tok-secret");
        assertThat(c.toString()).doesNotContain("secret");
        assertThat(new TlsSettings(true, "ca", "cert", "key-secret", true).toString()).doesNotContain("key-secret");
    }
}
