package dev.tidings.router.it;

import static dev.tidings.router.it.ConfluentFrames.framed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.tidings.router.engine.Router;
import dev.tidings.testing.KafkaBrokerExtension;
import dev.tidings.testing.SchemaRegistryProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A schema registry that goes down (its process killed): the Avro route holds its records, retrying
 * with backoff, instead of dead-lettering them; the router's other routes go on; once the registry
 * answers again the held records are routed. The test runs a registry of its own, not the shared one.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RegistryOutageIT {

    final String id = UUID.randomUUID().toString().substring(0, 8);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void aKilledRegistryPausesTheAvroRouteWithoutDeadLetteringAndItResumesWhenTheRegistryIsBack() {
        String avroTopic = "shop.orders.avro." + id;
        String jsonTopic = "shop.orders.json." + id;
        Kafka.createTopic(avroTopic, 1);
        Kafka.createTopic(jsonTopic, 1);
        String notifications = "router-outage-it-" + id;
        Schema schema = new Schema.Parser().parse(SchemaRegistryIT.GRADE_V1);
        try (SchemaRegistryProcess registry = SchemaRegistryProcess.start()) {
            int schemaId = registry.registry().register(avroTopic + "-value", SchemaRegistryIT.GRADE_V1);
            registry.kill();
            Kafka.produceBytes(avroTopic, List.of(framed(schemaId,
                    SchemaRegistryIT.grade(schema, "dana", "9.99", Instant.EPOCH))));
            Kafka.produce(jsonTopic, List.of("{\"customer\":\"carol\"}"));

            try (Router router = Kafka.router("""
                    routes:
                      - name: avro-%s
                        topic: %s
                        format: avro-confluent
                        event: order.shipped
                        target: {type: user, ids: "$.studentId"}
                        start: earliest
                      - name: json-%s
                        topic: %s
                        event: order.shipped
                        target: {type: user, ids: "$.customer"}
                        start: earliest
                    schema-registry:
                      url: %s
                      timeout: 1s
                    """.formatted(id, avroTopic, id, jsonTopic, registry.url()), notifications, meters)) {

                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(Kafka.notifications(notifications)).singleElement()
                            .satisfies(r -> assertThat(r.key()).isEqualTo("user:carol"));
                    assertThat(meters.get("tidings.router.source.unavailable").tag("route", "avro-" + id).counter()
                            .count()).isGreaterThanOrEqualTo(2);
                });
                assertThat(Kafka.raw("tidings.router.avro-" + id + ".dlq")).as("nothing dead-lettered").isEmpty();
                assertThat(meters.get("tidings.router.records.in").tag("route", "avro-" + id).counter().count())
                        .isZero();
                assertThat(Kafka.committed("tidings-router.avro-" + id))
                        .as("the held record stays uncommitted, to be read again once the registry answers")
                        .containsValue(0L);

                registry.restart();
                assertThat(registry.registry().register(avroTopic + "-value", SchemaRegistryIT.GRADE_V1))
                        .as("the restarted, empty registry gives the schema its first id again").isEqualTo(schemaId);

                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                        Kafka.notifications(notifications)).extracting(r -> r.key())
                        .containsExactlyInAnyOrder("user:carol", "user:dana"));
                assertThat(Kafka.raw("tidings.router.avro-" + id + ".dlq")).as("nothing dead-lettered").isEmpty();
            }
        }
    }
}
