package dev.tidings.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
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
import java.util.concurrent.CopyOnWriteArrayList;

import dev.tidings.common.auth.TokenIssuer;
import dev.tidings.testing.KafkaBrokerExtension;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Server-Sent Events on two real gateways and a broker: the same frames as the WebSocket, each
 * notification's event id its cursor, a resume from Last-Event-ID on the other node with nothing
 * lost, the same addressing, and a close event with the WebSocket's code at the token's end.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SseIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static LocalCluster cluster;
    final TokenIssuer issuer = new TokenIssuer(LocalCluster.SECRET);
    final HttpClient http = HttpClient.newHttpClient();
    final List<EventStream> streams = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        cluster = new LocalCluster(2, Map.of("tidings.jwt.clock-skew", 1));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @AfterEach
    void disconnect() {
        streams.forEach(EventStream::close);
    }

    @Test
    void aStreamCarriesTheFramesAsEventsWhoseIdIsTheCursorAndOnlyWhatIsAddressedToItsUser() throws Exception {
        EventStream alice = open(0, issuer.issue("alice", Set.of("Class:201901"), Set.of(), Duration.ofMinutes(5)),
                null);
        await().atMost(Duration.ofSeconds(10)).until(() -> alice.ofType("welcome").size() == 1);

        String toGroup = publish("{\"type\":\"group\",\"ids\":[\"Class:201901\"]}");
        String toBob = publish("{\"type\":\"user\",\"ids\":[\"bob\"]}");
        String toAlice = publish("{\"type\":\"user\",\"ids\":[\"alice\"]}");

        await().atMost(Duration.ofSeconds(10)).until(() -> alice.notificationIds().contains(toAlice));
        assertThat(alice.notificationIds()).containsExactlyInAnyOrder(toGroup, toAlice).doesNotContain(toBob);
        for (Event event : alice.ofType("notification")) {
            assertThat(event.id()).as("the event id is the frame's cursor").isEqualTo(event.data().get("cursor")
                    .asString());
        }
        assertThat(alice.contentType).startsWith("text/event-stream");
    }

    @Test
    void aClientResumesFromItsLastEventIdOnTheOtherNodeWithNothingLost() throws Exception {
        String token = issuer.issue("carol", Set.of(), Set.of(), Duration.ofMinutes(5));
        EventStream first = open(0, token, null);
        await().atMost(Duration.ofSeconds(10)).until(() -> first.ofType("welcome").size() == 1);
        String seen = publish("{\"type\":\"user\",\"ids\":[\"carol\"]}");
        await().atMost(Duration.ofSeconds(10)).until(() -> first.notificationIds().contains(seen));
        String lastEventId = first.ofType("notification").get(0).id();
        first.close();

        List<String> missed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            missed.add(publish("{\"type\":\"user\",\"ids\":[\"carol\"]}"));
        }
        EventStream second = open(1, token, lastEventId);

        await().atMost(Duration.ofSeconds(10)).until(() -> second.ofType("resumed").size() == 1);
        assertThat(second.notificationIds()).containsExactlyElementsOf(missed);
        assertThat(second.ofType("resumed").get(0).data().get("recovered").asBoolean()).isTrue();
    }

    @Test
    void aStreamEndsWithACloseEventCarrying1008WhenItsTokenEnds() throws Exception {
        EventStream dave = open(0, issuer.issue("dave", Set.of(), Set.of(), Duration.ofSeconds(2)), null);

        await().atMost(Duration.ofSeconds(10)).until(() -> dave.ended);
        assertThat(dave.ofType("close")).hasSize(1);
        assertThat(dave.ofType("close").get(0).data().get("code").asInt()).isEqualTo(1008);
    }

    @Test
    void aBadTokenIsRefusedWith401BeforeAnyStream() throws Exception {
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(uri(0, "not-a-token")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).isEqualTo(401);
    }

    private String publish(String target) {
        return cluster.publish(target, "sse.test", "{}").get("id").asString();
    }

    private URI uri(int node, String token) {
        return URI.create("http://127.0.0.1:" + cluster.gatewayPort(node) + "/sse?access_token=" + token);
    }

    private EventStream open(int node, String token, @Nullable String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(node, token)).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        EventStream stream = new EventStream(response);
        streams.add(stream);
        return stream;
    }

    /** One event as the stream delivered it. */
    record Event(String type, @Nullable String id, JsonNode data) {
    }

    /** Reads an event stream on a thread of its own, as a browser's EventSource would parse it. */
    static final class EventStream {

        final List<Event> events = new CopyOnWriteArrayList<>();
        final String contentType;
        final InputStream body;
        volatile boolean ended;

        EventStream(HttpResponse<InputStream> response) {
            this.contentType = response.headers().firstValue("Content-Type").orElse("");
            this.body = response.body();
            Thread reader = new Thread(this::read, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String type = "message";
                String id = null;
                StringBuilder data = new StringBuilder();
                for (String line; (line = lines.readLine()) != null;) {
                    if (line.isEmpty()) {
                        if (!data.isEmpty()) {
                            JsonNode json = JSON.readTree(data.toString());
                            String frameType = "message".equals(type) ? json.path("type").asString("") : type;
                            events.add(new Event(frameType, id, json));
                        }
                        type = "message";
                        id = null;
                        data.setLength(0);
                    }
                    else if (line.startsWith("data: ")) {
                        data.append(data.isEmpty() ? "" : "\n").append(line.substring(6));
                    }
                    else if (line.startsWith("id: ")) {
                        id = line.substring(4);
                    }
                    else if (line.startsWith("event: ")) {
                        type = line.substring(7);
                    }
                }
            }
            catch (Exception ex) {
                // closed by the test, or the connection dropped
            }
            finally {
                ended = true;
            }
        }

        List<Event> ofType(String type) {
            return events.stream().filter(e -> e.type().equals(type)).toList();
        }

        List<String> notificationIds() {
            return ofType("notification").stream().map(e -> e.data().get("id").asString()).toList();
        }

        void close() {
            try {
                body.close();
            }
            catch (Exception ex) {
                // already closed
            }
        }
    }
}
