package io.github.mqtt2tdengine.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mqtt2tdengine.PipelineState;
import io.github.mqtt2tdengine.settings.PipelineConfig;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.yaml.snakeyaml.Yaml;

/**
 * Every fenced code block of README.md, ARCHITECTURE.md and docs/*.md is accounted for by exactly one check, and the
 * check runs: Java blocks are the compiled examples word for word (the examples' ITs run those), the config file is
 * loaded by {@link PipelineConfig#parse}, the Spring Boot YAML is bound by {@link PipelineConfig#fromTree} with every
 * key in the configuration reference, the alert rules are parsed (the micrometer module's test checks their meters),
 * Maven and Gradle coordinates match the build, every shell command names a script, jar, class and option that
 * exist, and the text diagrams name only modules, packages, classes and states that exist. A block no check claims
 * fails the test. Also: relative links between the Markdown files resolve to files and headings, and the README's
 * two commands are true. No broker, no database: fast.
 */
class DocsCodeBlocksTest {
    private static final Path ROOT = Path.of("..");
    private static final Path EXAMPLES_MAIN = ROOT.resolve("examples/src/main/java");
    private static final String VERSION = projectVersion();
    private static final String GROUP = "io.github.mqtt2tdengine";

    /** A fenced block: where it starts (the fence's line, 1-based), its info string and its text. */
    record Block(String file, int line, String lang, String text) {
        String where() {
            return file + ":" + line + " (" + (lang.isEmpty() ? "no language" : lang) + ")";
        }

        String firstLine() {
            return text.lines().findFirst().orElse("");
        }
    }

    /** One kind of block and how it is checked; {@code verify} returns what it checked, for the report. */
    private record Check(String name, java.util.function.Predicate<Block> applies, Verifier verify) {
    }

    @FunctionalInterface
    private interface Verifier {
        String verify(Block b) throws Exception;
    }

    private final List<Check> checks = List.of(
            new Check("compiled example", b -> b.lang().equals("java"), this::compiledExample),
            new Check("config file (PipelineConfig.parse)", b -> b.lang().equals("json") && b.text().contains("\"mqtt\""),
                    this::configFile),
            new Check("Spring Boot application.yml (PipelineConfig.fromTree)",
                    b -> b.lang().equals("yaml") && b.firstLine().equals("mqtt2tdengine:"), this::springYaml),
            new Check("Prometheus alert rules", b -> b.lang().equals("yaml") && b.firstLine().equals("groups:"),
                    this::alertRules),
            new Check("Maven dependency block", b -> b.lang().equals("xml"), this::mavenXml),
            new Check("Gradle coordinates", b -> b.lang().equals("kotlin") && b.text().contains("implementation("),
                    this::gradle),
            new Check("shell commands", b -> b.lang().equals("sh"), this::shell),
            new Check("package diagram", b -> b.lang().equals("text") && b.firstLine().startsWith(GROUP + " "),
                    this::packageDiagram),
            new Check("module diagram", b -> b.lang().equals("text") && b.text().contains("──▶ core"),
                    this::moduleDiagram),
            new Check("lifecycle diagram", b -> b.lang().equals("text") && b.firstLine().startsWith("NEW "),
                    this::lifecycleDiagram));

    static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("ARCHITECTURE.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    static String name(Path page) {
        return ROOT.relativize(page).toString().replace('\\', '/');
    }

