package dev.tidings.publisher.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.tidings.common.auth.Principal;
import dev.tidings.common.auth.TokenIssuer;
import dev.tidings.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document and Swagger UI are served without a token, describe every endpoint with
 * its scope, and carry examples that are true: every request example is accepted by the running
 * service, and every problem example the service can be made to produce here matches the live
 * problem member for member.
 */
@ExtendWith(KafkaBrokerExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiDocumentIT {

    static final String SECRET = "openapi-document-it-secret-0123456789abcdef";
    static final String TOPIC = "openapi-it-" + UUID.randomUUID();
    static final String PUBLISH = "/api/v1/notifications";
    static final int MAX_BODY_BYTES = 100_000;

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", KafkaBrokerExtension::bootstrapServers);
        registry.add("tidings.jwt.secret", () -> SECRET);
        registry.add("tidings.topic.name", () -> TOPIC);
        // Small limits, so that the live 413 and 429 are cheap to provoke; each test publishes as its own caller.
        registry.add("tidings.publisher.max-body-bytes", () -> MAX_BODY_BYTES);
        registry.add("tidings.publisher.rate-limit-per-second", () -> 1);
        registry.add("tidings.publisher.rate-limit-burst", () -> 5);
    }

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    final JsonMapper json = JsonMapper.builder().build();
    final TokenIssuer issuer = new TokenIssuer(SECRET);
    final String replayToken = issuer.issue("operator", Set.of(), Set.of(Principal.SCOPE_REPLAY),
            Duration.ofMinutes(5));

    JsonNode document;

    /** A publish token for a caller of its own, so that no test spends another's rate-limit budget. */
    String publishToken() {
        return issuer.issue("openapi-it-" + UUID.randomUUID(), Set.of(), Set.of(Principal.SCOPE_PUBLISH),
                Duration.ofMinutes(5));
    }

    @BeforeEach
    void fetchDocument() throws Exception {
        HttpResponse<String> response = get("/v3/api-docs");
        assertThat(response.statusCode()).as("GET /v3/api-docs without a token: %s", response.body()).isEqualTo(200);
        document = json.readTree(response.body());
    }

    @Test
    void describesTheApiWithoutNeedingAToken() {
        assertThat(document.get("openapi").asString()).startsWith("3.");
        assertThat(document.at("/info/title").asString()).isEqualTo("Tidings publisher API");
        assertThat(document.at("/info/description").asString()).contains("notifications:publish")
                .contains("notifications:replay");
        assertThat(document.at("/info/version").asString()).isNotBlank();
    }

    @Test
    void documentsEveryEndpointWithTheScopeItNeeds() {
        assertThat(scopes("/api/v1/notifications", "post")).containsExactly(Principal.SCOPE_PUBLISH);
        assertThat(scopes("/api/v1/notifications:batch", "post")).containsExactly(Principal.SCOPE_PUBLISH);
        assertThat(scopes("/api/v1/replays", "post")).containsExactly(Principal.SCOPE_REPLAY);
        assertThat(scopes("/api/v1/replays/{id}", "get")).containsExactly(Principal.SCOPE_REPLAY);
        assertThat(scopes("/api/v1/replays/{id}", "delete")).containsExactly(Principal.SCOPE_REPLAY);
        assertThat(fieldNames(document.get("paths"))).as("documented paths").allMatch(p -> p.startsWith("/api/v1/"));
    }

    @Test
    void definesTheBearerJwtScheme() {
        JsonNode scheme = document.at("/components/securitySchemes/bearerAuth");
        assertThat(scheme.get("type").asString()).isEqualTo("http");
        assertThat(scheme.get("scheme").asString()).isEqualTo("bearer");
        assertThat(scheme.get("bearerFormat").asString()).isEqualTo("JWT");
        assertThat(scheme.get("description").asString()).contains("notifications:publish", "notifications:replay");
    }

    @Test
    void givesARequestExampleForEveryTargetType() {
        JsonNode examples = operation(PUBLISH, "post").at("/requestBody/content/application~1json/examples");
        List<String> types = new ArrayList<>();
        for (JsonNode example : examples) {
            types.add(example.at("/value/target/type").asString());
        }
        assertThat(types).containsExactlyInAnyOrder("broadcast", "user", "group");
        assertThat(operation("/api/v1/notifications:batch", "post")
                .at("/requestBody/content/application~1json/examples").size()).isPositive();
        assertThat(operation("/api/v1/replays", "post")
                .at("/requestBody/content/application~1json/examples").size()).isPositive();
    }

    @Test
    void documentsEveryErrorStatusAsAProblemWithAnExample() {
        for (String status : List.of("400", "401", "403", "413", "415", "422", "429", "503")) {
            JsonNode examples = problemExamples(PUBLISH, "post", status);
            assertThat(examples.size()).as("problem examples of %s on publish", status).isPositive();
            for (JsonNode example : examples) {
                assertThat(example.at("/value/status").asInt()).as("status member of a %s example", status)
                        .isEqualTo(Integer.parseInt(status));
            }
        }
        for (JsonNode example : problemExamples(PUBLISH, "post", "422")) {
            assertThat(example.at("/value/field").asString()).as("422 examples name the field").isNotBlank();
        }
        for (String status : List.of("429", "503")) {
            assertThat(resolveHeader(operation(PUBLISH, "post").at("/responses/" + status + "/headers/Retry-After")))
                    .as("Retry-After header of %s", status).isNotNull();
        }
        assertThat(problemExamples("/api/v1/notifications:batch", "post", "413").size()).isPositive();
        assertThat(problemExamples("/api/v1/replays", "post", "422").size()).isPositive();
        assertThat(operation("/api/v1/notifications:batch", "post")
                .at("/responses/200/content/application~1json/examples").size()).isPositive();
    }

    @Test
    void everyRequestExampleIsAcceptedByTheService() throws Exception {
        // Each example as its own caller: the rate limit (burst 5) counts records.
        for (JsonNode example : operation(PUBLISH, "post").at("/requestBody/content/application~1json/examples")) {
            HttpResponse<String> response = post(PUBLISH, publishToken(), "application/json",
                    example.get("value").toString());
            assertThat(response.statusCode()).as("%s -> %s", example.get("value"), response.body()).isEqualTo(202);
        }
        for (JsonNode example : operation("/api/v1/notifications:batch", "post")
                .at("/requestBody/content/application~1json/examples")) {
            HttpResponse<String> response = post("/api/v1/notifications:batch", publishToken(), "application/json",
                    example.get("value").toString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            for (JsonNode result : json.readTree(response.body()).get("results")) {
                assertThat(result.has("id")).as("batch item result %s", result).isTrue();
            }
        }
        JsonNode dryRun = operation("/api/v1/replays", "post")
                .at("/requestBody/content/application~1json/examples/dry run/value");
        HttpResponse<String> replay = post("/api/v1/replays", replayToken, "application/json", dryRun.toString());
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        assertThat(json.readTree(replay.body()).get("status").asString()).isEqualTo("COMPLETED");
    }

    @Test
    void documentedProblemsAreTheOnesTheServiceSends() throws Exception {
        String publishToken = publishToken();
        String valid = "{\"target\":{\"type\":\"broadcast\"},\"event\":\"e\",\"payload\":{}}";
        String tooLarge = "{\"target\":{\"type\":\"broadcast\"},\"event\":\"e\",\"payload\":{\"x\":\""
                + "a".repeat(65536 + 1 - "{\"x\":\"\"}".length()) + "\"}}";

        assertSameProblem("400", "malformed", post(PUBLISH, publishToken, "application/json", "{\"target\": "),
                "type", "title", "status", "detail", "instance");
        assertSameProblem("401", "no token", post(PUBLISH, null, "application/json", valid),
                "type", "title", "status", "detail", "instance");
        assertSameProblem("403", "missing scope", post(PUBLISH, replayToken, "application/json", valid),
                "type", "title", "status", "detail", "instance");
        assertSameProblem("413", "payload too large", post(PUBLISH, publishToken, "application/json", tooLarge),
                "type", "title", "status", "detail", "instance");
        String bodyTooLarge = "{\"target\":{\"type\":\"broadcast\"},\"event\":\"e\",\"payload\":{\"x\":\""
                + "a".repeat(MAX_BODY_BYTES + 1 - 62) + "\"}}";
        assertThat(bodyTooLarge.length()).isEqualTo(MAX_BODY_BYTES + 1);
        assertSameProblem("413", "body too large", post(PUBLISH, publishToken, "application/json", bodyTooLarge),
                "type", "title", "status", "detail", "instance");
        assertSameProblem("415", "text body", post(PUBLISH, publishToken, "text/plain;charset=UTF-8", valid),
                "type", "title", "status", "detail", "instance");
        assertSameProblem("422", "missing event", post(PUBLISH, publishToken, "application/json",
                "{\"target\":{\"type\":\"broadcast\"},\"payload\":{}}"),
                "type", "title", "status", "detail", "instance", "field");
        String id = "doc-" + java.util.UUID.randomUUID();
        assertThat(post(PUBLISH, publishToken, "application/json", "{\"id\":\"" + id
                + "\",\"target\":{\"type\":\"broadcast\"},\"event\":\"e\",\"payload\":{}}").statusCode()).isEqualTo(202);
        assertSameProblem("409", "idempotency conflict", post(PUBLISH, publishToken, "application/json", "{\"id\":\""
                + id + "\",\"target\":{\"type\":\"broadcast\"},\"event\":\"e\",\"payload\":{\"n\":2}}"),
                "type", "title", "status", "instance");
    }

    @Test
    void documentedRateLimitProblemIsTheOneTheServiceSends() throws Exception {
        String caller = publishToken();
        String broadcast = "{\"target\":{\"type\":\"broadcast\"},\"event\":\"e\",\"payload\":{}}"; // one record each
        HttpResponse<String> limited = null;
        for (int i = 0; i < 20 && limited == null; i++) {
            HttpResponse<String> response = post(PUBLISH, caller, "application/json", broadcast);
            if (response.statusCode() == 429) {
                limited = response;
            }
        }
        assertThat(limited).as("a 429 within 20 quick requests (burst 5, 1/s)").isNotNull();
        assertSameProblem("429", "rate limited", limited, "type", "title", "status", "instance");
        JsonNode body = json.readTree(limited.body());
        assertThat(limited.headers().firstValue("Retry-After")).as("Retry-After header")
                .hasValue(String.valueOf(body.get("retryAfterSeconds").asLong()));
    }

    @Test
    void servesSwaggerUi() throws Exception {
        HttpResponse<String> page = get("/swagger-ui.html");
        assertThat(page.statusCode()).as("GET /swagger-ui.html (redirects to the UI)").isEqualTo(200);
        assertThat(page.uri().getPath()).isEqualTo("/swagger-ui/index.html");
        assertThat(page.body()).contains("swagger-ui");
        HttpResponse<String> config = get("/v3/api-docs/swagger-config");
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).contains("/v3/api-docs");
    }

    private void assertSameProblem(String status, String exampleName, HttpResponse<String> live, String... members) {
        JsonNode documented = problemExamples(PUBLISH, "post", status).get(exampleName).get("value");
        assertThat(live.statusCode()).as(live.body()).isEqualTo(Integer.parseInt(status));
        assertThat(live.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode body = json.readTree(live.body());
        for (String member : members) {
            assertThat(body.get(member)).as("member %s of the live %s problem %s (documented: %s)", member, status,
                    body, documented).isEqualTo(documented.get(member));
        }
    }

    private JsonNode operation(String path, String method) {
        JsonNode operation = document.get("paths").get(path);
        assertThat(operation).as("path %s documented", path).isNotNull();
        assertThat(operation.get(method)).as("%s %s documented", method, path).isNotNull();
        return operation.get(method);
    }

    private JsonNode problemExamples(String path, String method, String status) {
        JsonNode content = operation(path, method).at("/responses/" + status + "/content");
        assertThat(fieldNames(content)).as("content types of %s on %s", status, path)
                .containsExactly("application/problem+json");
        return content.at("/application~1problem+json/examples");
    }

    private List<String> scopes(String path, String method) {
        List<String> scopes = new ArrayList<>();
        for (JsonNode requirement : operation(path, method).get("security")) {
            requirement.get("bearerAuth").forEach(scope -> scopes.add(scope.asString()));
        }
        return scopes;
    }

    private JsonNode resolveHeader(JsonNode header) {
        if (header.isMissingNode()) {
            return null;
        }
        if (header.has("$ref")) {
            String name = header.get("$ref").asString().substring("#/components/headers/".length());
            JsonNode resolved = document.at("/components/headers/" + name);
            return resolved.isMissingNode() ? null : resolved;
        }
        return header;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String token, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
