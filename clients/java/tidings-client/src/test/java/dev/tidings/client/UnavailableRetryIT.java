package dev.tidings.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.tidings.testing.KafkaBrokerExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A 503 is retried with the same id until Kafka takes the notification, and it is written once:
 * the publisher's topic is deleted under it (the test broker creates no topic by itself), so Kafka
 * cannot take a record, then created again.
 */
@ExtendWith(KafkaBrokerExtension.class)
class UnavailableRetryIT {

    final List<TidingsException> retried = new CopyOnWriteArrayList<>();

    @Test
    void a503IsRetriedWithTheSameIdUntilKafkaTakesItAndItIsWrittenOnce() throws Exception {
        try (LocalPublisher publisher = new LocalPublisher(Map.of(
                "tidings.topic.partitions", 1,
                "tidings.publisher.send-timeout", "4s",
                "spring.kafka.producer.properties.max.block.ms", "1000",
                "spring.kafka.producer.properties.request.timeout.ms", "1000",
                "spring.kafka.producer.properties.delivery.timeout.ms", "2500"));
                Admin admin = Admin.create(KafkaBrokerExtension.adminConfig())) {
            Tidings tidings = Tidings.builder().baseUrl(publisher.url()).token(publisher.token("outage-service"))
                    .retryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(100).withMaxElapsed(Duration.ofMinutes(2)))
                    .retryListener((attempt, delay, reason) -> retried.add(reason))
                    .build();
            tidings.toUser("alice").event("before.outage").payloadJson("{}").send();
            admin.deleteTopics(List.of(publisher.topic())).all().get();

            CompletableFuture<Accepted> single = CompletableFuture.supplyAsync(
                    () -> tidings.toUser("alice").event("during.outage").payloadJson("{\"n\":1}").send());
            CompletableFuture<BatchResult> batch = CompletableFuture.supplyAsync(() -> tidings.batch()
                    .add(tidings.toUser("bob").event("during.outage").payloadJson("{\"n\":2}"))
                    .add(tidings.toGroup("Class:201901").id("outage-" + System.nanoTime()).event("during.outage")
                            .payloadJson("{\"n\":3}"))
                    .send());
            await().atMost(Duration.ofSeconds(60)).until(() -> retried.stream()
                    .filter(reason -> reason instanceof TidingsProblemException problem
                            && problem.kind() == ProblemKind.UNAVAILABLE)
                    .count() >= 2);
            admin.createTopics(List.of(new NewTopic(publisher.topic(), 1, (short) 1))).all().get();

            Accepted accepted = single.get(150, TimeUnit.SECONDS);
            BatchResult results = batch.get(150, TimeUnit.SECONDS);

            assertThat(retried).filteredOn(reason -> reason.id() != null)
                    .extracting(TidingsException::id).contains(accepted.id());
            assertThat(publisher.recordsWithId(accepted.id())).hasSize(1);
            assertThat(results.allAccepted()).as(results.toString()).isTrue();
            for (String id : results.ids()) {
                assertThat(publisher.recordsWithId(id)).as(id).hasSize(1);
            }
        }
    }
}
