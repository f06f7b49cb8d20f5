package dev.tidings.router.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tidings.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The router's health with a real broker, as a process: a route held by a schema registry that does not
 * answer makes {@code /actuator/health} DOWN and says which route waits and why, while liveness and
 * readiness stay UP (an outage is waited out, not answered by a restart).
 */
@ExtendWith(KafkaBrokerExtension.class)
class RouteHealthIT {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aRouteWaitingForItsRegistryTurnsHealthDownWithItsReasonWhileLivenessStaysUp(@TempDir Path dir)
            throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String avroTopic = "health.avro." + id;
        String jsonTopic = "health.json." + id;
        Kafka.createTopic(avroTopic, 1);
        Kafka.createTopic(jsonTopic, 1);
        Path routes = dir.resolve("routes.yaml");
        Files.writeString(routes, Kafka.avroBesideJsonRoutes(id, avroTopic, "$.customer", jsonTopic,
                "http://127.0.0.1:" + closedPort));
        Map<String, String> properties = Map.of(
                "tidings.router.routes-file", routes.toString(),
                "tidings.topic.name", "router-health-it-" + id,
                "tidings.topic.partitions", "1",
                "spring.kafka.bootstrap-servers", KafkaBrokerExtension.bootstrapServers());

        try (RouterProcess router = RouterProcess.start(properties)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode routesHealth = json.readTree(router.get("/actuator/health").body())
                        .path("components").path("routes");
                assertThat(routesHealth.path("status").asString()).isEqualTo("UP");
                assertThat(routesHealth.path("details").path("json-" + id).path("state").asString())
                        .isEqualTo("running");
            });

            Kafka.produce(avroTopic, List.of("\u0000\u0000\u0000\u0000\u0001body"));

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                var health = router.get("/actuator/health");
                assertThat(health.statusCode()).isEqualTo(503);
                JsonNode routesHealth = json.readTree(health.body()).path("components").path("routes");
                assertThat(routesHealth.path("status").asString()).isEqualTo("DOWN");
                JsonNode avro = routesHealth.path("details").path("avro-" + id);
                assertThat(avro.path("state").asString()).isEqualTo("waiting_for_source");
                assertThat(avro.path("reason").asString()).contains(avroTopic + "-0 at offset 0");
                assertThat(routesHealth.path("details").path("json-" + id).path("state").asString())
                        .isEqualTo("running");
            });
            assertThat(router.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
            assertThat(router.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        }
    }
}
