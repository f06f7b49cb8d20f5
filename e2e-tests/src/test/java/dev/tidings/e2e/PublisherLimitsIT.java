package dev.tidings.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.tidings.common.auth.Principal;
import dev.tidings.common.auth.TokenIssuer;
import dev.tidings.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The publisher's limits, each exceeded over real HTTP against a real broker: request body
 * (declared and chunked), payload, batch size, and the per-caller rate limit. Each answers its
 * status as {@code application/problem+json}, and writes nothing.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PublisherLimitsIT {

    static final int MAX_BODY = 4096;
    static final int MAX_PAYLOAD = 1024;
    static final int MAX_BATCH = 3;
    static final int BURST = 3;

    static LocalCluster cluster;
    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = JsonMapper.builder().build();
    final TokenIssuer issuer = new TokenIssuer(LocalCluster.SECRET);

    @BeforeAll
    static void startPublisher() {
        cluster = new LocalCluster(0, Map.of(
                "tidings.publisher.max-body-bytes", MAX_BODY,
                "tidings.publisher.max-payload-bytes", MAX_PAYLOAD,
                "tidings.publisher.max-batch-size", MAX_BATCH,
                "tidings.publisher.rate-limit-per-second", 1,
                "tidings.publisher.rate-limit-burst", BURST));
    }

    @AfterAll
    static void stopPublisher() {
        cluster.close();
    }

    @Test
    void aBodyWhoseDeclaredLengthIsOverTheLimitIsA413() throws Exception {
        String body = notice("{\"blob\":\"" + "x".repeat(MAX_BODY) + "\"}");

        HttpResponse<String> response = http.send(request("/api/v1/notifications", token("declared"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertProblem(response, 413);
        assertThat(json.readTree(response.body()).get("detail").asString()).contains("tidings.publisher.max-body-bytes");
    }

    @Test
    void aChunkedBodyThatGrowsOverTheLimitWhileReadIsA413() throws Exception {
        byte[] body = notice("{\"blob\":\"" + "x".repeat(MAX_BODY * 4) + "\"}").getBytes(StandardCharsets.UTF_8);

        // No length up front: the JDK client sends Transfer-Encoding: chunked.
        HttpResponse<String> response = http.send(request("/api/v1/notifications", token("chunked"))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertProblem(response, 413);
        assertThat(json.readTree(response.body()).get("detail").asString()).contains("tidings.publisher.max-body-bytes");
    }

    @Test
    void aChunkedBodyUnderTheLimitIsAccepted() throws Exception {
        byte[] body = notice("{\"n\":1}").getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = http.send(request("/api/v1/notifications", token("chunked-small"))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    @Test
    void aPayloadOverItsLimitInABodyUnderItsLimitIsA413() throws Exception {
        String body = notice("{\"blob\":\"" + "x".repeat(MAX_PAYLOAD) + "\"}");

        HttpResponse<String> response = http.send(request("/api/v1/notifications", token("payload"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertProblem(response, 413);
        assertThat(json.readTree(response.body()).get("detail").asString())
                .contains("tidings.publisher.max-payload-bytes");
    }

    @Test
    void aBatchOverItsSizeLimitIsA413AndWritesNothing() throws Exception {
        List<String> items = new ArrayList<>();
        for (int i = 0; i <= MAX_BATCH; i++) {
            items.add(notice("{\"n\":" + i + "}"));
        }

        HttpResponse<String> response = http.send(request("/api/v1/notifications:batch", token("batch"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"notifications\":[" + String.join(",", items) + "]}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertProblem(response, 413);
        assertThat(json.readTree(response.body()).get("detail").asString())
                .contains("tidings.publisher.max-batch-size");
    }

    @Test
    void aCallerOverItsRateLimitGets429WithRetryAfterWhileOtherCallersDoNot() throws Exception {
        String flooder = token("flooder");
        for (int i = 0; i < BURST; i++) {
            assertThat(publish(flooder).statusCode()).as("request %d of the burst", i + 1).isEqualTo(202);
        }

        HttpResponse<String> refused = publish(flooder);

        assertProblem(refused, 429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 2));
        assertThat(json.readTree(refused.body()).get("detail").asString())
                .contains("1 records per second", "tidings.publisher.rate-limit-per-second");
        assertThat(publish(token("bystander")).statusCode()).as("another caller").isEqualTo(202);
        // The bucket refills at 1/s: the flooder is served again once it waits as told.
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250))
                .until(() -> publish(flooder).statusCode() == 202);
        assertThat(Scrape.metric(cluster.publisherPort(), "tidings_publisher_rate_limited_total")).isPositive();
    }

    @Test
    void theRateLimitCountsTheRecordsARequestWritesNotTheRequest() throws Exception {
        String batcher = token("batcher");
        String batch = "{\"notifications\":[" + notice("{}") + "," + notice("{}") + "," + notice("{}") + "]}";

        HttpResponse<String> three = http.send(request("/api/v1/notifications:batch", batcher)
                .POST(HttpRequest.BodyPublishers.ofString(batch)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> fourth = publish(batcher);
        HttpResponse<String> toFourUsers = http.send(request("/api/v1/notifications", token("fan-out"))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"target\":{\"type\":\"user\",\"ids\":[\"a\",\"b\",\"c\",\"d\"]},\"event\":\"e\",\"payload\":{}}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(three.statusCode()).as(three.body()).isEqualTo(200);
        assertProblem(fourth, 429);
        assertProblem(toFourUsers, 413);
        assertThat(json.readTree(toFourUsers.body()).get("detail").asString())
                .contains("4 records", "tidings.publisher.rate-limit-burst");
    }

    @Test
    void aRequestWithoutAValidTokenCostsNoOnesBudget() throws Exception {
        for (int i = 0; i < BURST * 3; i++) {
            assertThat(publish("not-a-token").statusCode()).isEqualTo(401);
        }

        assertThat(publish(token("unharmed")).statusCode()).isEqualTo(202);
    }

    private HttpResponse<String> publish(String token) throws Exception {
        return http.send(request("/api/v1/notifications", token)
                .POST(HttpRequest.BodyPublishers.ofString(notice("{}"))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, String token) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.publisherPort() + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json");
    }

    private String token(String caller) {
        return issuer.issue(caller, Set.of(), Set.of(Principal.SCOPE_PUBLISH), Duration.ofMinutes(10));
    }

    private static String notice(String payload) {
        return "{\"target\":{\"type\":\"broadcast\"},\"event\":\"limits\",\"payload\":" + payload + "}";
    }

    private void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
    }
}
