package dev.tidings.publisher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tidings.testing.KafkaBrokerExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A 503 is not "not written": the publisher refuses to start with a {@code send-timeout} the
 * producer can outlast, every 503 names the id to retry with, and the retry with it writes once.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SendTimeoutIT {

    final JsonMapper json = JsonMapper.builder().build();

    @Test
    void startUpRefusesASendTimeoutShorterThanTheProducersWorstCase() {
        assertThatThrownBy(() -> Replica.start(Map.of(
                "tidings.topic.name", "send-timeout-it-" + UUID.randomUUID(),
                "tidings.publisher.send-timeout", "2s",
                "spring.kafka.producer.properties.max.block.ms", "3000",
                "spring.kafka.producer.properties.delivery.timeout.ms", "7000")).close())
                .hasStackTraceContaining("tidings.publisher.send-timeout")
                .hasStackTraceContaining("max.block.ms")
                .hasStackTraceContaining("delivery.timeout.ms");
    }

    @Test
    void every503NamesTheIdToRetryWithAndTheRetryWithItWritesOnce() throws Exception {
        String topic = "send-timeout-it-" + UUID.randomUUID();
        try (Replica publisher = new Replica(Map.of(
                "tidings.topic.name", topic,
                "tidings.topic.partitions", 1,
                "tidings.publisher.send-timeout", "4s",
                "spring.kafka.producer.properties.max.block.ms", "1000",
                "spring.kafka.producer.properties.request.timeout.ms", "1000",
                "spring.kafka.producer.properties.delivery.timeout.ms", "2500"));
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        KafkaBrokerExtension.bootstrapServers()))) {
            assertThat(publisher.post("/api/v1/notifications", "svc", notice(null)).statusCode()).isEqualTo(202);
            // The topic goes away (the broker does not create topics): Kafka cannot take the next notices.
            admin.deleteTopics(List.of(topic)).all().get();

            HttpResponse<String> refused = publisher.post("/api/v1/notifications", "svc", notice(null));
            HttpResponse<String> batch = publisher.post("/api/v1/notifications:batch", "svc",
                    "{\"notifications\":[" + notice(null) + "," + notice("mine-" + UUID.randomUUID()) + "]}");

            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            String id = json.readTree(refused.body()).get("id").asString();
            assertThat(id).as(refused.body()).isNotBlank();
            assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
            for (JsonNode item : json.readTree(batch.body()).get("results")) {
                assertThat(item.get("status").asInt()).as(item.toString()).isEqualTo(503);
                assertThat(item.get("id").asString()).as(item.toString()).isNotBlank();
            }

            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(
                    () -> publisher.post("/api/v1/notifications", "svc", notice(id)).statusCode() == 202);
            HttpResponse<String> again = publisher.post("/api/v1/notifications", "svc", notice(id));

            assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
            assertThat(Replica.recordsWithId(topic, id)).hasSize(1);
        }
    }

    private static String notice(String id) {
        return "{" + (id == null ? "" : "\"id\":\"" + id + "\",")
                + "\"target\":{\"type\":\"user\",\"ids\":[\"alice\"]},\"event\":\"timeout\",\"payload\":{\"n\":1}}";
    }
}
