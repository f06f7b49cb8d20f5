package dev.tidings.cli.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tidings.cli.workspace.CliException;

class ClusterPlanTest {

    static final String SECRET = "a-test-secret-that-is-long-enough-0123456789";

    @Test
    void plansALocalBrokerThePublisherAndNumberedGatewaysOnConsecutivePorts() {
        ClusterPlan plan = ClusterPlan.of(3, 9092, 8080, 8081, SECRET, null);

        assertThat(plan.kafkaPort()).isEqualTo(9092);
        assertThat(plan.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(plan.ports()).containsExactly(entry(9092, "kafka"), entry(8080, "publisher-api"),
                entry(8081, "gw-1"), entry(8082, "gw-2"), entry(8083, "gw-3"));
        assertThat(plan.gateways()).extracting(ServicePlan::module).containsOnly("gateway-node");
        assertThat(plan.publisher().module()).isEqualTo("publisher-api");
    }

    @Test
    void startsThePublisherFirstThenTheGatewaysTogetherOnlyWithTwoCoresForEachWarmUp() {
        ClusterPlan plan = ClusterPlan.of(2, 9092, 8080, 8081, SECRET, null);
        List<ServicePlan> gateways = plan.gateways();

        assertThat(plan.startWaves(4, null)).containsExactly(List.of(plan.publisher()), gateways);
        assertThat(plan.startWaves(2, null)).containsExactly(List.of(plan.publisher()), List.of(gateways.get(0)),
                List.of(gateways.get(1)));
        assertThat(plan.startWaves(2, "45s")).hasSize(3);
        assertThat(plan.startWaves(2, "0s")).as("without warm-ups").containsExactly(List.of(plan.publisher()),
                gateways);
        assertThat(ClusterPlan.of(1, 9092, 8080, 8081, SECRET, null).startWaves(2, null)).hasSize(2);
    }

    @Test
    void readsAWarmUpOfZeroInEveryFormTheServicesAccept() {
        assertThat(List.of("0", "0s", "0ms", " 0S ", "PT0S", "0.0s")).allMatch(ClusterPlan::isZero);
        assertThat(List.of("10s", "0.5s", "PT30S", "1", "", "x")).noneMatch(ClusterPlan::isZero);
        assertThat(ClusterPlan.isZero(null)).isFalse();
    }

    @Test
    void configuresEachServiceThroughItsEnvironmentOnLoopbackWithTheSharedSecret() {
        ClusterPlan plan = ClusterPlan.of(2, 9092, 8080, 8081, SECRET, null);

        assertThat(plan.publisher().environment()).containsOnly(entry("SERVER_PORT", "8080"),
                entry("SERVER_ADDRESS", "127.0.0.1"), entry("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
                entry("TIDINGS_JWT_SECRET", SECRET), entry("TIDINGS_CORS_ALLOWED_ORIGINS",
                        "http://127.0.0.1:8081,http://localhost:8081,http://127.0.0.1:8082,http://localhost:8082"));
        assertThat(plan.gateways().get(1).environment()).containsOnly(entry("SERVER_PORT", "8082"),
                entry("SERVER_ADDRESS", "127.0.0.1"), entry("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
                entry("TIDINGS_JWT_SECRET", SECRET), entry("TIDINGS_NODE_ID", "gw-2"),
                entry("TIDINGS_DEV_TOKEN_ENDPOINT", "true"), entry("TIDINGS_ALLOWED_ORIGINS", "*"),
                entry("MANAGEMENT_SERVER_PORT", "8082"), entry("TIDINGS_INBOX_ADVERTISED_HOST", "127.0.0.1"),
                entry("TIDINGS_INBOX_STATE_DIR", plan.gateways().get(1).environment().get("TIDINGS_INBOX_STATE_DIR")));
        assertThat(plan.gateways().get(0).healthUri()).hasToString("http://127.0.0.1:8081/actuator/health");
    }

    @Test
    void passesThePermissiveLocalSettingsExplicitlyAsTheGatewaysDefaultsAreForProduction() {
        ClusterPlan plan = ClusterPlan.of(2, 9092, 8080, 8081, SECRET, null);

        for (ServicePlan gateway : plan.gateways()) {
            assertThat(gateway.environment()).contains(entry("TIDINGS_ALLOWED_ORIGINS", "*"),
                    entry("MANAGEMENT_SERVER_PORT", String.valueOf(gateway.port())));
        }
    }

    @Test
    void givesEachGatewayAnInboxStateDirectoryOfItsOwn() {
        ClusterPlan plan = ClusterPlan.of(2, 9092, 8080, 8081, SECRET, null);

        assertThat(plan.gateways()).extracting(gateway -> gateway.environment().get("TIDINGS_INBOX_STATE_DIR"))
                .doesNotContainNull().doesNotHaveDuplicates()
                .allSatisfy(dir -> assertThat(dir).startsWith(System.getProperty("java.io.tmpdir")));
    }

    @Test
    void startsNoBrokerAndChecksNoKafkaPortWhenKafkaBootstrapServersIsSet() {
        ClusterPlan plan = ClusterPlan.of(1, 9092, 8080, 8081, SECRET, "kafka.example:9093");

        assertThat(plan.kafkaPort()).isNull();
        assertThat(plan.ports()).doesNotContainKey(9092);
        assertThat(plan.gateways().get(0).environment()).containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka.example:9093");
    }

    @Test
    void refusesTwoServicesOnOnePort() {
        assertThatThrownBy(() -> ClusterPlan.of(2, 9092, 8082, 8081, SECRET, null))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("port 8082 would be used by both publisher-api and gw-2");
        assertThatThrownBy(() -> ClusterPlan.of(1, 8081, 8080, 8081, SECRET, null))
                .hasMessageContaining("port 8081 would be used by both kafka and gw-1");
    }

    @Test
    void refusesNodeCountsAndPortsOutOfRangeAsUsageErrors() {
        assertThatThrownBy(() -> ClusterPlan.of(0, 9092, 8080, 8081, SECRET, null))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("--nodes must be between 1 and")
                .extracting(ex -> ((CliException) ex).exitCode()).isEqualTo(2);
        assertThatThrownBy(() -> ClusterPlan.of(2, 9092, 8080, 65535, SECRET, null))
                .hasMessageContaining("--first-gateway-port + --nodes - 1 must be a TCP port");
        assertThatThrownBy(() -> ClusterPlan.of(1, 0, 8080, 8081, SECRET, null))
                .hasMessageContaining("--kafka-port must be a TCP port");
    }

    @Test
    void withRoutesTheRouterRunsLastWithItsRoutesFileAndNoJwtSecret() {
        java.nio.file.Path routes = java.nio.file.Path.of("/srv/routes.yaml");
        ClusterPlan plan = ClusterPlan.of(2, 9092, 8080, 8081, SECRET, null, routes, 8090,
                java.nio.file.Path.of("/srv/tidings/inbox"));

        assertThat(plan.gateways()).extracting(gateway -> gateway.environment().get("TIDINGS_INBOX_STATE_DIR"))
                .containsExactly("/srv/tidings/inbox/inbox-8081", "/srv/tidings/inbox/inbox-8082");
        assertThat(plan.router()).isNotNull();
        assertThat(plan.services()).last().isEqualTo(plan.router());
        assertThat(plan.ports()).containsEntry(8090, "router");
        assertThat(plan.router().module()).isEqualTo("router");
        assertThat(plan.router().environment()).containsEntry("TIDINGS_ROUTES_FILE", "/srv/routes.yaml")
                .containsEntry("SERVER_PORT", "8090").containsEntry("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
                .doesNotContainKey("TIDINGS_JWT_SECRET");
    }

    @Test
    void withoutRoutesThereIsNoRouter() {
        assertThat(ClusterPlan.of(2, 9092, 8080, 8081, SECRET, null).router()).isNull();
    }

    @Test
    void theRouterMayNotShareAGatewaysPort() {
        assertThatThrownBy(() -> ClusterPlan.of(3, 9092, 8080, 8081, SECRET, null,
                java.nio.file.Path.of("/srv/routes.yaml"), 8083, java.nio.file.Path.of("/srv/tidings/inbox")))
                .isInstanceOf(CliException.class).hasMessageContaining("--router-port");
    }
}
