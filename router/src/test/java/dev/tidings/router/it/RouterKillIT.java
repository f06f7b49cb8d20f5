package dev.tidings.router.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import dev.tidings.router.engine.RecordRouter;
import dev.tidings.schema.Notification;
import dev.tidings.testing.KafkaBrokerExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class RouterKillIT {

    static final int RECORDS = 20_000;

    final String id = UUID.randomUUID().toString().substring(0, 8);
    final String source = "shop.orders." + id;
    final String notificationsTopic = "router-kill-it-" + id;
    final String route = "orders-" + id;

    @Test
    void aRouterKilledMidStreamLosesNothingAndItsReplacementRewritesOnlyCopiesWithTheSameIds(@TempDir Path dir)
            throws Exception {
        Kafka.createTopic(source, 3);
        Path routes = dir.resolve("routes.yaml");
        Files.writeString(routes, """
                routes:
                  - name: %s
                    topic: %s
                    event: order.shipped
                    target: {type: user, ids: "$.customer"}
                    payload: {order: "$.order"}
                    start: earliest
                """.formatted(route, source));
        Map<String, String> properties = Map.of(
                "tidings.router.routes-file", routes.toString(),
                "tidings.topic.name", notificationsTopic,
                "tidings.topic.partitions", "3",
                "spring.kafka.bootstrap-servers", KafkaBrokerExtension.bootstrapServers());

        RouterProcess first = RouterProcess.start(properties);
        CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
            for (int batch = 0; batch < RECORDS / 1000; batch++) {
                int from = batch * 1000;
                Kafka.produce(source, IntStream.range(from, from + 1000)
                        .mapToObj(i -> "{\"customer\":\"c" + (i % 50) + "\",\"order\":" + i + "}").toList());
            }
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> Kafka.committedTotal("tidings-router." + route) >= 4000);
        first.kill();
        producing.get();

        try (RouterProcess second = RouterProcess.start(properties)) {
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> Kafka.committedTotal("tidings-router." + route) == RECORDS);
            assertThat(second.metrics()).contains("tidings_router_records_in_total{route=\"" + route + "\"}");
        }

        Set<String> expected = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : Kafka.raw(source)) {
            expected.add(RecordRouter.derivedId(route, source, record.partition(), record.offset()));
        }
        List<ConsumerRecord<String, Notification>> written = Kafka.notifications(notificationsTopic);
        Map<String, Notification> byId = new HashMap<>();
        int copies = 0;
        for (ConsumerRecord<String, Notification> record : written) {
            Notification first0 = byId.putIfAbsent(record.value().getId(), record.value());
            if (first0 != null) {
                copies++;
                assertThat(record.value().getPayload()).as("a copy is the same notification")
                        .isEqualTo(first0.getPayload());
                assertThat(record.value().getTarget()).isEqualTo(first0.getTarget());
            }
        }
        System.out.printf("RouterKillIT: %d source records, %d notification records, %d distinct ids, %d copies%n",
                RECORDS, written.size(), byId.size(), copies);
        assertThat(expected).hasSize(RECORDS);
        assertThat(byId.keySet()).as("after de-duplication by id: every record once, nothing lost, nothing else")
                .isEqualTo(expected);
    }
}
