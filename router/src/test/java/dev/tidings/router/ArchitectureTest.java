package dev.tidings.router;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private final JavaClasses router = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tidings.router");

    @Test
    void theRoutersPackagesHaveNoImportCycles() {
        slices().matching("dev.tidings.router.(*)..").should().beFreeOfCycles()
                .because("routes, decoding and the engine are read in that order, each without the next")
                .check(router);
    }

    @Test
    void theRoutesModelNeedsNeitherSpringNorKafkaClientsNorTheEngine() {
        noClasses().that().resideInAPackage("dev.tidings.router.routes..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.apache.kafka..",
                        "io.micrometer..", "dev.tidings.router.engine..", "dev.tidings.router.decode..")
                .because("the CLI's routes check loads the routes model without the router service's dependencies")
                .check(router);
    }

    @Test
    void onlyTheEngineWritesToKafka() {
        noClasses().that().resideInAPackage("dev.tidings.router..")
                .and().resideOutsideOfPackage("dev.tidings.router.engine..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.kafka.clients.producer..")
                .because("every notification goes through the engine's acks=all producer and its commit rule")
                .check(router);
    }
}
