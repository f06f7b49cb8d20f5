package dev.tidings.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.tidings.testing.KafkaBrokerExtension;
import dev.tidings.testing.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/** Two gateway nodes and the publisher on one broker: who receives what, wherever connected. */
@ExtendWith(KafkaBrokerExtension.class)
class FanOutAcrossNodesIT {

    private static final String LATENCY_COUNT = "tidings_gateway_latency_seconds_count";

    static LocalCluster cluster;
    final List<WsTestClient> clients = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        cluster = new LocalCluster(2);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @AfterEach
    void disconnect() {
        clients.forEach(WsTestClient::close);
    }

    WsTestClient connect(String name, int node, String user, String... groups) {
        WsTestClient client = WsTestClient.connect(name, cluster.gatewayPort(node), cluster.token(user, groups));
        clients.add(client);
        await().atMost(Duration.ofSeconds(10)).until(() -> !client.frames("welcome").isEmpty());
        return client;
    }

    @Test
    void welcomesEachClientWithItsNodeAndACursor() {
        WsTestClient alice = connect("alice@gw1", 0, "alice");

        JsonNode welcome = alice.frames("welcome").get(0);
        assertThat(welcome.get("node").asString()).isEqualTo(cluster.nodeId(0));
        assertThat(welcome.get("cursor").asString()).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void aBroadcastReachesEveryClientOnBothNodes() {
        List<WsTestClient> everyone = List.of(connect("alice@gw1", 0, "alice"), connect("bob@gw2", 1, "bob"),
                connect("carol@gw1", 0, "carol", "Class:201901"), connect("dave@gw2", 1, "dave"));

        String id = cluster.publish("{\"type\":\"broadcast\"}", "maintenance", "{\"at\":\"22:00\"}").get("id").asString();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (WsTestClient client : everyone) {
                assertThat(client.notificationIds()).as(client.name()).containsExactly(id);
            }
        });
        JsonNode frame = everyone.get(1).frames("notification").get(0);
        assertThat(frame.get("event").asString()).isEqualTo("maintenance");
        assertThat(frame.get("payload").get("at").asString()).isEqualTo("22:00");
        assertThat(frame.get("target").get("type").asString()).isEqualTo("broadcast");
        assertThat(frame.get("publishedAt").asString()).endsWith("Z");
        assertThat(frame.get("cursor").asString()).isNotBlank();
    }

    @Test
    void aUserNoticeReachesEachOfThatUsersSessionsOnEveryNodeAndNoOneElse() {
        WsTestClient aliceOn1 = connect("alice@gw1", 0, "alice");
        WsTestClient aliceOn2 = connect("alice@gw2", 1, "alice");
        WsTestClient bobOn1 = connect("bob@gw1", 0, "bob");
        WsTestClient bobOn2 = connect("bob@gw2", 1, "bob");

        String id = cluster.publish("{\"type\":\"user\",\"ids\":[\"alice\"]}", "dm", "{\"text\":\"hi\"}")
                .get("id").asString();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(aliceOn1.notificationIds()).containsExactly(id);
            assertThat(aliceOn2.notificationIds()).containsExactly(id);
        });
        assertNothingButFenceArrives(List.of(bobOn1, bobOn2));
    }

    @Test
    void aGroupNoticeReachesMembersOnBothNodesAndNeverANonMember() {
        WsTestClient carolOn1 = connect("carol@gw1", 0, "carol", "Class:201901");
        WsTestClient erinOn2 = connect("erin@gw2", 1, "erin", "Class:201902", "Class:201901");
        WsTestClient frankOn1 = connect("frank@gw1", 0, "frank", "Class:201902");
        WsTestClient bobOn2 = connect("bob@gw2", 1, "bob");

        String id = cluster.publish("{\"type\":\"group\",\"ids\":[\"Class:201901\"]}", "grade.published",
                "{\"course\":\"math\"}").get("id").asString();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(carolOn1.notificationIds()).containsExactly(id);
            assertThat(erinOn2.notificationIds()).containsExactly(id);
        });
        assertNothingButFenceArrives(List.of(frankOn1, bobOn2));
    }

    @Test
    void noticesToOneTargetArriveInPublishOrderOnEveryNode() {
        WsTestClient aliceOn1 = connect("alice@gw1", 0, "alice", "Class:201901");
        WsTestClient aliceOn2 = connect("alice@gw2", 1, "alice", "Class:201901");
        List<String> published = new ArrayList<>();

        for (int i = 0; i < 40; i++) {
            String target = i % 2 == 0 ? "{\"type\":\"user\",\"ids\":[\"alice\"]}"
                    : "{\"type\":\"group\",\"ids\":[\"Class:201901\"]}";
            published.add(cluster.publish(target, "seq", "{\"n\":" + i + "}").get("id").asString());
        }

        List<String> toUser = new ArrayList<>();
        List<String> toGroup = new ArrayList<>();
        for (int i = 0; i < published.size(); i++) {
            (i % 2 == 0 ? toUser : toGroup).add(published.get(i));
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            for (WsTestClient client : List.of(aliceOn1, aliceOn2)) {
                List<String> received = client.notificationIds();
                assertThat(received).as(client.name()).hasSize(published.size());
                assertThat(received.stream().filter(toUser::contains).toList()).as(client.name() + " user order")
                        .containsExactlyElementsOf(toUser);
                assertThat(received.stream().filter(toGroup::contains).toList()).as(client.name() + " group order")
                        .containsExactlyElementsOf(toGroup);
            }
        });
    }

    @Test
    void aBadTokenNeverOpensASession() {
        String forged = new dev.tidings.common.auth.TokenIssuer("not-the-cluster-secret-0123456789abcdef")
                .issue("mallory", List.of("Class:201901"), List.of(), Duration.ofMinutes(5));

        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
                () -> WsTestClient.connect("mallory", cluster.gatewayPort(0), forged));

        assertThat(failure).isInstanceOf(WsTestClient.HandshakeFailedException.class).hasMessageContaining("[401]");
    }

    @Test
    void aClientFrameCannotSubscribeToAnotherGroupOrUser() {
        WsTestClient bob = connect("bob@gw1", 0, "bob");

        bob.send("{\"type\":\"subscribe\",\"group\":\"Class:201901\"}");
        bob.send("{\"type\":\"join\",\"user\":\"alice\"}");
        await().atMost(Duration.ofSeconds(5)).until(() -> bob.frames("error").size() == 2);
        cluster.publish("{\"type\":\"group\",\"ids\":[\"Class:201901\"]}", "secret", "{}");
        cluster.publish("{\"type\":\"user\",\"ids\":[\"alice\"]}", "secret", "{}");

        assertNothingButFenceArrives(List.of(bob));
    }

    @Test
    void answersPingWithPongAndMalformedFramesWithAnErrorFrame() {
        WsTestClient alice = connect("alice@gw2", 1, "alice");

        alice.send("{\"type\":\"ping\"}");
        alice.send("this is not json");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(alice.frames("pong")).hasSize(1);
            assertThat(alice.frames("error")).hasSize(1);
        });
        assertThat(alice.closeCode()).isNotDone();
    }

    @Test
    void everyNodeTimesEachRecordFromItsKafkaTimestampToRoutedAndToWritten() {
        List<WsTestClient> everyone = List.of(connect("alice@gw1", 0, "alice"), connect("bob@gw2", 1, "bob"));
        double[] routedBefore = new double[2];
        double[] writtenBefore = new double[2];
        for (int node = 0; node < 2; node++) {
            routedBefore[node] = Scrape.series(cluster.gatewayPort(node), LATENCY_COUNT, "stage", "routed");
            writtenBefore[node] = Scrape.series(cluster.gatewayPort(node), LATENCY_COUNT, "stage", "written");
        }

        String id = cluster.publish("{\"type\":\"broadcast\"}", "timed", "{}").get("id").asString();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> everyone.forEach(
                client -> assertThat(client.notificationIds()).as(client.name()).contains(id)));

        for (int node = 0; node < 2; node++) {
            int port = cluster.gatewayPort(node);
            double writtenAtStart = writtenBefore[node]; // effectively final, for the lambda below
            assertThat(Scrape.series(port, LATENCY_COUNT, "stage", "routed") - routedBefore[node])
                    .as("routed, node %d", node).isGreaterThanOrEqualTo(1);
            // The loop records "written" right after its writes, a moment before or after the client reads.
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                    Scrape.series(port, LATENCY_COUNT, "stage", "written") - writtenAtStart).isGreaterThanOrEqualTo(1));
            assertThat(Scrape.series(port, "tidings_gateway_latency_seconds_bucket", "le", "+Inf"))
                    .as("published as a histogram").isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void theDemoPageItsScriptsAndHealthAreServedByEveryGateway() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int node = 0; node < 2; node++) {
            String base = "http://127.0.0.1:" + cluster.gatewayPort(node);
            HttpResponse<String> page = get(http, base + "/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/html"));
            assertThat(page.body()).contains("<title>").contains("demo.js");
            HttpResponse<String> script = get(http, base + "/demo.js");
            assertThat(script.statusCode()).isEqualTo(200);
            assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).contains("javascript"));
            HttpResponse<String> sdk = get(http, base + "/sdk/index.js");
            assertThat(sdk.statusCode()).as("the SDK the page imports").isEqualTo(200);
            assertThat(sdk.body()).contains("connect");
            assertThat(get(http, base + "/actuator/health").statusCode()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(java.net.http.HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Publishes a broadcast fence after what was published before has reached its recipients on
     * both nodes; once every given client has the fence, anything else it got was misrouted.
     */
    private void assertNothingButFenceArrives(List<WsTestClient> outsiders) {
        String fence = cluster.publish("{\"type\":\"broadcast\"}", "fence", "{}").get("id").asString();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (WsTestClient client : outsiders) {
                assertThat(client.notificationIds()).as(client.name()).contains(fence);
            }
        });
        for (WsTestClient client : outsiders) {
            assertThat(client.notificationIds()).as(client.name() + " must receive only the fence")
                    .containsExactly(fence);
        }
    }
}
