package dev.tidings.gateway;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private final JavaClasses gateway = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tidings");

    @Test
    void theGatewaysPackagesDependOnEachOtherWithoutCycles() {
        slices().matching("dev.tidings.gateway.(*)..")
                .should().beFreeOfCycles()
                .because("each package can then be read, tested and changed from the packages below it up")
                .check(gateway);
    }

    @Test
    void theProtocolDependsOnNoOtherPackageOfTheGateway() {
        noClasses().that().resideInAPackage("dev.tidings.gateway.protocol..")
                .should().dependOnClassesThat(resideInAPackage("dev.tidings.gateway..")
                        .and(resideOutsideOfPackage("dev.tidings.gateway.protocol..")))
                .because("the wire protocol is what every package speaks; it knows no session, socket or consumer")
                .check(gateway);
    }

    @Test
    void sessionsDoNotKnowAboutKafka() {
        noClasses().that().resideInAPackage("dev.tidings.gateway.session..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.kafka..")
                .because("the session layer only queues frames; consuming and routing live in routing and resume")
                .check(gateway);
    }

    @Test
    void resumeKnowsSessionsOnlyThroughTheContractItDefines() {
        noClasses().that().resideInAPackage("dev.tidings.gateway.resume..")
                .should().dependOnClassesThat().resideInAPackage("dev.tidings.gateway.session..")
                .because("the no-duplicates, no-gaps contract lives in resume (ResumeGate, ResumingSession), "
                        + "and a session's write path implements it")
                .check(gateway);
    }
}
