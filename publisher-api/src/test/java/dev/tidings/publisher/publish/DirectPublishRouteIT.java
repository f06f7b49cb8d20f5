package dev.tidings.publisher.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tidings.common.auth.Principal;
import dev.tidings.common.auth.TokenIssuer;
import dev.tidings.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The direct route answers every single publish exactly as WebFlux's controller does: each request
 * is sent once as it comes (the direct route takes it) and once with an {@code Origin} header (which
 * sends it to WebFlux), by callers of their own, and both answers must match: status, content type,
 * the problem's every member, {@code Retry-After} and {@code WWW-Authenticate}, and the
 * {@code http.server.requests} series they count in.
 */
@ExtendWith(KafkaBrokerExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DirectPublishRouteIT {

    static final String SECRET = "direct-route-it-secret-0123456789abcdef";
    static final String TOPIC = "direct-route-it-" + UUID.randomUUID();
    static final int BURST = 5;

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", KafkaBrokerExtension::bootstrapServers);
        registry.add("tidings.jwt.secret", () -> SECRET);
        registry.add("tidings.topic.name", () -> TOPIC);
        registry.add("tidings.publisher.max-payload-bytes", () -> 1024);
        registry.add("tidings.publisher.rate-limit-burst", () -> BURST);
        registry.add("tidings.publisher.rate-limit-per-second", () -> 1);
    }

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = JsonMapper.builder().build();
    final TokenIssuer issuer = new TokenIssuer(SECRET);

    static List<Arguments> requests() {
        String id = "same-id-" + UUID.randomUUID();
        return List.of(
                Arguments.of("a user notice", List.of(
                        "{\"target\":{\"type\":\"user\",\"ids\":[\"alice\"]},\"event\":\"e\",\"payload\":{\"n\":1}}")),
                Arguments.of("a notice to two users", List.of(
                        "{\"target\":{\"type\":\"user\",\"ids\":[\"alice\",\"bob\"]},\"event\":\"e\",\"payload\":{}}")),
                Arguments.of("malformed JSON", List.of("{\"target\": ")),
                Arguments.of("JSON null", List.of("null")),
                Arguments.of("a wrongly typed member", List.of(
                        "{\"target\":{\"type\":\"user\",\"ids\":\"alice\"},\"event\":\"e\",\"payload\":{}}")),
                Arguments.of("a missing event", List.of("{\"target\":{\"type\":\"broadcast\"},\"payload\":{}}")),
                Arguments.of("a payload over the limit", List.of(
                        "{\"target\":{\"type\":\"broadcast\"},\"event\":\"e\",\"payload\":{\"x\":\"" + "a".repeat(2000)
                                + "\"}}")),
                Arguments.of("more records than the burst", List.of(
                        "{\"target\":{\"type\":\"user\",\"ids\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]},\"event\":\"e\","
                                + "\"payload\":{}}")),
                Arguments.of("a caller over its rate", List.of(
                        "{\"target\":{\"type\":\"user\",\"ids\":[\"a\",\"b\",\"c\",\"d\",\"e\"]},\"event\":\"e\",\"payload\":{}}",
                        "{\"target\":{\"type\":\"user\",\"ids\":[\"a\",\"b\",\"c\"]},\"event\":\"e\",\"payload\":{}}")),
                Arguments.of("an id re-used for another notice", List.of(
                        "{\"id\":\"" + id + "\",\"target\":{\"type\":\"broadcast\"},\"event\":\"e\",\"payload\":{\"n\":1}}",
                        "{\"id\":\"" + id + "\",\"target\":{\"type\":\"broadcast\"},\"event\":\"e\",\"payload\":{\"n\":2}}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void theDirectRouteAnswersAsWebFluxDoes(String name, List<String> bodies) throws Exception {
        String direct = "direct-" + UUID.randomUUID();
        String webflux = "webflux-" + UUID.randomUUID();
        long servedBefore = directRequests();

        List<HttpResponse<String>> viaDirect = new ArrayList<>();
        List<HttpResponse<String>> viaWebFlux = new ArrayList<>();
        for (String body : bodies) {
            viaDirect.add(post(token(direct), body, Map.of()));
            viaWebFlux.add(post(token(webflux), body, Map.of("Origin", "https://app.example")));
        }

        assertThat(directRequests() - servedBefore).as("requests the direct route served").isEqualTo(bodies.size());
        for (int i = 0; i < bodies.size(); i++) {
            assertSameAnswer(viaDirect.get(i), direct, viaWebFlux.get(i), webflux);
        }
    }

    @Test
    void aRefusedTokenIsAnsweredByWebFluxWithItsProblem() throws Exception {
        long servedBefore = directRequests();
        String notice = "{\"target\":{\"type\":\"broadcast\"},\"event\":\"e\",\"payload\":{}}";
        String forged = new TokenIssuer("another-secret-0123456789abcdef-0123456789").issue("svc", Set.of(),
                Set.of(Principal.SCOPE_PUBLISH), Duration.ofMinutes(5));
        String unscoped = issuer.issue("svc", Set.of(), Set.of(), Duration.ofMinutes(5));

        HttpResponse<String> badSignature = post(forged, notice, Map.of());
        HttpResponse<String> noScope = post(unscoped, notice, Map.of());

        assertThat(badSignature.statusCode()).isEqualTo(401);
        assertThat(badSignature.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(json.readTree(badSignature.body()).get("type").asString()).endsWith("/unauthorized");
        assertThat(noScope.statusCode()).isEqualTo(403);
        assertThat(directRequests()).as("requests the direct route served").isEqualTo(servedBefore);
    }

    @Test
    void aChunkedBodyIsPublishedThroughWebFlux() throws Exception {
        long servedBefore = directRequests();
        byte[] body = "{\"target\":{\"type\":\"broadcast\"},\"event\":\"e\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + DirectPublishRoute.PATH))
                .header("Authorization", "Bearer " + token("chunked-" + UUID.randomUUID()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();

        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(directRequests()).as("requests the direct route served").isEqualTo(servedBefore);
    }

    @Test
    void pipelinedRequestsAreAnsweredInTheOrderTheyCame() throws Exception {
        String notice = "{\"target\":{\"type\":\"broadcast\"},\"event\":\"e\",\"payload\":{}}";
        String caller = token("pipelined-" + UUID.randomUUID());
        long servedBefore = directRequests();
        String requests = raw(caller, notice, "") // the direct route
                + raw(caller, "{\"target\": ", "Origin: https://app.example\r\n") // WebFlux: 400
                + raw(caller, notice, "") // the direct route, after WebFlux's answer
                + raw(caller, "{\"target\": ", "") // the direct route: 400
                + raw(caller, notice, "Origin: https://app.example\r\n"); // WebFlux, after the direct route's

        List<Integer> statuses = new ArrayList<>();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(requests.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 5; i++) {
                statuses.add(readResponse(in));
            }
        }

        assertThat(statuses).containsExactly(202, 400, 202, 400, 202);
        assertThat(directRequests() - servedBefore).as("requests the direct route served").isEqualTo(3);
    }

    @Test
    void aBodyArrivingAfterItsHeadIsReadAfterWebFluxRefusedARequestUnread() throws Exception {
        String notice = "{\"target\":{\"type\":\"broadcast\"},\"event\":\"e\",\"payload\":{}}";
        String caller = token("split-" + UUID.randomUUID());
        String direct = raw(caller, notice, "");
        int headLength = direct.length() - notice.length();

        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            // WebFlux refuses a request without a token, its body unread: Reactor Netty then reads the
            // connection only on demand.
            out.write(raw(caller, notice, "").replaceFirst("Authorization: [^\r]*\r\n", "")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readResponse(in)).isEqualTo(401);

            long takenBefore = directRequests();
            out.write(direct.substring(0, headLength).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The body only once the route took the head: it comes in a later read.
            await().atMost(Duration.ofSeconds(10)).until(() -> directRequests() - takenBefore == 1);
            out.write(notice.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readResponse(in)).isEqualTo(202);

            out.write(direct.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readResponse(in)).as("the next request on the connection").isEqualTo(202);
        }
    }

    private static String raw(String token, String body, String extraHeaders) {
        return "POST " + DirectPublishRoute.PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n" + extraHeaders + "\r\n" + body;
    }

    /** Reads one HTTP/1.1 response with a Content-Length body; returns its status. */
    private static int readResponse(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("the connection ended before an answer's head").isNotNegative();
            head.append((char) b);
        }
        Matcher length = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(head);
        assertThat(length.find()).as(head.toString()).isTrue();
        in.readNBytes(Integer.parseInt(length.group(1)));
        return Integer.parseInt(head.substring(9, 12));
    }

    @Test
    void bothRoutesCountInTheSameRequestSeries() throws Exception {
        String body = "{\"target\":{\"type\":\"broadcast\"},\"event\":\"\",\"payload\":{}}";
        Set<String> before = series(422);

        post(token("series-" + UUID.randomUUID()), body, Map.of());
        double afterDirect = count(422);
        post(token("series-" + UUID.randomUUID()), body, Map.of("Origin", "https://app.example"));
        double afterWebFlux = count(422);

        assertThat(series(422)).as("one series for the status, whichever route answered")
                .hasSize(1).containsAll(before);
        assertThat(afterWebFlux - afterDirect).isEqualTo(1.0);
    }

    private void assertSameAnswer(HttpResponse<String> direct, String directCaller, HttpResponse<String> webflux,
            String webfluxCaller) {
        assertThat(direct.statusCode()).as(direct.body()).isEqualTo(webflux.statusCode());
        assertThat(direct.headers().firstValue("Content-Type")).isEqualTo(webflux.headers().firstValue("Content-Type"));
        for (String header : List.of("Retry-After", "WWW-Authenticate")) {
            assertThat(direct.headers().firstValue(header).isPresent()).as(header)
                    .isEqualTo(webflux.headers().firstValue(header).isPresent());
        }
        JsonNode directBody = json.readTree(comparable(direct.body(), directCaller));
        JsonNode webfluxBody = json.readTree(comparable(webflux.body(), webfluxCaller));
        if (direct.statusCode() == 202) {
            assertThat(fieldNames(directBody)).isEqualTo(fieldNames(webfluxBody));
            if (directBody.has("records")) {
                assertThat(directBody.get("records")).hasSameSizeAs(webfluxBody.get("records"));
            }
        }
        else {
            ((tools.jackson.databind.node.ObjectNode) directBody).remove("retryAfterSeconds");
            ((tools.jackson.databind.node.ObjectNode) webfluxBody).remove("retryAfterSeconds");
            assertThat(directBody).isEqualTo(webfluxBody);
        }
    }

    /** The body with what differs by caller and by timing (the caller's name, the seconds to wait) taken out. */
    private static String comparable(String body, String caller) {
        return body.replace(caller, "<caller>").replaceAll("retry after \\d+ s", "retry after <n> s");
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        Iterator<String> it = node.propertyNames().iterator();
        it.forEachRemaining(names::add);
        return names;
    }

    private String token(String caller) {
        return issuer.issue(caller, Set.of(), Set.of(Principal.SCOPE_PUBLISH), Duration.ofMinutes(5));
    }

    private HttpResponse<String> post(String token, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + DirectPublishRoute.PATH))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String scrape() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private long directRequests() throws Exception {
        Matcher m = Pattern.compile("(?m)^tidings_publisher_direct_requests_total(?:\\{[^}]*})? (\\S+)$").matcher(scrape());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    private Set<String> series(int status) throws Exception {
        Set<String> found = new TreeSet<>();
        Matcher m = requestCounts(status);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private double count(int status) throws Exception {
        double total = 0;
        Matcher m = requestCounts(status);
        while (m.find()) {
            total += Double.parseDouble(m.group(2));
        }
        return total;
    }

    private Matcher requestCounts(int status) throws Exception {
        return Pattern.compile("(?m)^http_server_requests_seconds_count\\{([^}]*status=\"" + status
                + "\"[^}]*uri=\"/api/v1/notifications\"[^}]*)} (\\S+)$").matcher(scrape());
    }
}
