package io.github.mqtt2tdengine.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged demo jar ({@code java -jar mqtt2tdengine-demo.jar}), run as its own process. */
class DemoIT {
    private static final Path JAR = Path.of("target", "mqtt2tdengine-demo.jar");
    private static final Pattern SUMMARY = Pattern.compile(
            "received=(\\d+) rows=(\\d+) written=(\\d+) deadLettered=(\\d+) acked=(\\d+)");

    @TempDir
    Path dir;

    @Test
    void demo_withoutArguments_endsWithTheSummary() throws Exception {
        Path out = dir.resolve("demo.out");
        Path err = dir.resolve("demo.err");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString())).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("demo did not stop in 180 s; stdout: " + Files.readString(out));
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(Files.readString(err, StandardCharsets.UTF_8)).isZero();
        Matcher m = SUMMARY.matcher(stdout);
        assertThat(m.find()).as(stdout).isTrue();
        long received = Long.parseLong(m.group(1));
        assertThat(received).isPositive();
        assertThat(Long.parseLong(m.group(5))).isEqualTo(received);
        assertThat(Long.parseLong(m.group(4))).isEqualTo(received / 500);
        assertThat(Long.parseLong(m.group(3))).isEqualTo(received - received / 500);
        assertThat(stdout).contains("CREATE STABLE IF NOT EXISTS `mqtt2td_demo`.`meters`");
    }
}
