package dev.tidings.publisher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.tidings.schema.Notification;
import dev.tidings.schema.NotificationDeserializer;
import dev.tidings.schema.TargetType;
import dev.tidings.testing.KafkaBrokerExtension;
import dev.tidings.testing.TopicContents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A fresh publisher serves its own requests on loopback before it reports ready: single publishes to users, a group
 * and everyone, some with an id, and batches, all accepted and written to the warm-up's own topic; the notifications
 * topic receives only what callers publish, which is served meanwhile; a warm-up whose requests fail leaves the
 * publisher ready and says why.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PublisherWarmUpIT {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aFreshPublisherIsReadyOnlyAfterItsWarmUpWhoseRecordsGoToTheirOwnTopicWhileCallersAreServed() throws Exception {
        String topic = "warm-up-it-" + UUID.randomUUID();
        try (Replica publisher = new Replica(Map.of("tidings.topic.name", topic,
                "tidings.publisher.warm-up.duration", "8s",
                "management.endpoint.health.show-details", "always"))) {
            assertThat(publisher.get("/actuator/health/readiness").statusCode()).as("not ready while it warms up")
                    .isEqualTo(503);
            assertThat(warmUp(publisher).path("status").asString()).isEqualTo("OUT_OF_SERVICE");

            HttpResponse<String> served = publisher.post("/api/v1/notifications", "svc",
                    "{\"id\":\"during-warm-up\",\"target\":{\"type\":\"user\",\"ids\":[\"alice\"]},"
                            + "\"event\":\"note\",\"payload\":{\"n\":1}}");
            assertThat(served.statusCode()).as(served.body()).isEqualTo(202);

            await().atMost(Duration.ofSeconds(40))
                    .until(() -> publisher.get("/actuator/health/readiness").statusCode() == 200);
            JsonNode warmUp = warmUp(publisher);
            assertThat(warmUp.path("status").asString()).isEqualTo("UP");
            JsonNode details = warmUp.path("details");
            assertThat(details.path("state").asString()).as(warmUp.toString()).isEqualTo("done");
            assertThat(details.path("topic").asString()).isEqualTo(topic + ".warm-up");
            assertThat(details.path("requests").asLong()).isPositive();
            assertThat(details.path("jitCompileMillis").asLong()).isPositive();

            List<ConsumerRecord<String, Notification>> written = records(topic);
            assertThat(written).as("only the caller's notification is in the notifications topic")
                    .extracting(record -> record.value().getId()).containsExactly("during-warm-up");
            List<ConsumerRecord<String, Notification>> warmUps = records(topic + ".warm-up");
            assertThat(warmUps).hasSizeGreaterThanOrEqualTo((int) details.path("notifications").asLong());
            assertThat(warmUps).allSatisfy(record -> {
                assertThat(record.value().getSource()).startsWith("tidings-warm-up-");
                assertThat(record.value().getEvent()).isEqualTo("warm-up");
            });
            assertThat(warmUps.stream().map(record -> record.value().getTarget().getType()).collect(Collectors.toSet()))
                    .isEqualTo(Set.of(TargetType.USER, TargetType.GROUP, TargetType.BROADCAST));

            String metrics = publisher.get("/actuator/prometheus").body();
            assertThat(metrics).as("the batch path ran too").contains("uri=\"/api/v1/notifications:batch\"");
        }
    }

    @Test
    void aWarmUpWhoseRequestsAreRefusedLeavesThePublisherReadyAndSaysWhy() throws Exception {
        try (Replica publisher = new Replica(Map.of("tidings.topic.name", "warm-up-it-" + UUID.randomUUID(),
                "tidings.publisher.warm-up.duration", "20s",
                "tidings.publisher.warm-up.topic", "not a topic name!",
                "management.endpoint.health.show-details", "always"))) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> publisher.get("/actuator/health/readiness").statusCode() == 200);

            JsonNode details = warmUp(publisher).path("details");
            assertThat(details.path("state").asString()).isEqualTo("failed");
            assertThat(details.path("reason").asString()).contains("answered 503");
            HttpResponse<String> served = publisher.post("/api/v1/notifications", "svc",
                    "{\"target\":{\"type\":\"broadcast\"},\"event\":\"note\",\"payload\":{}}");
            assertThat(served.statusCode()).as(served.body()).isEqualTo(202);
        }
    }

    private JsonNode warmUp(Replica publisher) throws Exception {
        return json.readTree(publisher.get("/actuator/health").body()).path("components").path("warmUp");
    }

    private static List<ConsumerRecord<String, Notification>> records(String topic) {
        return TopicContents.readToEnd(topic, new StringDeserializer(), new NotificationDeserializer());
    }
}
