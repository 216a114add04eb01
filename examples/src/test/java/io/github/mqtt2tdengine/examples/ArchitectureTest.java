package io.github.mqtt2tdengine.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the modules and packages (STYLE §1–2, §6), checked on the compiled classes of every module (this
 * module depends on all of them; test classes are left out):
 * <ul>
 * <li>a module's {@code internal} packages are used by that module only (core's by core's root package and its own
 * internals; {@code spi} and {@code payload} never), except by {@code examples.bench}, whose benchmarks measure
 * internals and which is never deployed; the one exception is the leaf {@code internal.expression}, which
 * {@code payload}'s builders use to check expression text at once, and which uses nothing of core but the root
 * package's exception types, so it closes no cycle;</li>
 * <li>core uses no MQTT client, no JDBC and no Netty; {@code mqtt} and {@code tdengine} never use each other;</li>
 * <li>library code holds no static mutable state: every static field is final and of an immutable kind.</li>
 * </ul>
 */
class ArchitectureTest {
    private static final String BASE = "io.github.mqtt2tdengine";
    private static final String CORE_INTERNAL = BASE + ".internal..";
    /** The expression language: internal, used by payload's builders, itself a leaf. */
    private static final String EXPRESSION = BASE + ".internal.expression..";
    /** Core's packages: the root (the pipeline and its builder), payload, spi and internal. */
    private static final String[] CORE = {BASE, BASE + ".payload..", BASE + ".spi..", CORE_INTERNAL};
    private static final String BENCHMARKS = BASE + ".examples.bench..";
    private static final String EXAMPLES = BASE + ".examples..";

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages(BASE);
    }

    @Test
    void coreInternals_areUsedByCoreAlone_notBySpiOrPayload() {
        noClasses().that().resideOutsideOfPackages(BASE, CORE_INTERNAL, BENCHMARKS, BASE + ".payload..")
                .should().dependOnClassesThat().resideInAPackage(CORE_INTERNAL)
                .because("hosts and the other modules use core through its API; internal may change in any release")
                .check(classes);
        noClasses().that().resideInAPackage(BASE + ".payload..")
                .should().dependOnClassesThat(DescribedPredicate.describe("core internals but the expression language",
                        c -> c.getPackageName().startsWith(BASE + ".internal")
                                && !c.getPackageName().startsWith(BASE + ".internal.expression")))
                .because("payload is API; it reaches the expression language alone, to check expression text")
                .check(classes);
    }

    @Test
    void expressionLanguage_isALeaf() {
        noClasses().that().resideInAPackage(EXPRESSION)
                .should().dependOnClassesThat().resideInAnyPackage(BASE + ".payload..", BASE + ".spi..",
                        BASE + ".internal.payload..", BASE + ".internal.engine..")
                .because("payload uses it, so it must not use payload (no cycle)")
                .check(classes);
    }

    @Test
    void moduleInternals_areUsedByTheirModuleAlone() {
        for (Map.Entry<String, List<String>> e : Map.of(
                "mqtt", List.of(BASE + ".mqtt.."),
                "tdengine", List.of(BASE + ".tdengine.."),
                "settings", List.of(BASE + ".settings.."),
                // the demo main ends its process as the runner does (examples is the runner's demo, never deployed)
                "runner", List.of(BASE + ".runner..", EXAMPLES)).entrySet()) {
            noClasses().that().resideOutsideOfPackages(e.getValue().toArray(String[]::new))
                    .should().dependOnClassesThat().resideInAPackage(BASE + "." + e.getKey() + ".internal..")
                    .because("a module's internal package may change in any release")
                    .check(classes);
        }
    }

    @Test
    void core_usesNoMqttClientNoJdbcNoNetty() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage("com.hivemq..", "org.eclipse.paho..", "io.netty..",
                        "java.sql..", "javax.sql..", "com.taosdata..")
                .because("core's own dependencies are Jackson, JsonPath and the SLF4J API")
                .check(classes);
    }

    @Test
    void mqttAndTdengine_neverUseEachOther() {
        noClasses().that().resideInAPackage(BASE + ".mqtt..")
                .should().dependOnClassesThat().resideInAPackage(BASE + ".tdengine..").check(classes);
        noClasses().that().resideInAPackage(BASE + ".tdengine..")
                .should().dependOnClassesThat().resideInAPackage(BASE + ".mqtt..").check(classes);
    }

    @Test
    void libraryCode_holdsNoStaticMutableState() {
        // the compiler's $SwitchMap arrays (synthetic) are filled once when their class loads
        fields().that().areStatic().and().doNotHaveModifier(JavaModifier.SYNTHETIC).and()
                .areDeclaredInClassesThat(library())
                .should(beImmutableConstants())
                .because("pipelines in one JVM must be independent (STYLE §6)")
                .check(classes);
    }

    private static DescribedPredicate<JavaClass> library() {
        return DescribedPredicate.describe("library classes (not examples)",
                c -> !c.getPackageName().startsWith(BASE + ".examples"));
    }

    /**
     * Final, and not of a type whose instances change: atomics, locks and queues, mutable collections, builders.
     * Arrays are allowed when private (constants read by their class alone, such as DER prefixes and hex digits).
     */
    private static ArchCondition<JavaField> beImmutableConstants() {
        List<String> mutable = List.of("java.util.concurrent.atomic.", "java.util.concurrent.locks.",
                "java.util.HashMap", "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.ArrayList",
                "java.util.LinkedList", "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet",
                "java.util.ArrayDeque", "java.util.concurrent.Concurrent", "java.util.concurrent.CopyOnWrite",
                "java.util.concurrent.LinkedBlockingQueue", "java.util.concurrent.ArrayBlockingQueue",
                "java.lang.StringBuilder", "java.lang.ThreadLocal");
        return new ArchCondition<>("be final constants of an immutable kind") {
            @Override
            public void check(JavaField field, ConditionEvents events) {
                String type = field.getRawType().getName();
                boolean isFinal = field.getModifiers().contains(JavaModifier.FINAL);
                boolean mutableType = mutable.stream().anyMatch(type::startsWith);
                boolean sharedArray = field.getRawType().isArray()
                        && !field.getModifiers().contains(JavaModifier.PRIVATE);
                if (!isFinal || mutableType || sharedArray) {
                    events.add(SimpleConditionEvent.violated(field, field.getFullName() + " is static and "
                            + (!isFinal ? "not final" : mutableType ? "of the mutable type " + type
                                    : "a non-private array")));
                }
            }
        };
    }
}
