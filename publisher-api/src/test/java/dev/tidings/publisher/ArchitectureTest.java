package dev.tidings.publisher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private final JavaClasses publisher = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tidings");

    @Test
    void thePublisherNeverDependsOnTheGateway() {
        noClasses().that().resideInAPackage("dev.tidings.publisher..")
                .should().dependOnClassesThat().resideInAPackage("dev.tidings.gateway..")
                .because("publishers and gateways scale and deploy independently; they meet only in the Kafka record")
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
