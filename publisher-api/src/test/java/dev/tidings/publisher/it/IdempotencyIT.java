package dev.tidings.publisher.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import dev.tidings.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Idempotency keys on two publisher replicas sharing one broker, as the Helm chart runs them: a key
 * belongs to its caller (the token's {@code sub}) and to one request body, and a retry that lands
 * on the other replica is answered from the first one's write.
 */
@ExtendWith(KafkaBrokerExtension.class)
class IdempotencyIT {

    static final String TOPIC = "idempotency-it-" + UUID.randomUUID();
    static Replica a;
    static Replica b;
    static Replica late;
    final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void startTwoReplicas() {
        a = new Replica(Map.of("tidings.topic.name", TOPIC));
        b = new Replica(Map.of("tidings.topic.name", TOPIC));
    }

    @AfterAll
    static void stopReplicas() {
        if (late != null) {
            late.close();
        }
        b.close();
        a.close();
    }

    @Test
    void anotherCallerReusingAnIdGetsItsOwnNotificationWritten() throws Exception {
        String id = "shared-" + UUID.randomUUID();

        HttpResponse<String> first = a.post("/api/v1/notifications", "service-a", notice(id, "{\"from\":\"a\"}"));
        HttpResponse<String> second = a.post("/api/v1/notifications", "service-b", notice(id, "{\"from\":\"b\"}"));

        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(202);
        assertThat(json.readTree(second.body()).get("offset").asLong())
                .isNotEqualTo(json.readTree(first.body()).get("offset").asLong());
        assertThat(Replica.recordsWithId(TOPIC, id)).extracting(r -> r.value().getSource())
                .containsExactlyInAnyOrder("service-a", "service-b");
    }

    @Test
    void theSameCallerReusingAnIdForAnotherBodyGetsA409NamingTheConflictAndWritesNothing() throws Exception {
        String id = "reused-" + UUID.randomUUID();

        HttpResponse<String> first = a.post("/api/v1/notifications", "service-c", notice(id, "{\"n\":1}"));
        HttpResponse<String> conflicting = b.post("/api/v1/notifications", "service-c", notice(id, "{\"n\":2}"));

        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(conflicting.statusCode()).as(conflicting.body()).isEqualTo(409);
        assertThat(conflicting.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(conflicting.body());
        assertThat(problem.get("id").asString()).isEqualTo(id);
        assertThat(problem.get("detail").asString()).contains(id).contains("different");
        assertThat(Replica.recordsWithId(TOPIC, id)).hasSize(1);
    }

    @Test
    void aRetryLandingOnTheOtherReplicaGetsTheFirstResultAndWritesNothing() throws Exception {
        String id = "retried-" + UUID.randomUUID();
        String body = notice(id, "{\"n\":1}");

        HttpResponse<String> first = a.post("/api/v1/notifications", "service-d", body);
        HttpResponse<String> retry = b.post("/api/v1/notifications", "service-d", body);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
        assertThat(json.readTree(retry.body())).isEqualTo(json.readTree(first.body()));
        assertThat(Replica.recordsWithId(TOPIC, id)).hasSize(1);
    }

    @Test
    void aReplicaStartedAfterTheFirstWriteKnowsTheKeyFromTheTopic() throws Exception {
        String id = "before-start-" + UUID.randomUUID();
        String body = notice(id, "{\"n\":1}");
        HttpResponse<String> first = a.post("/api/v1/notifications", "service-f", body);

        // Stopped with the others: a stopped context would take the shared Reactor Netty resources with it.
        late = new Replica(Map.of("tidings.topic.name", TOPIC));
        HttpResponse<String> retry = late.post("/api/v1/notifications", "service-f", body);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
        assertThat(json.readTree(retry.body())).isEqualTo(json.readTree(first.body()));
        assertThat(Replica.recordsWithId(TOPIC, id)).hasSize(1);
    }

    @Test
    void theSameRequestOnBothReplicasAtOnceIsWrittenOnceAndBothGetItsResult() throws Exception {
        for (int round = 0; round < 5; round++) {
            String id = "raced-" + round + "-" + UUID.randomUUID();
            String body = notice(id, "{\"round\":" + round + "}");
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (Replica replica : List.of(a, b, a, b)) {
                answers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return replica.post("/api/v1/notifications", "service-e", body);
                    }
                    catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                }));
            }

            List<JsonNode> results = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.join();
                assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
                results.add(json.readTree(response.body()));
            }
            assertThat(results).as("every answer is the one write's").containsOnly(results.get(0));
            assertThat(Replica.recordsWithId(TOPIC, id)).hasSize(1);
        }
    }

    private static String notice(String id, String payload) {
        return "{\"id\":\"" + id + "\",\"target\":{\"type\":\"broadcast\"},\"event\":\"idem\",\"payload\":" + payload + "}";
    }
}
