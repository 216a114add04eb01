package io.github.mqtt2tdengine.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's Java code blocks are the compiled examples, word for word (the examples' ITs run them). */
class ReadmeExamplesTest {

    /** The README's Java block that starts with {@code firstLine}, without the fences. */
    private static String readmeBlock(String firstLine) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("```java\n" + firstLine);
        assertThat(start).as("README block starting with " + firstLine).isNotNegative();
        return readme.substring(start + 8, readme.indexOf("```", start + 8)).strip();
    }

    /** The lines of {@code main} from {@code firstLine} to the shutdown hook, indented as in the README. */
    private static String compiled(String className, String firstLine) throws Exception {
        String source = Files.readString(Path.of("src", "main", "java", "io", "github", "mqtt2tdengine", "examples",
                className + ".java"));
        int from = source.indexOf("        " + firstLine);
        assertThat(from).as(className + " line " + firstLine).isNotNegative();
        int to = source.indexOf('\n', source.indexOf("addShutdownHook", from));
        return source.substring(from, to).lines().map(l -> l.startsWith("        ") ? l.substring(8) : l)
                .collect(Collectors.joining("\n")).strip();
    }

    @Test
    void readmeQuickStart_isTheCompiledExample() throws Exception {
        String first = "SyncPipeline pipeline = SyncPipeline.builder()";
        assertThat(readmeBlock(first)).isEqualTo(compiled("QuickStart", first));
    }

    @Test
    void readmeConfigFileFromJava_isTheCompiledExample() throws Exception {
        String first = "SyncPipeline pipeline = PipelineConfig.load(Path.of(\"meters.json\"))";
        assertThat(readmeBlock(first)).isEqualTo(compiled("ConfigFileQuickStart", first));
    }
}