    static List<Block> blocks(Path page) throws IOException {
        List<String> lines = Files.readAllLines(page);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("```")) {
                int start = i;
                StringBuilder text = new StringBuilder();
                for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                    text.append(lines.get(i)).append('\n');
                }
                assertThat(i).as(name(page) + ":" + (start + 1) + ": code block never closed").isLessThan(lines.size());
                blocks.add(new Block(name(page), start + 1, l.substring(3).strip(), text.toString()));
            } else if (l.startsWith("    ```") || l.startsWith("  ```")) {
                throw new AssertionError(name(page) + ":" + (i + 1) + ": an indented fence: this test reads fences"
                        + " at the start of a line only");
            }
        }
        return blocks;
    }

    @Test
    void everyCodeBlock_isClaimedByOneCheck_andPassesIt() throws Exception {
        List<String> report = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Map<String, Integer> perFile = new LinkedHashMap<>();
        for (Path page : pages()) {
            for (Block b : blocks(page)) {
                perFile.merge(b.file(), 1, Integer::sum);
                List<Check> claiming = checks.stream().filter(c -> c.applies().test(b)).toList();
                if (claiming.size() != 1) {
                    failures.add(b.where() + " starting '" + b.firstLine() + "': " + (claiming.isEmpty()
                            ? "no check accounts for this block (give it a language this test checks, or add a check)"
                            : "claimed by several checks " + claiming.stream().map(Check::name).toList()));
                    continue;
                }
                Check c = claiming.get(0);
                try {
                    report.add(b.where() + " -> " + c.name() + ": " + c.verify().verify(b));
                } catch (AssertionError | Exception e) {
                    failures.add(b.where() + " -> " + c.name() + " FAILED: " + e.getMessage());
                }
            }
        }
        System.out.println("DocsCodeBlocksTest: blocks per file " + perFile);
        report.forEach(r -> System.out.println("DocsCodeBlocksTest: " + r));
        assertThat(failures).as("code blocks of the docs").isEmpty();
        assertThat(report).hasSizeGreaterThanOrEqualTo(14);
    }

    // ---- Java: the compiled examples, word for word ----

    /** The block's lines are a contiguous run of some example's source, dedented by the first line's indent. */
    private String compiledExample(Block b) throws IOException {
        List<String> want = b.text().lines().toList();
        List<Path> sources;
        try (Stream<Path> s = Files.walk(EXAMPLES_MAIN)) {
            sources = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        for (Path source : sources) {
            List<String> have = Files.readAllLines(source);
            for (int i = 0; i + want.size() <= have.size(); i++) {
                String first = have.get(i);
                int indent = first.length() - first.stripLeading().length();
                if (!first.substring(indent).equals(want.get(0))) {
                    continue;
                }
                boolean same = true;
                for (int k = 1; k < want.size() && same; k++) {
                    String line = have.get(i + k);
                    String dedented = line.isBlank() ? "" : line.startsWith(" ".repeat(indent))
                            ? line.substring(indent) : null;
                    same = want.get(k).equals(dedented);
                }
                if (same) {
                    String cls = source.getFileName().toString().replace(".java", "");
                    return "identical to " + ROOT.relativize(source) + " lines " + (i + 1) + "-" + (i + want.size())
                            + ", compiled with the examples" + runBy(cls);
                }
            }
        }
        throw new AssertionError("not found word for word in any class under examples/src/main/java: copy it from "
                + "a compiled example (or add one), starting '" + want.get(0) + "'");
    }

    /** The integration tests of examples that run the class, for the report. */
    private static String runBy(String cls) throws IOException {
        try (Stream<Path> s = Files.list(ROOT.resolve("examples/src/test/java/io/github/mqtt2tdengine/examples"))) {
            List<String> its = s.filter(p -> p.toString().endsWith("IT.java")).filter(p -> {
                try {
                    return Pattern.compile("\\b" + cls + "\\b").matcher(Files.readString(p)).find();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).map(p -> p.getFileName().toString().replace(".java", "")).sorted().toList();
            return its.isEmpty() ? "" : "; run by " + String.join(", ", its);
        }
    }

    // ---- the config file and the configuration reference ----

    private static String reference() throws IOException {
        return Files.readString(ROOT.resolve("docs/configuration.md"));
    }

    /** Leaf keys of a JSON/YAML tree as dotted paths, arrays as {@code []}: {@code parser.fields[].path}. */
    private static void leafKeys(String prefix, Object node, Set<String> out) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> leafKeys(prefix.isEmpty() ? k.toString() : prefix + "." + k, v, out));
        } else if (node instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map) {
            list.forEach(e -> leafKeys(prefix + "[]", e, out));
        } else {
            out.add(prefix);
        }
    }

    private static void assertInReference(Set<String> keys, String what) throws IOException {
        String reference = reference();
        List<String> missing = keys.stream().filter(k -> !reference.contains("`" + k + "`")).toList();
        assertThat(missing).as(what + ": keys without a row (in backticks) in docs/configuration.md").isEmpty();
    }

    @SuppressWarnings("unchecked")
    private String configFile(Block b) throws Exception {
        PipelineConfig c = PipelineConfig.parse(b.text());
        assertThat(c.name()).isNotBlank();
        int tables = c.toPipelineBuilder().build().tables().size();
        assertThat(tables).isPositive();
        Map<String, Object> tree = new com.fasterxml.jackson.databind.ObjectMapper().readValue(b.text(), Map.class);
        Set<String> keys = new TreeSet<>();
        leafKeys("", tree, keys);
        assertInReference(keys, "config example");
        return "PipelineConfig.parse loads it and builds a pipeline (" + tables + " super table); its " + keys.size()
                + " keys each have a row in docs/configuration.md";
    }

    @SuppressWarnings("unchecked")
    private String springYaml(Block b) throws Exception {
        Map<String, Object> root = new Yaml().load(b.text());
        Map<String, Object> tree = (Map<String, Object>) root.get("mqtt2tdengine");
        Set<String> keys = new TreeSet<>();
        leafKeys("", tree, keys);
        Set<String> camel = keys.stream().map(DocsCodeBlocksTest::camel).collect(Collectors.toCollection(TreeSet::new));
        assertInReference(camel, "application.yml");
        // bound as the starter binds properties today: the relaxed tree into PipelineConfig (placeholders resolved)
        Map<String, Object> resolved = (Map<String, Object>) resolvePlaceholders(tree);
        int tables = PipelineConfig.fromTree(resolved).toPipelineBuilder().build().tables().size();
        assertThat(tables).isPositive();
        String it = Files.readString(ROOT.resolve(
                "spring-boot-common/src/test/java/io/github/mqtt2tdengine/spring/StarterContract.java"));
        assertThat(it).as("StarterContract runs this block").contains("\"spring-boot.md\"")
                .contains("```yaml\\nmqtt2tdengine:\\n");
        return "YAML parsed, bound by PipelineConfig.fromTree (" + tables + " super table), its " + camel.size()
                + " mqtt2tdengine.* keys each in docs/configuration.md; run end to end by SpringBootStarterIT (Boot 3.5) "
                + "and SpringBoot4StarterIT";
    }

    /** {@code session-expiry-seconds} → {@code sessionExpirySeconds}, per path segment. */
    static String camel(String key) {
        StringBuilder sb = new StringBuilder();
        boolean up = false;
        for (char ch : key.toCharArray()) {
            if (ch == '-') {
                up = true;
            } else {
                sb.append(up ? Character.toUpperCase(ch) : ch);
                up = false;
            }
        }
        return sb.toString();
    }

    private static Object resolvePlaceholders(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k.toString(), resolvePlaceholders(v)));
            return out;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(DocsCodeBlocksTest::resolvePlaceholders).toList();
        }
        return node instanceof String s && s.startsWith("${") ? "placeholder" : node;
    }

    @SuppressWarnings("unchecked")
    private String alertRules(Block b) throws Exception {
        Map<String, Object> root = new Yaml().load(b.text());
        List<Map<String, Object>> groups = (List<Map<String, Object>>) root.get("groups");
        int rules = 0;
        Set<String> meters = new TreeSet<>();
        for (Map<String, Object> g : groups) {
            for (Map<String, Object> r : (List<Map<String, Object>>) g.get("rules")) {
                assertThat(r).containsKeys("alert", "expr", "annotations");
                Matcher m = Pattern.compile("mqtt2td_[a-z_]+").matcher(r.get("expr").toString());
                while (m.find()) {
                    meters.add(m.group());
                }
                rules++;
            }
        }
        String monitoring = Files.readString(ROOT.resolve("docs/monitoring.md"));
        for (String meter : meters) {
            assertThat(monitoring).as("meter " + meter + " in the meter table").contains(meter);
        }
        String test = Files.readString(ROOT.resolve(
                "micrometer/src/test/java/io/github/mqtt2tdengine/micrometer/PipelineMetricsBinderTest.java"));
        assertThat(test).as("PipelineMetricsBinderTest checks this block").contains("\"monitoring.md\"")
                .contains("```yaml\\ngroups:");
        return "YAML parsed, " + rules + " rules with alert, expr and annotations, meters " + meters
                + " in the meter table; PipelineMetricsBinderTest checks them against a real binder's scrape";
    }

    // ---- Maven and Gradle ----

    /** artifactId → pom.xml of every module of the build. */
    static Map<String, Path> modules() throws IOException {
        Map<String, Path> modules = new LinkedHashMap<>();
        try (Stream<Path> s = Files.walk(ROOT, 3)) {
            for (Path pom : s.filter(p -> p.getFileName().toString().equals("pom.xml"))
                    .filter(p -> !p.toString().contains("target")).sorted().toList()) {
                String text = Files.readString(pom).replaceAll("(?s)<!--.*?-->", "")
                        .replaceFirst("(?s)<parent>.*?</parent>", "");
                Matcher m = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(text);
                if (m.find()) {
                    modules.put(m.group(1), pom);
                }
            }
        }
        return modules;
    }

    private static String projectVersion() {
        try {
            Matcher m = Pattern.compile("<artifactId>mqtt2tdengine-parent</artifactId>\\s*<version>([^<]+)</version>")
                    .matcher(Files.readString(ROOT.resolve("pom.xml")));
            return m.find() ? m.group(1) : "unknown";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String property(Path pom, String name) throws IOException {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Files.readString(pom));
        return m.find() ? m.group(1) : null;
    }

    private static void assertCoordinates(String group, String artifact, String version) throws IOException {
        String at = group + ":" + artifact + (version == null ? "" : ":" + version);
        if (group.equals(GROUP)) {
            assertThat(modules()).as(at + ": a module of this build").containsKey(artifact);
            if (version != null) {
                assertThat(version).as(at + ": the build's version").isEqualTo(VERSION);
            }
        } else if (group.equals("org.springframework.boot")) {
            String boot3 = property(ROOT.resolve("spring-boot-starter/pom.xml"), "spring-boot.version");
            String boot4 = property(ROOT.resolve("spring-boot4-starter/pom.xml"), "spring-boot.version");
            assertThat(version).as(at + ": a starter's Spring Boot version, or the parent's")
                    .isIn(null, boot3, boot4, "${project.parent.version}");
        } else {
            assertThat(Files.readString(ROOT.resolve("bom/pom.xml"))).as(at + ": pinned by the BOM")
                    .contains("<artifactId>" + artifact + "</artifactId>");
        }
    }

    private String mavenXml(Block b) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader("<project>" + b.text()
                + "</project>")));
        NodeList deps = doc.getElementsByTagName("dependency");
        List<String> coordinates = new ArrayList<>();
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            String version = d.getElementsByTagName("version").getLength() == 0 ? null
                    : d.getElementsByTagName("version").item(0).getTextContent();
            String group = d.getElementsByTagName("groupId").item(0).getTextContent();
            String artifact = d.getElementsByTagName("artifactId").item(0).getTextContent();
            assertCoordinates(group, artifact, version);
            coordinates.add(artifact);
        }
        assertThat(coordinates).as("dependencies").isNotEmpty().contains("mqtt2tdengine-bom");
        String more = "";
        if (b.file().equals("README.md")) {
            String it = Files.readString(ROOT.resolve("host-test/src/test/java/io/github/mqtt2tdengine/host/"
                    + "HostProjectIT.java"));
            assertThat(it).as("HostProjectIT builds this block").contains("## Install and add the dependency");
            more = "; built as a host project by HostProjectIT (dependencyConvergence)";
        }
        if (b.file().endsWith("spring-boot.md")) {
            String it = Files.readString(ROOT.resolve("host-test/src/test/java/io/github/mqtt2tdengine/host/"
                    + "HostProjectIT.java"));
            String heading = b.text().contains("mqtt2tdengine-spring-boot4-starter") ? "Spring Boot 4" : "Spring Boot 3.5";
            assertThat(it).as("HostProjectIT builds this block").contains("springBootBlock(\"" + heading + "\")");
            more = "; built word for word as a Spring Boot host by HostProjectIT (dependencyConvergence, the jars it adds)";
        }
        return "XML parsed, coordinates " + coordinates + " are modules of this build at " + VERSION
                + " or pinned by the BOM / the starter's Spring Boot version" + more;
    }

    private String gradle(Block b) throws Exception {
        Matcher m = Pattern.compile("\"([\\w.-]+):([\\w.-]+)(?::([\\w.-]+))?\"").matcher(b.text());
        List<String> coordinates = new ArrayList<>();
        while (m.find()) {
            assertCoordinates(m.group(1), m.group(2), m.group(3));
            coordinates.add(m.group(2));
        }
        assertThat(coordinates).contains("mqtt2tdengine-bom");
        assertThat(b.text()).contains("platform(\"" + GROUP + ":mqtt2tdengine-bom:");
        return "coordinates " + coordinates + " are modules of this build at " + VERSION + " (Gradle itself is not run:"
                + " not installed here)";
    }

    // ---- shell ----

    private static final Set<String> MAVEN_PHASES = Set.of("clean", "validate", "compile", "test", "package",
            "verify", "install");
    private static final Set<String> JMH_OPTIONS = Set.of("-f", "-wi", "-w", "-i", "-r", "-prof", "-t");

    private String shell(Block b) throws Exception {
        List<String> commands = commands(b.text());
        for (String c : commands) {
            checkCommand(c);
        }
        return commands.size() + " command(s): scripts, jars (finalName), classes and options exist";
    }

    /** Commands of a shell text: continuation lines joined, comments dropped, split at {@code &&}. */
    static List<String> commands(String text) {
        List<String> out = new ArrayList<>();
        String joined = text.replaceAll("\\\\\n", " ");
        for (String line : joined.split("\n")) {
            String code = line.replaceAll("(^|\\s)#.*$", "").strip();
            for (String c : code.split("&&")) {
                if (!c.isBlank()) {
                    out.add(c.strip());
                }
            }
        }
        return out;
    }

    static void checkCommand(String command) throws IOException {
        List<String> words = new ArrayList<>(Arrays.asList(command.replace("'", "").split("\\s+")));
        while (!words.isEmpty() && words.get(0).matches("[A-Z_]+=.*")) {
            words.remove(0); // environment variables
        }
        String cmd = words.get(0);
        switch (cmd) {
            case "git" -> assertThat(words.get(1)).as(command).isEqualTo("clone");
            case "cd" -> assertThat(words).as(command).hasSize(2);
            case "mvn" -> checkMaven(command, words.subList(1, words.size()));
            case "java" -> checkJava(command, words.subList(1, words.size()));
            default -> {
                Path script = ROOT.resolve(cmd);
                assertThat(cmd).as(command + ": a command this test knows (git, cd, mvn, java) or a script")
                        .startsWith("scripts/");
                assertThat(Files.isExecutable(script)).as(command + ": " + cmd + " exists and is executable").isTrue();
            }
        }
    }

    private static void checkMaven(String command, List<String> args) throws IOException {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        for (String a : args) {
            if (a.startsWith("-D")) {
                String property = a.substring(2).replaceAll("=.*", "");
                assertThat(property.equals("skipTests") || pom.contains("<name>!" + property + "</name>")
                        || pom.contains("<name>" + property + "</name>") || pom.contains("${" + property + "}"))
                        .as(command + ": -D" + property + " is a property the build reads").isTrue();
            } else if (!a.startsWith("-")) {
                assertThat(MAVEN_PHASES).as(command + ": a lifecycle phase").contains(a);
            } else {
                assertThat(a).as(command + ": a Maven option").isIn("-B", "-q", "-o");
            }
        }
    }

    private static void checkJava(String command, List<String> args) throws IOException {
        int i = 0;
        while (args.get(i).startsWith("-X") || args.get(i).startsWith("-D")) {
            i++;
        }
        String mode = args.get(i);
        assertThat(mode).as(command).isIn("-jar", "-cp");
        checkJar(command, args.get(i + 1));
        if (mode.equals("-jar")) {
            return;
        }
        String main = args.get(i + 2);
        List<String> rest = args.subList(i + 3, args.size());
        if (main.equals("org.openjdk.jmh.Main")) {
            assertThat(classExists(main)).as(command + ": " + main + " on the examples' class path").isTrue();
            String benchmark = rest.get(0);
            assertThat(Files.exists(EXAMPLES_MAIN.resolve("io/github/mqtt2tdengine/examples/bench/" + benchmark
                    + ".java"))).as(command + ": JMH benchmark " + benchmark).isTrue();
            for (String a : rest.subList(1, rest.size())) {
                assertThat(!a.startsWith("-") || JMH_OPTIONS.contains(a)).as(command + ": JMH option " + a).isTrue();
            }
            return;
        }
        Path source = EXAMPLES_MAIN.resolve(main.replace('.', '/') + ".java");
        assertThat(source).as(command + ": main class " + main).exists();
        String text = Files.readString(source);
        for (String a : rest) {
            if (a.startsWith("--")) {
                assertThat(text).as(command + ": option " + a + " read by " + main).contains("\"" + a + "\"");
            } else if (a.endsWith(".jar")) {
                checkJar(command, a);
            }
        }
    }

    /** A jar path names a jar the build makes: a shaded jar's finalName, or artifactId-version.jar of a module. */
    private static void checkJar(String command, String path) throws IOException {
        String fileName = Path.of(path).getFileName().toString();
        Set<String> jars = new TreeSet<>();
        for (Map.Entry<String, Path> m : modules().entrySet()) {
            String finalName = property(m.getValue(), "finalName");
            Path dir = ROOT.relativize(m.getValue().getParent());
            String target = (dir.toString().isEmpty() ? "" : dir.toString().replace('\\', '/') + "/") + "target/";
            if (finalName != null) {
                jars.add(target + finalName + ".jar");
            }
            jars.add(target + m.getKey() + "-" + VERSION + ".jar");
        }
        boolean placeholder = path.startsWith("OTHER/"); // a jar of another checkout: its path in that checkout
        String inBuild = placeholder ? path.substring("OTHER/".length()) : path;
        assertThat(jars.contains(inBuild) || placeholder && jars.stream().anyMatch(j -> j.endsWith("/" + inBuild)))
                .as(command + ": " + fileName + " is a jar of this build " + jars).isTrue();
    }

    private static boolean classExists(String name) {
        try {
            Class.forName(name, false, DocsCodeBlocksTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    // ---- text diagrams ----

    private String packageDiagram(Block b) throws IOException {
        List<Path> sourceRoots;
        try (Stream<Path> s = Files.walk(ROOT, 4)) {
            sourceRoots = s.filter(p -> p.endsWith(Path.of("src", "main", "java"))).toList();
        }
        int classes = 0;
        for (String line : b.text().lines().toList()) {
            String[] words = line.replaceAll("\\(.*?\\)", "").strip().split("[\\s,+]+");
            String pkg = words[0].replace(".*", "");
            Path dir = Path.of(pkg.replace('.', '/'));
            List<Path> found = sourceRoots.stream().map(r -> r.resolve(dir)).filter(Files::isDirectory).toList();
            assertThat(found).as("package " + pkg).isNotEmpty();
            for (String w : Arrays.copyOfRange(words, 1, words.length)) {
                if (w.matches("[A-Z][A-Za-z]+") && !w.matches("[A-Z]+")) {
                    assertThat(found.stream().anyMatch(d -> Files.exists(d.resolve(w + ".java"))))
                            .as("class " + w + " in " + pkg).isTrue();
                    classes++;
                }
            }
        }
        return "every package exists in a module's sources, and the " + classes + " classes it names are in them";
    }

    private String moduleDiagram(Block b) throws IOException {
        Set<String> dirs = new TreeSet<>();
        for (Path pom : modules().values()) {
            dirs.add(ROOT.relativize(pom.getParent()).toString().replace('\\', '/'));
        }
        dirs.remove(""); // the parent pom
        int edges = 0;
        for (String line : b.text().lines().toList()) {
            if (!line.contains("──▶")) {
                continue;
            }
            String[] sides = line.split("──▶", 2);
            String from = sides[0].replaceAll("[─┐┘┼│ ]", "");
            if (!dirs.contains(from)) {
                continue;
            }
            String pom = Files.readString(ROOT.resolve(from).resolve("pom.xml"));
            for (String to : sides[1].replaceAll("\\(.*?\\)", "").split("[,\\s]+")) {
                if (dirs.contains(to)) {
                    assertThat(pom).as(from + " depends on " + to).contains("<artifactId>mqtt2tdengine-" + to
                            + "</artifactId>");
                    edges++;
                }
            }
        }
        Set<String> named = new TreeSet<>(Arrays.asList(b.text().split("[^a-z-]+")));
        named.retainAll(dirs);
        assertThat(named).as("modules in the diagram").contains("core", "mqtt", "tdengine", "runner", "micrometer",
                "spring-boot-starter", "examples", "host-test");
        return edges + " dependency arrows match the poms; modules " + named + " exist";
    }

    private String lifecycleDiagram(Block b) {
        Set<String> states = Arrays.stream(PipelineState.values()).map(Enum::name).collect(Collectors.toSet());
        Matcher m = Pattern.compile("\\b[A-Z]{3,}\\b").matcher(b.text());
        Set<String> named = new TreeSet<>();
        while (m.find()) {
            named.add(m.group());
        }
        assertThat(named).as("states in the diagram are PipelineState constants").isSubsetOf(states);
        assertThat(named).as("every PipelineState is in the diagram").containsAll(states);
        return "names exactly the PipelineState constants " + named;
    }

    // ---- links, the two commands, the README's size ----

    /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
    static String anchor(String heading) {
        StringBuilder sb = new StringBuilder();
        for (char ch : heading.strip().toLowerCase(Locale.ROOT).toCharArray()) {
            if (Character.isLetterOrDigit(ch) || ch == '-' || ch == '_') {
                sb.append(ch);
            } else if (ch == ' ') {
                sb.append('-');
            }
        }
        return sb.toString();
    }

    static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new LinkedHashSet<>();
        boolean code = false;
        for (String line : Files.readAllLines(page)) {
            if (line.startsWith("```")) {
                code = !code;
            } else if (!code && line.matches("#{1,6} .*")) {
                anchors.add(anchor(line.replaceFirst("#+ ", "")));
            }
        }
        return anchors;
    }

    @Test
    void relativeLinks_betweenTheMarkdownFiles_resolveToFilesAndHeadings() throws Exception {
        List<Path> pages = new ArrayList<>(pages());
        try (Stream<Path> s = Files.walk(ROOT, 3)) {
            s.filter(p -> p.getFileName().toString().equals("README.md")).filter(p -> !p.startsWith(ROOT
                    .resolve("README.md"))).filter(p -> !p.toString().contains("target")).sorted().forEach(pages::add);
        }
        Pattern link = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path page : pages) {
            String text = String.join("\n", Files.readAllLines(page)).replaceAll("(?s)```.*?```", "")
                    .replaceAll("``.*?``|`[^`\n]*`", "");
            Matcher m = link.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue; // http(s), mailto
                }
                links++;
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(name(page) + ": " + target + " (no such file)");
                } else if (anchor != null && resolved.toString().endsWith(".md") && !anchors(resolved)
                        .contains(anchor)) {
                    broken.add(name(page) + ": " + target + " (no such heading; has " + anchors(resolved) + ")");
                }
            }
        }
        assertThat(broken).as("broken links").isEmpty();
        assertThat(links).isGreaterThan(40);
    }

    @Test
    void readmeTwoCommands_areWhatCiAndTheBuildRun() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher main = Pattern.compile("\\| Run the main job \\(the demo\\) \\| `([^`]+)` \\|").matcher(readme);
        assertThat(main.find()).as("the README's main job row").isTrue();
        for (String c : commands(main.group(1))) {
            checkCommand(c);
        }
        Matcher tests = Pattern.compile("\\| Run the tests \\| `([^`]+)` ").matcher(readme);
        assertThat(tests.find()).as("the README's test row").isTrue();
        assertThat(tests.group(1)).isEqualTo("scripts/test");
        checkCommand(tests.group(1));
        assertThat(Files.readAllLines(ROOT.resolve(".ci/run"))).as(".ci/run calls the README's test command")
                .contains("scripts/test");
        assertThat(Files.readString(ROOT.resolve("scripts/test"))).as("scripts/test ends in mvn -B install")
                .contains("\nmvn -B install \"$@\"\n");
    }

    @Test
    void runnerArgumentsTable_namesOnlyOptionsTheRunnerReads() throws Exception {
        String reference = reference();
        String table = reference.substring(reference.indexOf("| argument | meaning |"));
        table = table.substring(0, table.indexOf("\n\n"));
        String runner = Files.readString(ROOT.resolve(
                "runner/src/main/java/io/github/mqtt2tdengine/runner/Runner.java"));
        Matcher m = Pattern.compile("--[a-z][a-z-]*").matcher(table);
        Set<String> options = new TreeSet<>();
        while (m.find()) {
            options.add(m.group());
        }
        assertThat(options).hasSizeGreaterThanOrEqualTo(8);
        for (String o : options) {
            assertThat(runner).as("runner option " + o).contains("\"" + o + "\"");
        }
    }

    @Test
    void readme_isTheDoor_notTheManual() throws Exception {
        assertThat(Files.readAllLines(ROOT.resolve("README.md"))).as("README lines").hasSizeLessThanOrEqualTo(250);
    }
}
