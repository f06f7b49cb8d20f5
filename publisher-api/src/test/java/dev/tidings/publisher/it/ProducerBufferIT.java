package dev.tidings.publisher.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tidings.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The producer's buffer is never waited for: what does not fit is a fast 503 with
 * {@code Retry-After} and the id to retry with, and the rest is written.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ProducerBufferIT {

    static final int BUFFER = 256 * 1024;
    static final int PAYLOAD = 60_000;

    final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aBatchNeedingMoreProducerBufferThanIsFreeGetsFast503sWithIdsForWhatDidNotFit() throws Exception {
        String topic = "buffer-it-" + UUID.randomUUID();
        try (Replica publisher = new Replica(Map.of(
                "tidings.topic.name", topic,
                "spring.kafka.producer.buffer-memory", BUFFER,
                "spring.kafka.producer.properties.max.request.size", BUFFER))) {
            assertThat(publisher.post("/api/v1/notifications", "warm-up", notice(0)).statusCode()).isEqualTo(202);
            List<String> items = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                items.add(notice(i));
            }

            long started = System.nanoTime();
            HttpResponse<String> response = publisher.post("/api/v1/notifications:batch", "svc",
                    "{\"notifications\":[" + String.join(",", items) + "]}");
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            List<JsonNode> results = new ArrayList<>();
            json.readTree(response.body()).get("results").forEach(results::add);
            List<JsonNode> written = results.stream().filter(r -> r.has("offset")).toList();
            List<JsonNode> refused = results.stream().filter(r -> r.has("status")).toList();
            assertThat(written).as(response.body()).isNotEmpty();
            assertThat(refused).as(response.body()).isNotEmpty().allSatisfy(problem -> {
                assertThat(problem.get("status").asInt()).isEqualTo(503);
                assertThat(problem.get("id").asString()).isNotBlank();
                assertThat(problem.get("retryAfterSeconds").asInt()).isPositive();
                assertThat(problem.get("detail").asString()).contains("buffer");
            });
            assertThat(took).as("refused without waiting for buffer space").isLessThan(Duration.ofSeconds(3));
            assertThat(publisher.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        }
    }

    private static String notice(int n) {
        return "{\"target\":{\"type\":\"user\",\"ids\":[\"u" + n + "\"]},\"event\":\"big\",\"payload\":{\"blob\":\""
                + "x".repeat(PAYLOAD) + "\"}}";
    }
}
