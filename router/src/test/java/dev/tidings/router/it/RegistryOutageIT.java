package dev.tidings.router.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.tidings.router.engine.Router;
import dev.tidings.testing.KafkaBrokerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A schema registry that does not answer (nothing listens on its port): the Avro route holds its
 * records, retrying with backoff, instead of dead-lettering them; the router's other routes go on.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RegistryOutageIT {

    final String id = UUID.randomUUID().toString().substring(0, 8);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void anUnreachableRegistryPausesTheAvroRouteWithoutDeadLetteringAndOtherRoutesGoOn() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String avroTopic = "shop.orders.avro." + id;
        String jsonTopic = "shop.orders.json." + id;
        Kafka.createTopic(avroTopic, 1);
        Kafka.createTopic(jsonTopic, 1);
        String notifications = "router-outage-it-" + id;
        try (Router router = Kafka.router("""
                routes:
                  - name: avro-%s
                    topic: %s
                    format: avro-confluent
                    event: order.shipped
                    target: {type: user, ids: "$.customer"}
                    start: earliest
                  - name: json-%s
                    topic: %s
                    event: order.shipped
                    target: {type: user, ids: "$.customer"}
                    start: earliest
                schema-registry:
                  url: http://127.0.0.1:%d
                  timeout: 1s
                """.formatted(id, avroTopic, id, jsonTopic, closedPort), notifications, meters)) {
            Kafka.produce(avroTopic, List.of("\u0000\u0000\u0000\u0000\u0001body"));
            Kafka.produce(jsonTopic, List.of("{\"customer\":\"carol\"}"));

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(Kafka.notifications(notifications)).singleElement()
                        .satisfies(r -> assertThat(r.key()).isEqualTo("user:carol"));
                assertThat(meters.get("tidings.router.source.unavailable").tag("route", "avro-" + id).counter()
                        .count()).isGreaterThanOrEqualTo(2);
            });
            assertThat(Kafka.raw("tidings.router.avro-" + id + ".dlq")).as("nothing dead-lettered").isEmpty();
            assertThat(meters.get("tidings.router.records.in").tag("route", "avro-" + id).counter().count()).isZero();
            assertThat(Kafka.committed("tidings-router.avro-" + id))
                    .as("the held record stays uncommitted, to be read again once the registry answers")
                    .containsValue(0L);
        }
    }
}
