package io.github.mqtt2tdengine.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.mqtt2tdengine.spring.internal.StarterAssembly;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/**
 * The configuration metadata of the settings keys, {@code META-INF/additional-spring-configuration-metadata.json},
 * is what the settings records say: every key (names and types from the records, descriptions from their Javadoc).
 * The annotation processor merges that file into the jar's {@code spring-configuration-metadata.json} with the
 * starter's own switches. When a record changes, this test fails and writes the file to regenerate to
 * {@code target/additional-spring-configuration-metadata.json}: copy it to {@code src/main/resources/META-INF/}.
 */
class SettingsMetadataTest {
    static final Path ADDITIONAL = Path.of("src", "main", "resources", "META-INF",
            "additional-spring-configuration-metadata.json");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Test
    void additionalMetadata_isGeneratedFromTheSettingsRecords() throws Exception {
        Map<String, Object> expected = generate();
        String text = JSON.writeValueAsString(expected) + "\n";
        JsonNode committed = Files.exists(ADDITIONAL) ? JSON.readTree(Files.readString(ADDITIONAL)) : null;
        if (!JSON.valueToTree(expected).equals(committed)) {
            Files.writeString(Path.of("target", "additional-spring-configuration-metadata.json"), text);
        }
        assertThat(committed).as("%s is not what the settings records say: copy "
                + "target/additional-spring-configuration-metadata.json over it", ADDITIONAL)
                .isEqualTo(JSON.valueToTree(expected));
    }

    static Map<String, Object> generate() throws Exception {
        List<Object> groups = new ArrayList<>();
        List<Object> properties = new ArrayList<>();
        for (SettingsModel.Key k : SettingsModel.keys()) {
            if (k.inList()) {
                continue; // described by its list's entry: Spring's metadata has no names for list elements
            }
            String name = StarterAssembly.PREFIX + "." + SettingsModel.kebab(k.path());
            assertThat(k.description()).as("Javadoc @param of %s", k.path()).isNotBlank();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", name);
            entry.put("type", k.component().getGenericType().getTypeName());
            String description = k.description();
            if (k.elementType() != null) {
                StringJoiner keys = new StringJoiner(", ", " Keys of each element: ", ".");
                for (var c : k.elementType().getRecordComponents()) {
                    keys.add(SettingsModel.kebab(c.getName()));
                }
                description += keys;
            }
            entry.put("description", description);
            entry.put("sourceType", k.owner().getName());
            if (k.path().equals("parser.filter")) {
                entry.put("deprecation", Map.of("level", "warning", "replacement",
                        "mqtt2tdengine.parser.filter-expression", "reason",
                        "Split into filter-expression (an expression over the row) and payload-filter (a JSONPath "
                                + "predicate on the payload); still accepted for one release with a WARN."));
            }
            (k.isSection() ? groups : properties).add(entry);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("groups", groups);
        root.put("properties", properties);
        return root;
    }
}
