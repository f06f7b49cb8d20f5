package dev.tidings.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.tidings.testing.KafkaBrokerExtension;
import dev.tidings.testing.WsTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Operators count, then re-publish, what users missed; clients drop what they already have by id. */
@ExtendWith(KafkaBrokerExtension.class)
class OperatorReplayIT {

    final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aDryRunCountsTheMatchesAndARealRunRepublishesThemWithTheirOriginalIds() throws Exception {
        try (LocalCluster cluster = new LocalCluster(1)) {
            Instant from = Instant.now().minusSeconds(1);
            List<String> toAlice = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                toAlice.add(cluster.publish("{\"type\":\"user\",\"ids\":[\"alice\"]}", "grade.published", "{}")
                        .get("id").asString());
                cluster.publish("{\"type\":\"user\",\"ids\":[\"bob\"]}", "grade.published", "{}");
                cluster.publish("{\"type\":\"user\",\"ids\":[\"alice\"]}", "chat.message", "{}");
            }
            Instant to = Instant.now().plusSeconds(1);
            String filter = "\"from\":\"%s\",\"to\":\"%s\",\"target\":{\"type\":\"user\",\"ids\":[\"alice\"]},\"event\":\"grade.published\""
                    .formatted(from, to);

            HttpResponse<String> dry = cluster.post("/api/v1/replays", "{" + filter + ",\"dryRun\":true}");

            assertThat(dry.statusCode()).as(dry.body()).isEqualTo(200);
            JsonNode counted = json.readTree(dry.body());
            assertThat(counted.get("matched").asLong()).isEqualTo(5);
            assertThat(counted.get("scanned").asLong()).isEqualTo(15);
            assertThat(counted.get("published").asLong()).isZero();

            WsTestClient alice = WsTestClient.connect("alice", cluster.gatewayPort(0), cluster.token("alice"));
            await().atMost(Duration.ofSeconds(10)).until(() -> !alice.frames("welcome").isEmpty());
            HttpResponse<String> real = cluster.post("/api/v1/replays", "{" + filter + ",\"dryRun\":false}");
            assertThat(real.statusCode()).as(real.body()).isEqualTo(202);
            String job = json.readTree(real.body()).get("id").asString();

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode state = json.readTree(get(cluster, "/api/v1/replays/" + job));
                assertThat(state.get("status").asString()).isEqualTo("COMPLETED");
                assertThat(state.get("published").asLong()).isEqualTo(5);
            });
            await().atMost(Duration.ofSeconds(10)).untilAsserted(
                    () -> assertThat(alice.notificationIds()).containsExactlyElementsOf(toAlice));
            assertThat(alice.frames("notification")).allSatisfy(f -> assertThat(f.get("replay").asBoolean()).isTrue());

            // Replays are never replayed again: a second dry run over a window that includes them finds the same 5.
            HttpResponse<String> again = cluster.post("/api/v1/replays",
                    "{" + filter.replace(to.toString(), Instant.now().plusSeconds(5).toString()) + ",\"dryRun\":true}");
            assertThat(json.readTree(again.body()).get("matched").asLong()).isEqualTo(5);
            alice.close();
        }
    }

    @Test
    void aReplayNeedsTheReplayScope() throws Exception {
        try (LocalCluster cluster = new LocalCluster(1)) {
            String publishOnly = new dev.tidings.common.auth.TokenIssuer(LocalCluster.SECRET).issue("svc",
                    List.of(), List.of("notifications:publish"), Duration.ofMinutes(5));
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + cluster.publisherPort() + "/api/v1/replays"))
                    .header("Authorization", "Bearer " + publishOnly).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"from\":\"2026-01-01T00:00:00Z\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(403);
        }
    }

    private static String get(LocalCluster cluster, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + cluster.publisherPort() + path))
                .header("Authorization", "Bearer " + cluster.publishToken()).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
