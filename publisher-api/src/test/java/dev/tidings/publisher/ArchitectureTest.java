package dev.tidings.publisher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private final JavaClasses publisher = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tidings.publisher");

    @Test
    void thePublishersPackagesHaveNoImportCycles() {
        slices().matching("dev.tidings.publisher.(*)..").should().beFreeOfCycles()
                .because("each package is a concept a reader can take in alone, in dependency order")
                .check(publisher);
    }

    @Test
    void problemsDependOnNoFeature() {
        noClasses().that().resideInAPackage("dev.tidings.publisher.problem..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tidings.publisher.publish..",
                        "dev.tidings.publisher.replay..", "dev.tidings.publisher.ratelimit..",
                        "dev.tidings.publisher.auth..", "dev.tidings.publisher.openapi..")
                .because("every feature builds its problems with the one builder; the builder knows none of them")
                .check(publisher);
    }

    @Test
    void onlyThePublishAndReplayFeaturesWriteToKafka() {
        noClasses().that().resideInAPackage("dev.tidings.publisher..")
                .and().resideOutsideOfPackages("dev.tidings.publisher.publish..", "dev.tidings.publisher.replay..",
                        "dev.tidings.publisher.config..")
                .should().dependOnClassesThat().resideInAPackage("org.springframework.kafka.core..")
                .because("every write to the topic goes through the acks=all publish path or the bounded replay")
                .check(publisher);
    }
}
