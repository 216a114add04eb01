package io.github.mqtt2tdengine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.github.mqtt2tdengine.annotations.DoNotImplement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of core's own packages (STYLE §2), checked in core's build on its main classes; the examples module's
 * ArchitectureTest checks the rules that span modules.
 */
class CoreArchitectureTest {
    private static final String BASE = "io.github.mqtt2tdengine";
    private static final String INTERNAL = BASE + ".internal..";
    /** The expression language: payload's builders parse expression text at once, so payload may use it. */
    private static final String EXPRESSION = BASE + ".internal.expression..";

    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(BASE);
    }

    @Test
    void theApiPackages_neverUseInternal_butTheExpressionLanguage() {
        noClasses().that().resideInAnyPackage(BASE + ".spi..", BASE + ".annotations..")
                .should().dependOnClassesThat().resideInAPackage(INTERNAL)
                .because("internal may change in any release; only the root package's builder wires it")
                .check(core);
        noClasses().that().resideInAPackage(BASE + ".payload..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage(INTERNAL)
                        .and(JavaClass.Predicates.resideOutsideOfPackage(EXPRESSION)))
                .because("payload's builders parse expression text at once, and use no other internal package")
                .check(core);
    }

    @Test
    void annotations_isALeaf() {
        noClasses().that().resideInAPackage(BASE + ".annotations..")
                .should().dependOnClassesThat().resideOutsideOfPackages(BASE + ".annotations..", "java..")
                .check(core);
    }

    @Test
    void interfacesTheEngineImplements_areImplementedInsideCoreInternalAlone() {
        classes().that().areAnnotatedWith(DoNotImplement.class).should().beInterfaces().check(core);
        noClasses().that().resideOutsideOfPackage(INTERNAL)
                .should().implement(com.tngtech.archunit.base.DescribedPredicate.describe("an interface marked "
                        + "@DoNotImplement", c -> c.isAnnotatedWith(DoNotImplement.class)))
                .because("SyncPipeline, SinkContext, SinkBatch and TransportContext are the engine's; methods may be "
                        + "added to them in a minor release")
                .check(core);
    }
}
