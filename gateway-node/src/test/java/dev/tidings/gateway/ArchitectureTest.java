package dev.tidings.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private final JavaClasses gateway = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tidings");

    @Test
    void theGatewayNeverDependsOnThePublisher() {
        noClasses().that().resideInAPackage("dev.tidings.gateway..")
                .should().dependOnClassesThat().resideInAPackage("dev.tidings.publisher..")
                .because("gateways and publishers scale and deploy independently; they meet only in the Kafka record")
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
    void sharedModulesStayFreeOfSpring() {
        noClasses().that().resideInAnyPackage("dev.tidings.common..", "dev.tidings.schema..")
                .should().dependOnClassesThat().resideInAPackage("org.springframework..")
                .because("common and schema are used by producers that are not Spring applications")
                .check(gateway);
    }
}
