package io.github.mqtt2tdengine.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.mqtt2tdengine.mqtt.testing.Mosquitto;
import io.github.mqtt2tdengine.mqtt.testing.Publisher;
import io.github.mqtt2tdengine.tdengine.testing.TDengineRestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plays a host application: small Maven projects that depend on the installed artifacts, with the BOM imported, run
 * Maven's {@code dependencyConvergence} rule and print their class path (jars, MB) per module, as a host would see
 * it. The full host (core + mqtt + tdengine) is compiled and run: an MQTT 5 pipeline builds without Paho, and asking
 * for MQTT 3.1 fails at {@code build()} naming the dependency to add.
 */
class HostProjectIT {
    private static final String VERSION = System.getProperty("mqtt2td.version");
    private static final Path MAVEN_HOME = Path.of(System.getProperty("mqtt2td.maven.home"));
    private static final String REPO = System.getProperty("mqtt2td.maven.repo");

    @TempDir
    Path dir;

    record Classpath(List<Path> jars) {
        long bytes() {
            return jars.stream().mapToLong(j -> {
                try {
                    return Files.size(j);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).sum();
        }

        List<String> names() {
            return jars.stream().map(j -> j.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    record Build(int exit, String output) {
    }

    @Test
    void hostProjects_withBom_convergeAndReportTheirClasspath() throws Exception {
        List<String> table = new ArrayList<>();
        table.add("| host depends on | jars | MB |");
        table.add("|---|---|---|");
        String[][] hosts = {
            {"core"}, {"core", "mqtt"}, {"core", "tdengine"}, {"core", "mqtt", "tdengine"}, {"runner"},
        };
        Classpath all = null;
        Path allProject = null;
        for (String[] modules : hosts) {
            Path project = project(String.join("-", modules), true, true, modules);
            Build b = maven(project, "package", "org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath",
                    "-Dmdep.outputFile=cp.txt");
            assertThat(b.exit()).as("host %s with the BOM: %s", Arrays.toString(modules), b.output()).isZero();
            Classpath cp = classpath(project);
            table.add(String.format(Locale.ROOT, "| %s | %d | %.1f |", Arrays.stream(modules)
                    .map(m -> "`" + m + "`").collect(Collectors.joining(" + ")), cp.jars().size(),
                    cp.bytes() / 1_048_576.0));
            if (modules.length == 3) {
                all = cp;
            }
            if (modules.length == 1 && modules[0].equals("runner")) {
                assertThat(cp.names()).as("a library: no logging binding, no Paho").noneMatch(n -> n.startsWith(
                        "logback")).noneMatch(n -> n.startsWith("org.eclipse.paho"));
            }
            if (modules.length == 3) {
                allProject = project;
            }
        }
        System.out.println("HostProjectIT: class path of a host application (mqtt2tdengine jars included)");
        table.forEach(System.out::println);

        assertThat(all.names()).noneMatch(n -> n.startsWith("org.eclipse.paho")).as("Paho is optional")
                .noneMatch(n -> n.startsWith("netty-all")).as("no netty-all from the TDengine driver");
        assertThat(all.names().stream().filter(n -> n.startsWith("netty-"))).allMatch(n -> n.contains(
                "4.1.140.Final"));
        // the host runs: MQTT 5 without Paho works, MQTT 3.1 says which dependency to add
        String cp = Files.readString(allProject.resolve("cp.txt")).strip();
        Process run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                allProject.resolve("target/classes") + java.io.File.pathSeparator + cp, "host.HostApp")
                .redirectErrorStream(true).start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(out).isZero();
        assertThat(out).contains("MQTT 5.0 pipeline built: [meters")
                .contains("MQTT 3.1: MQTT 3.1 is spoken through Eclipse Paho, which is not on the class path: add "
                        + "the dependency org.eclipse.paho:org.eclipse.paho.client.mqttv3");
    }

    @Test
    void hostProject_withoutBom_isReported() throws Exception {
        // not asserted either way: the figure for ARCHITECTURE.md (before this module existed: 11 convergence errors)
        Path project = project("no-bom", false, false, "core", "mqtt", "tdengine");
        Build b = maven(project, "validate");
        long errors = b.output().lines().filter(l -> l.startsWith("Dependency convergence error")).count();
        System.out.println("HostProjectIT: core + mqtt + tdengine WITHOUT the BOM: dependencyConvergence "
                + (b.exit() == 0 ? "passes" : "fails with " + errors + " errors"));
        assertThat(b.output()).doesNotContain("Could not resolve");
    }

    /** The README's dependency block (BOM import and the modules), as a host pastes it. */
    static String readmeBlock() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int install = readme.indexOf("## Install and add the dependency");
        int start = readme.indexOf("```xml\n", install) + 7;
        return readme.substring(start, readme.indexOf("```", start));
    }

    @Test
    void readmeDependencyBlock_isAHostThatConverges() throws Exception {
        Path p = Files.createDirectories(dir.resolve("readme"));
        Files.writeString(p.resolve("pom.xml"), pom("readme", readmeBlock().replace("0.1.0-SNAPSHOT", VERSION)));
        Build b = maven(p, "validate");
        assertThat(b.exit()).as(b.output()).isZero();
        assertThat(readmeBlock()).contains("<artifactId>mqtt2tdengine-bom</artifactId>");
    }

    private Path project(String name, boolean bom, boolean app, String... modules) throws IOException {
        Path p = Files.createDirectories(dir.resolve(name));
        StringBuilder deps = new StringBuilder();
        for (String m : modules) {
            deps.append("    <dependency><groupId>io.github.mqtt2tdengine</groupId><artifactId>mqtt2tdengine-")
                    .append(m).append("</artifactId>").append(bom ? "" : "<version>" + VERSION + "</version>")
                    .append("</dependency>\n");
        }
        String managed = bom ? """
                  <dependencyManagement><dependencies><dependency>
                    <groupId>io.github.mqtt2tdengine</groupId><artifactId>mqtt2tdengine-bom</artifactId>
                    <version>%s</version><type>pom</type><scope>import</scope>
                  </dependency></dependencies></dependencyManagement>
                """.formatted(VERSION) : "";
        String pom = pom(name, managed + "  <dependencies>\n" + deps + "  </dependencies>\n");
        Files.writeString(p.resolve("pom.xml"), pom);
        if (app && modules.length == 3) {
            Path src = Files.createDirectories(p.resolve("src/main/java/host"));
            try (var in = HostProjectIT.class.getResourceAsStream("/host/HostApp.java")) {
                Files.write(src.resolve("HostApp.java"), in.readAllBytes());
            }
        }
        return p;
    }

    private static String pom(String name, String dependencies) {
        return """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>example</groupId><artifactId>host-%s</artifactId><version>1</version>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                %s
                  <build><plugins>
                    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-enforcer-plugin</artifactId>
                      <version>3.5.0</version>
                      <executions><execution><id>converge</id><phase>validate</phase><goals><goal>enforce</goal></goals>
                        <configuration><rules><dependencyConvergence/></rules></configuration>
                      </execution></executions>
                    </plugin>
                    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId>
                      <version>3.14.0</version></plugin>
                    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId>
                      <version>3.3.1</version></plugin>
                    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId>
                      <version>3.5.4</version></plugin>
                    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-jar-plugin</artifactId>
                      <version>3.4.2</version></plugin>
                  </plugins></build>
                </project>
                """.formatted(name, dependencies);
    }

    private Build maven(Path project, String... goals) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(MAVEN_HOME.resolve("bin").resolve("mvn").toString(), "-B",
                "-Dmaven.repo.local=" + REPO));
        cmd.addAll(List.of(goals));
        Path log = project.resolve("build.log");
        Process p = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("host build did not finish in 5 minutes: " + Files.readString(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8).lines().map(l -> l.replace("[ERROR] ", "")
                .replace("[WARNING] ", "")).collect(Collectors.joining("\n"));
        return new Build(p.exitValue(), output);
    }

    private static Classpath classpath(Path project) throws IOException {
        String text = Files.readString(project.resolve("cp.txt")).strip();
        List<Path> jars = text.isEmpty() ? List.of() : Arrays.stream(text.split(java.io.File.pathSeparator))
                .map(Path::of).collect(Collectors.toList());
        return new Classpath(jars);
    }

    /** What a Boot host with Actuator and the web starter depends on, before mqtt2tdengine. */
    private static final String BOOT_WEB = """
                <dependency><groupId>org.springframework.boot</groupId>
                  <artifactId>spring-boot-starter-actuator</artifactId></dependency>
                <dependency><groupId>org.springframework.boot</groupId>
                  <artifactId>spring-boot-starter-web</artifactId></dependency>
            """;

    private static String bootBom(String version) {
        return """
                    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-dependencies</artifactId>
                      <version>%s</version><type>pom</type><scope>import</scope></dependency>
                """.formatted(version);
    }

    private static String ourBom() {
        return """
                    <dependency><groupId>io.github.mqtt2tdengine</groupId><artifactId>mqtt2tdengine-bom</artifactId>
                      <version>%s</version><type>pom</type><scope>import</scope></dependency>
                """.formatted(VERSION);
    }

    /** docs/spring-boot.md's Maven block under a heading, as a host pastes it, with Actuator and web added. */
    static String springBootBlock(String heading) throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "spring-boot.md"));
        int at = doc.indexOf("\n## " + heading + "\n");
        assertThat(at).as("docs/spring-boot.md has a section " + heading).isNotNegative();
        int start = doc.indexOf("```xml\n", at) + 7;
        String block = doc.substring(start, doc.indexOf("```", start)).replace("0.1.0-SNAPSHOT", VERSION);
        int end = block.lastIndexOf("</dependencies>");
        return block.substring(0, end) + BOOT_WEB + block.substring(end);
    }

    private static String starter(String artifact) {
        return """
                    <dependency><groupId>io.github.mqtt2tdengine</groupId>
                      <artifactId>%s</artifactId></dependency>
                """.formatted(artifact);
    }

    @Test
    void springBoot35Host_theStarterConverges_andItsAddedJarsAreReported() throws Exception {
        Classpath plain = bootHost("boot35-plain", null, bootBom("3.5.7"), BOOT_WEB);
        // docs/spring-boot.md's block for Boot 3.5, word for word: the mqtt2tdengine BOM before Spring Boot's
        Classpath with = bootHost("boot35-starter", springBootBlock("Spring Boot 3.5"), false);
        report("a Spring Boot 3.5.7 host with Actuator and web", plain, with, "mqtt2tdengine-spring-boot-starter");
    }

    /**
     * Boot 4.1 as docs/spring-boot.md writes it: Boot's parent, Boot's BOM imported before mqtt2tdengine's (a
     * child's imports come before its parent's, so without it the mqtt2tdengine BOM would pin Netty 4.1 under Boot 4).
     * The host gets Boot's Netty 4.2, Jackson 2.21 and JsonPath 2.10; {@code dependencyConvergence} passes. Then the
     * same without the parent, the BOMs imported in that order.
     */
    @Test
    void springBoot41Host_withTheParent_orTheBoms_converges_onBootsNettyAndJackson() throws Exception {
        Classpath plain = bootHost("boot41-plain", "4.1.2", "", BOOT_WEB);
        Classpath with = bootHost("boot41-starter", springBootBlock("Spring Boot 4"), false);
        report("a Spring Boot 4.1.2 host (spring-boot-starter-parent) with Actuator and web", plain, with,
                "mqtt2tdengine-spring-boot4-starter");
        assertThat(with.names()).as("Boot 4.1's Netty, Jackson 2 and JsonPath")
                .anyMatch(n -> n.equals("netty-handler-4.2.19.Final.jar"))
                .anyMatch(n -> n.equals("jackson-databind-2.21.7.jar"))
                .anyMatch(n -> n.equals("json-path-2.10.0.jar"))
                .noneMatch(n -> n.startsWith("netty-") && n.contains("4.1."));
        Classpath boms = bootHost("boot41-boms", null, bootBom("4.1.2") + ourBom(),
                BOOT_WEB + starter("mqtt2tdengine-spring-boot4-starter"));
        assertThat(boms.names()).containsExactlyInAnyOrderElementsOf(with.names());
        // why the block imports Boot's BOM again: with mqtt2tdengine's alone, its imports go before the parent's
        Classpath oursOnly = bootHost("boot41-ours-only", "4.1.2", ourBom(),
                BOOT_WEB + starter("mqtt2tdengine-spring-boot4-starter"));
        assertThat(oursOnly.names()).as("the mqtt2tdengine BOM alone under Boot 4.1's parent")
                .contains("netty-handler-4.1.140.Final.jar", "jackson-databind-2.23.0.jar");
    }

    /**
     * The Boot 4 starter on Boot 4.0 (parent 4.0.7): the sample service compiled in a host project of its own and run
     * against mosquitto and the REST test server: healthy over HTTP, messages written.
     */
    @Test
    void springBoot40Host_runsTheSample_againstMosquittoAndTdengine() throws Exception {
        bootHost("boot40-sample", springBootBlock("Spring Boot 4").replace("<version>4.1.2</version>",
                "<version>4.0.7</version>"), true);
        Path project = dir.resolve("boot40-sample");
        String cp = project.resolve("target/classes") + java.io.File.pathSeparator
                + Files.readString(project.resolve("cp.txt")).strip();
        assertThat(cp).contains("spring-boot-4.0.7.jar").contains("mqtt2tdengine-spring-boot4-starter");
        try (Mosquitto broker = Mosquitto.builder(Files.createDirectories(dir.resolve("broker"))).start();
                TDengineRestServer td = new TDengineRestServer("root", "taosdata")) {
            Process app = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
                    "io.github.mqtt2tdengine.sample.SampleApplication", "--server.port=0",
                    "--server.address=127.0.0.1", "--MQTT_ENDPOINT=127.0.0.1:" + broker.port(),
                    "--TDENGINE_URL=" + td.url("power"), "--TDENGINE_PASSWORD=taosdata")
                    .redirectErrorStream(true).redirectOutput(project.resolve("app.log").toFile()).start();
            try {
                Pattern started = Pattern.compile("Tomcat started on port (\\d+)");
                await().atMost(Duration.ofSeconds(90)).until(() -> !app.isAlive()
                        || started.matcher(Files.readString(project.resolve("app.log"))).find());
                String log = Files.readString(project.resolve("app.log"));
                Matcher port = started.matcher(log);
                assertThat(port.find()).as(log).isTrue();
                HttpClient http = HttpClient.newHttpClient();
                URI health = URI.create("http://127.0.0.1:" + port.group(1) + "/actuator/health/mqtt2tdengine");
                await().atMost(Duration.ofSeconds(30)).until(() -> http.send(HttpRequest.newBuilder(health).GET()
                        .build(), HttpResponse.BodyHandlers.ofString()).body().contains("\"status\":\"UP\""));
                long ts = System.currentTimeMillis();
                try (Publisher pub = new Publisher(broker.port())) {
                    for (int i = 0; i < 10; i++) {
                        pub.publish("plant/m1/meters", "{\"id\":" + (i % 2) + ",\"current\":" + i + ".5,\"ts\":"
                                + (ts + i) + "}", 1);
                    }
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> td.rowCount("power", "meters") == 10);
                System.out.println("HostProjectIT: the sample on Spring Boot 4.0.7 with mqtt2tdengine-spring-boot4-starter:"
                        + " healthy over HTTP, 10 messages written");
            } finally {
                app.destroy();
                if (!app.waitFor(30, TimeUnit.SECONDS)) {
                    app.destroyForcibly();
                }
            }
        }
    }

    private void report(String host, Classpath plain, Classpath with, String artifact) {
        List<String> added = new ArrayList<>(with.names());
        added.removeAll(plain.names());
        List<String> versions = with.names().stream().filter(n -> n.matches(
                "(netty-handler|jackson-databind|json-path|micrometer-core)-[0-9].*")).sorted().toList();
        System.out.printf(Locale.ROOT, "HostProjectIT: %s: %d jars, %.1f MB; with %s: %d jars, %.1f MB (%d jars, %.1f MB "
                + "added: %s); versions the host gets: %s%n", host, plain.jars().size(), plain.bytes() / 1_048_576.0,
                artifact, with.jars().size(), with.bytes() / 1_048_576.0, added.size(),
                (with.bytes() - plain.bytes()) / 1_048_576.0, added, versions);
        assertThat(added).anyMatch(n -> n.startsWith(artifact)).anyMatch(n -> n.startsWith(
                "mqtt2tdengine-spring-boot-common")).noneMatch(n -> n.startsWith("logback"))
                .noneMatch(n -> n.startsWith("slf4j-simple"));
    }

    private Classpath bootHost(String name, String parent, String imports, String dependencies) throws Exception {
        String managed = imports.isEmpty() ? "" : "  <dependencyManagement><dependencies>\n" + imports
                + "  </dependencies></dependencyManagement>\n";
        String parentElement = parent == null ? "" : """
                <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId>
                  <version>%s</version><relativePath/></parent>
                """.formatted(parent);
        return bootHost(name, parentElement + managed + "  <dependencies>\n" + dependencies + "  </dependencies>\n",
                false);
    }

    /**
     * A host project with the given elements (a parent, dependency management, dependencies) in its pom, the parent
     * moved to its place; with {@code sample}, the sample service's sources and application.yml copied in.
     */
    private Classpath bootHost(String name, String content, boolean sample) throws Exception {
        Path p = Files.createDirectories(dir.resolve(name));
        String parent = "";
        int from = content.indexOf("<parent>");
        if (from >= 0) {
            int to = content.indexOf("</parent>") + "</parent>".length();
            parent = content.substring(from, to) + "\n";
            content = content.substring(0, from) + content.substring(to);
        }
        String pom = pom(name, content).replace("  <modelVersion>4.0.0</modelVersion>\n",
                "  <modelVersion>4.0.0</modelVersion>\n" + parent);
        Files.writeString(p.resolve("pom.xml"), pom);
        if (sample) {
            Path sampleDir = Path.of("..", "examples", "spring-boot-sample", "src", "main");
            Path src = Files.createDirectories(p.resolve("src/main/java/io/github/mqtt2tdengine/sample"));
            Files.copy(sampleDir.resolve("java/io/github/mqtt2tdengine/sample/SampleApplication.java"),
                    src.resolve("SampleApplication.java"));
            Files.copy(sampleDir.resolve("resources/application.yml"),
                    Files.createDirectories(p.resolve("src/main/resources")).resolve("application.yml"));
        }
        Build b = maven(p, "package", "org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath",
                "-Dmdep.outputFile=cp.txt");
        assertThat(b.exit()).as("Spring Boot host %s: %s", name, b.output()).isZero();
        return classpath(p);
    }
}
