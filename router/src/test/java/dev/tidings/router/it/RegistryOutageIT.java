package dev.tidings.router.it;

import static dev.tidings.router.decode.ConfluentFrames.framed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.tidings.router.engine.Router;
import dev.tidings.testing.KafkaBrokerExtension;
import dev.tidings.testing.SchemaRegistry;
import dev.tidings.testing.SchemaRegistryExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A schema registry the router cannot reach (connections refused and reset, the registry itself up
 * and keeping its schemas behind a {@link TcpGate}): the Avro route holds its records, retrying with
 * backoff, instead of dead-lettering them; the router's other routes go on; once the registry is
 * reachable again the held records are routed.
 */
@ExtendWith({ KafkaBrokerExtension.class, SchemaRegistryExtension.class })
class RegistryOutageIT {

    final String id = UUID.randomUUID().toString().substring(0, 8);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void anUnreachableRegistryPausesTheAvroRouteWithoutDeadLetteringAndItResumesWhenTheRegistryIsBack(
            SchemaRegistry registry) {
        String avroTopic = "shop.orders.avro." + id;
        String jsonTopic = "shop.orders.json." + id;
        Kafka.createTopic(avroTopic, 1);
        Kafka.createTopic(jsonTopic, 1);
        String notifications = "router-outage-it-" + id;
        Schema schema = new Schema.Parser().parse(SchemaRegistryIT.GRADE_V1);
        int schemaId = registry.register(avroTopic + "-value", SchemaRegistryIT.GRADE_V1);
        URI registryUrl = URI.create(registry.url());
        try (TcpGate gate = new TcpGate(registryUrl.getPort())) {
            String throughGate = "http://127.0.0.1:" + gate.port() + registryUrl.getPath();
            gate.shut();
            Kafka.produceBytes(avroTopic, List.of(framed(schemaId,
                    SchemaRegistryIT.grade(schema, "dana", "9.99", Instant.EPOCH))));
            Kafka.produce(jsonTopic, List.of("{\"customer\":\"carol\"}"));

            try (Router router = Kafka.router(
                    Kafka.avroBesideJsonRoutes(id, avroTopic, "$.studentId", jsonTopic, throughGate),
                    notifications, meters)) {

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

                gate.open();

                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                        Kafka.notifications(notifications)).extracting(r -> r.key())
                        .containsExactlyInAnyOrder("user:carol", "user:dana"));
                assertThat(Kafka.raw("tidings.router.avro-" + id + ".dlq")).as("nothing dead-lettered").isEmpty();
            }
        }
    }
}
