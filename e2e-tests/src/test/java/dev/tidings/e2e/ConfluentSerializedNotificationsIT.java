package dev.tidings.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tidings.router.engine.Router;
import dev.tidings.router.engine.RouterSettings;
import dev.tidings.router.routes.RoutesParser;
import dev.tidings.schema.TopicLayout;
import dev.tidings.testing.KafkaBrokerExtension;
import dev.tidings.testing.SchemaRegistry;
import dev.tidings.testing.SchemaRegistryExtension;
import dev.tidings.testing.WsTestClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * A product service that writes Avro with Confluent's own serializer and registry client (the Node
 * script of {@link ConfluentNodeProducer}), a live Confluent-compatible registry, the router and a
 * gateway: the addressed user's WebSocket client receives the decoded event, and no one else does.
 */
@ExtendWith({ KafkaBrokerExtension.class, SchemaRegistryExtension.class })
class ConfluentSerializedNotificationsIT {

    @Test
    void eventsWrittenWithConfluentsSerializerReachTheAddressedUserDecodedAndNoOneElse(SchemaRegistry registry)
            throws Exception {
        String prefix = "school.grades." + UUID.randomUUID().toString().substring(0, 8);
        String declared = prefix + ".declared";
        String inferred = prefix + ".inferred";
        try (Admin admin = Admin.create(KafkaBrokerExtension.adminConfig())) {
            admin.createTopics(List.of(new NewTopic(declared, 1, (short) 1), new NewTopic(inferred, 1, (short) 1)))
                    .all().get();
        }
        try (LocalCluster cluster = new LocalCluster(1);
                Router router = new Router(RoutesParser.parse("""
                        routes:
                          - name: grades-posted
                            topic-pattern: "%s\\\\..*"
                            format: avro-confluent
                            event: grade.posted
                            target: {type: user, ids: "$.studentId"}
                            start: earliest
                        schema-registry:
                          url: %s
                        """.formatted(prefix.replace(".", "\\\\."), registry.url()), "e2e routes"),
                        new RouterSettings(
                                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerExtension.bootstrapServers()),
                                TopicLayout.of(cluster.topic(), 6, (short) 1, (short) 0), 65536,
                                Duration.ofMillis(100), Duration.ofSeconds(1)),
                        new SimpleMeterRegistry())) {
            router.start();
            WsTestClient alice = connect(cluster, "alice");
            WsTestClient bob = connect(cluster, "bob");

            List<JsonNode> written = ConfluentNodeProducer.run(KafkaBrokerExtension.bootstrapServers(),
                    registry.url(), declared, inferred, "alice");

            assertThat(written).as("one record per topic").hasSize(2);
            for (JsonNode record : written) {
                assertThat(record.get("hex").asString()).as("Confluent's framing: byte 0, then the schema id")
                        .startsWith("00" + "%08x".formatted(record.get("schemaId").asInt()));
                assertThat(record.get("schemaId").asInt()).as("the id the registry holds for " + record.get("subject"))
                        .isEqualTo(record.get("registeredId").asInt());
            }
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(alice.frames("notification")).hasSize(2));
            Map<String, JsonNode> byCourse = new java.util.HashMap<>();
            for (JsonNode frame : alice.frames("notification")) {
                assertThat(frame.get("event").asString()).isEqualTo("grade.posted");
                assertThat(frame.get("target").get("type").asString()).isEqualTo("user");
                byCourse.put(frame.get("payload").get("course").asString(), frame.get("payload"));
            }
            JsonNode math = byCourse.get("math");
            assertThat(math).as("the record of the declared schema, with logical types").isNotNull();
            assertThat(math.get("score").asString()).isEqualTo("17.50");
            assertThat(math.get("postedAt").asString()).isEqualTo("2026-12-04T10:15:30.123Z");
            assertThat(math.get("comment").asString()).isEqualTo("well done");
            JsonNode physics = byCourse.get("physics");
            assertThat(physics).as("the record of the schema the serializer inferred and registered").isNotNull();
            assertThat(physics.get("grade").asString()).isEqualTo("B+");
            assertThat(physics.get("attempt").asInt()).isEqualTo(2);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(bob.frames("notification")).as("bob is not the student").isEmpty());
            List.of(alice, bob).forEach(WsTestClient::close);
        }
    }

    private static WsTestClient connect(LocalCluster cluster, String user) {
        WsTestClient client = WsTestClient.connect(user, cluster.gatewayPort(0), cluster.token(user));
        await().atMost(Duration.ofSeconds(10)).until(() -> !client.frames("welcome").isEmpty());
        return client;
    }
}
