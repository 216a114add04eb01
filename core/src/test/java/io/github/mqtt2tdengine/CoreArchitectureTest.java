package io.github.mqtt2tdengine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import io.github.mqtt2tdengine.annotations.DoNotImplement;
import io.github.mqtt2tdengine.spi.Row;
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

    /**
     * The API's packages form a tree: the root (the pipeline and its builder) uses {@code spi}, {@code payload},
     * {@code errors} and {@code annotations}; {@code spi} uses {@code payload} (column types, precision) and
     * {@code errors}; {@code payload} uses {@code errors}; {@code errors} and {@code annotations} use none of them.
     */
    @Test
    void theApiPackages_formNoCycle() {
        SlicesRuleDefinition.slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass c) {
                String p = c.getPackageName();
                if (p.equals(BASE)) {
                    return SliceIdentifier.of("(root)");
                }
                if (p.startsWith(BASE + ".internal") || !p.startsWith(BASE + ".")) {
                    return SliceIdentifier.ignore();
                }
                return SliceIdentifier.of(p.substring(BASE.length() + 1));
            }

            @Override
            public String getDescription() {
                return "core's API packages";
            }
        }).should().beFreeOfCycles().check(core);
    }

    @Test
    void theLeaves_useNoOtherApiPackage() {
        noClasses().that().resideInAnyPackage(BASE + ".errors..")
                .should().dependOnClassesThat().resideInAnyPackage(BASE, BASE + ".payload..", BASE + ".spi..",
                        INTERNAL)
                .check(core);
        noClasses().that().resideInAnyPackage(BASE + ".payload..")
                .should().dependOnClassesThat().resideInAnyPackage(BASE, BASE + ".spi..")
                .because("the row hooks see a MappedRow, and the exceptions are in errors")
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
        noClasses().that().resideOutsideOfPackage(INTERNAL).and().doNotHaveFullyQualifiedName(Row.class.getName())
                .should().implement(com.tngtech.archunit.base.DescribedPredicate.describe("an interface marked "
                        + "@DoNotImplement", c -> c.isAnnotatedWith(DoNotImplement.class)))
                .because("SyncPipeline, SinkContext, SinkBatch and TransportContext are the engine's, and MappedRow is "
                        + "what the library's Row shows the row hooks; methods may be added to them in a minor release")
                .check(core);
    }
}
