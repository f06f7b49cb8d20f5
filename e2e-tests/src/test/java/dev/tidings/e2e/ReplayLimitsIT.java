package dev.tidings.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.tidings.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What keeps an operator replay from flooding clients, each on its own over real HTTP on a real
 * broker: an untargeted real run must say {@code all}, a real run is paced, and finished jobs are
 * pruned.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ReplayLimitsIT {

    static final int PER_SECOND = 10;
    static final int RECORDS = 30;

    static LocalCluster cluster;
    static String range;
    final JsonMapper json = JsonMapper.builder().build();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void publishSome() {
        cluster = new LocalCluster(0, Map.of(
                "tidings.publisher.replay-records-per-second", PER_SECOND,
                "tidings.publisher.replay-keep-finished", 2));
        Instant from = Instant.now().minusSeconds(1);
        for (int i = 0; i < RECORDS; i++) {
            cluster.publish("{\"type\":\"user\",\"ids\":[\"dave\"]}", "limits", "{}");
        }
        range = "\"from\":\"%s\",\"to\":\"%s\"".formatted(from, Instant.now().plusSeconds(1));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aRealReplayWithoutATargetMustSayAll() {
        // A range with nothing in it: were it accepted, it would re-publish nothing to no one.
        HttpResponse<String> untargeted = cluster.post("/api/v1/replays",
                "{\"from\":\"2001-01-01T00:00:00Z\",\"to\":\"2001-01-02T00:00:00Z\",\"dryRun\":false}");

        assertThat(untargeted.statusCode()).as(untargeted.body()).isEqualTo(422);
        assertThat(json.readTree(untargeted.body()).get("field").asString()).isEqualTo("all");
        HttpResponse<String> counted = cluster.post("/api/v1/replays", "{" + range + ",\"dryRun\":true}");
        assertThat(counted.statusCode()).as("a dry run only counts: no all needed").isEqualTo(200);
    }

    @Test
    void aRealReplayRepublishesAtTheConfiguredRecordsPerSecond() throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> real = cluster.post("/api/v1/replays", "{" + range
                + ",\"target\":{\"type\":\"user\",\"ids\":[\"dave\"]},\"dryRun\":false}");
        assertThat(real.statusCode()).as(real.body()).isEqualTo(202);
        String job = json.readTree(real.body()).get("id").asString();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(json.readTree(get("/api/v1/replays/" + job).body()).get("status").asString())
                        .isEqualTo("COMPLETED"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // 30 records, evenly spaced at 10 per second: the last leaves 2.9 s after the first.
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis((RECORDS - 1) * 1000L / PER_SECOND));
        assertThat(json.readTree(get("/api/v1/replays/" + job).body()).get("published").asLong()).isEqualTo(RECORDS);
    }

    @Test
    void onlyTheLastFinishedJobsAreKept() throws Exception {
        String dryRun = "{" + range + ",\"target\":{\"type\":\"user\",\"ids\":[\"dave\"]},\"dryRun\":true}";
        String oldest = json.readTree(cluster.post("/api/v1/replays", dryRun).body()).get("id").asString();
        for (int i = 0; i < 2; i++) {
            assertThat(cluster.post("/api/v1/replays", dryRun).statusCode()).isEqualTo(200);
        }

        assertThat(get("/api/v1/replays/" + oldest).statusCode()).as("the oldest of three finished jobs").isEqualTo(404);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.publisherPort() + path))
                .header("Authorization", "Bearer " + cluster.publishToken()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
