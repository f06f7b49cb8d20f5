package dev.tidings.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.tidings.common.auth.Principal;
import dev.tidings.common.auth.TokenIssuer;
import dev.tidings.schema.Notification;
import dev.tidings.schema.NotificationDeserializer;
import dev.tidings.schema.TargetType;
import dev.tidings.testing.KafkaBrokerExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@ExtendWith(KafkaBrokerExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PublisherApiIT {

    static final String SECRET = "publisher-api-it-secret-0123456789abcdef";
    static final String TOPIC = "publisher-it-" + UUID.randomUUID();

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", KafkaBrokerExtension::bootstrapServers);
        registry.add("tidings.jwt.secret", () -> SECRET);
        registry.add("tidings.topic.name", () -> TOPIC);
        registry.add("tidings.publisher.max-payload-bytes", () -> 1024);
    }

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = JsonMapper.builder().build();
    final TokenIssuer issuer = new TokenIssuer(SECRET);
    final String publishToken = issuer.issue("grades-service", Set.of(), Set.of(Principal.SCOPE_PUBLISH),
            Duration.ofMinutes(5));

    @Test
    void acceptsAGroupNoticeOnlyAfterKafkaWroteIt() throws Exception {
        HttpResponse<String> response = post(publishToken, """
                {"target":{"type":"group","ids":["Class:201901"]},"event":"grade.published",
                 "payload":{"course":"math","grade":"A"},"ttlSeconds":60}""");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode body = json.readTree(response.body());
        String id = body.get("id").asString();
        int partition = body.get("partition").asInt();
        long offset = body.get("offset").asLong();

        ConsumerRecord<String, Notification> record = read(partition, offset);
        assertThat(record.key()).isEqualTo("group:Class:201901");
        Notification written = record.value();
        assertThat(written.getId()).isEqualTo(id);
        assertThat(written.getEvent()).isEqualTo("grade.published");
        assertThat(written.getTarget().getType()).isEqualTo(TargetType.GROUP);
        assertThat(written.getTarget().getIds()).containsExactly("Class:201901");
        assertThat(json.readTree(written.getPayload())).isEqualTo(json.readTree("{\"course\":\"math\",\"grade\":\"A\"}"));
        assertThat(written.getSource()).isEqualTo("grades-service");
        assertThat(written.getExpiresAt()).isAfter(written.getPublishedAt());
    }

    @Test
    void writesOneRecordPerUserKeyedByItsRoutingKey() throws Exception {
        HttpResponse<String> response = post(publishToken, """
                {"target":{"type":"user","ids":["alice","bob"]},"event":"dm","payload":{}}""");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode records = json.readTree(response.body()).get("records");
        assertThat(records).hasSize(2);
        List<String> keys = new ArrayList<>();
        for (JsonNode r : records) {
            keys.add(read(r.get("partition").asInt(), r.get("offset").asLong()).key());
        }
        assertThat(keys).containsExactly("user:alice", "user:bob");
    }

    @Test
    void rePostingTheSameIdReturnsTheFirstResultAndWritesNothingNew() throws Exception {
        String body = """
                {"id":"idem-%s","target":{"type":"broadcast"},"event":"e","payload":{"n":1}}"""
                .formatted(UUID.randomUUID());

        HttpResponse<String> first = post(publishToken, body);
        HttpResponse<String> second = post(publishToken, body);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(json.readTree(second.body())).isEqualTo(json.readTree(first.body()));
        JsonNode firstBody = json.readTree(first.body());
        long written = countRecordsAfter(firstBody.get("partition").asInt(), firstBody.get("offset").asLong(),
                firstBody.get("id").asString());
        assertThat(written).as("records with the same id after the first").isZero();
    }

    @Test
    void malformedJsonIsA400Problem() throws Exception {
        HttpResponse<String> response = post(publishToken, "{\"target\": ");

        assertProblem(response, 400);
    }

    @Test
    void aMissingEventIsA422NamingTheField() throws Exception {
        HttpResponse<String> response = post(publishToken, """
                {"target":{"type":"broadcast"},"payload":{}}""");

        assertProblem(response, 422);
        assertThat(json.readTree(response.body()).get("field").asString()).isEqualTo("event");
    }

    @Test
    void anUnknownTargetTypeIsA422NamingTheField() throws Exception {
        HttpResponse<String> response = post(publishToken, """
                {"target":{"type":"room","ids":["x"]},"event":"e","payload":{}}""");

        assertProblem(response, 422);
        assertThat(json.readTree(response.body()).get("field").asString()).isEqualTo("target.type");
    }

    @Test
    void aWronglyTypedMemberIsA422NamingTheField() throws Exception {
        HttpResponse<String> response = post(publishToken, """
                {"target":{"type":"user","ids":"alice"},"event":"e","payload":{}}""");

        assertProblem(response, 422);
        assertThat(json.readTree(response.body()).get("field").asString()).isEqualTo("target.ids");
    }

    @Test
    void aPayloadThatIsNotAnObjectIsA422() throws Exception {
        HttpResponse<String> response = post(publishToken, """
                {"target":{"type":"broadcast"},"event":"e","payload":[1,2]}""");

        assertProblem(response, 422);
        assertThat(json.readTree(response.body()).get("field").asString()).isEqualTo("payload");
    }

    @Test
    void anOversizedPayloadIsA413() throws Exception {
        HttpResponse<String> response = post(publishToken, """
                {"target":{"type":"broadcast"},"event":"e","payload":{"blob":"%s"}}""".formatted("x".repeat(2000)));

        assertProblem(response, 413);
    }

    @Test
    void aMissingTokenIsA401() throws Exception {
        HttpResponse<String> response = post(null, "{}");

        assertProblem(response, 401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }

    @Test
    void aTokenSignedWithAnotherKeyIsA401() throws Exception {
        String forged = new TokenIssuer("some-other-secret-0123456789abcdef-xyz")
                .issue("mallory", Set.of(), Set.of(Principal.SCOPE_PUBLISH), Duration.ofMinutes(5));

        assertProblem(post(forged, "{}"), 401);
    }

    @Test
    void aTokenWithoutThePublishScopeIsA403() throws Exception {
        String token = issuer.issue("alice", Set.of(), Set.of("profile"), Duration.ofMinutes(5));

        assertProblem(post(token, """
                {"target":{"type":"broadcast"},"event":"e","payload":{}}"""), 403);
    }

    @Test
    void aNonJsonContentTypeIsA415() throws Exception {
        assertProblem(send("POST", "text/plain", "hello"), 415);
    }

    @Test
    void aMethodTheApiDoesNotServeIsA405Problem() throws Exception {
        assertProblem(send("PUT", "application/json", "{}"), 405);
    }

    @Test
    void aCrossOriginPreflightIsAnsweredWithoutReachingTheApiAndWithoutAllowingAnOriginNotConfigured()
            throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/api/v1/notifications"))
                .header("Origin", "https://elsewhere.example")
                .header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isLessThan(300);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void aBatchGetsOneResultOrProblemPerItem() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/api/v1/notifications:batch"))
                .header("Authorization", "Bearer " + publishToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"notifications":[
                          {"target":{"type":"user","ids":["alice"]},"event":"e","payload":{}},
                          {"target":{"type":"user","ids":["bob"]},"payload":{}}]}""")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode results = json.readTree(response.body()).get("results");
        assertThat(results.get(0).has("offset")).as(results.toString()).isTrue();
        assertThat(results.get(1).get("status").asInt()).isEqualTo(422);
        assertThat(results.get(1).get("field").asString()).isEqualTo("notifications[1].event");
    }

    @Test
    void healthAndPrometheusNeedNoToken() throws Exception {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri("/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> prometheus = http.send(HttpRequest.newBuilder(uri("/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("tidings_publisher_publish");
    }

    private void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(json.readTree(response.body()).get("status").asInt()).isEqualTo(status);
    }

    private HttpResponse<String> send(String method, String contentType, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/api/v1/notifications"))
                .header("Authorization", "Bearer " + publishToken)
                .header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/api/v1/notifications"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private KafkaConsumer<String, Notification> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerExtension.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new NotificationDeserializer());
    }

    private ConsumerRecord<String, Notification> read(int partition, long offset) {
        try (KafkaConsumer<String, Notification> consumer = consumer()) {
            TopicPartition tp = new TopicPartition(TOPIC, partition);
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            List<ConsumerRecord<String, Notification>> found = new ArrayList<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).records(tp).forEach(found::add);
                return !found.isEmpty();
            });
            return found.get(0);
        }
    }

    private long countRecordsAfter(int partition, long offset, String id) {
        try (KafkaConsumer<String, Notification> consumer = consumer()) {
            TopicPartition tp = new TopicPartition(TOPIC, partition);
            consumer.assign(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            consumer.seek(tp, offset + 1);
            long count = 0;
            while (consumer.position(tp) < end) {
                for (var r : consumer.poll(Duration.ofMillis(200)).records(tp)) {
                    if (r.value().getId().equals(id)) {
                        count++;
                    }
                }
            }
            return count;
        }
    }
}
