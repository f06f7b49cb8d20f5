package dev.tidings.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.tidings.common.auth.Principal;
import dev.tidings.common.auth.TokenIssuer;
import dev.tidings.testing.KafkaBrokerExtension;
import dev.tidings.testing.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile or careless WebSocket clients against one gateway with tight limits: forged, foreign
 * and expired tokens, a foreign Origin, an oversized frame, too many sessions per user and per
 * node. Each is refused with its documented status or close code, and the tokens the gateway
 * refuses the publisher refuses too.
 */
@ExtendWith(KafkaBrokerExtension.class)
class HostileClientsIT {

    static final String ALLOWED_ORIGIN = "https://app.tidings.example";
    static final int MAX_CONNECTIONS = 5;
    static final int MAX_SESSIONS_PER_USER = 2;
    static final int MAX_FRAME = 1024;

    static LocalCluster cluster;
    final List<WsTestClient> clients = new ArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();
    final TokenIssuer issuer = new TokenIssuer(LocalCluster.SECRET);

    static final int CLOCK_SKEW_SECONDS = 5;

    @BeforeAll
    static void startCluster() {
        cluster = new LocalCluster(1, Map.of(
                "tidings.gateway.allowed-origins", ALLOWED_ORIGIN,
                "tidings.gateway.max-connections", MAX_CONNECTIONS,
                "tidings.gateway.max-sessions-per-user", MAX_SESSIONS_PER_USER,
                "tidings.gateway.max-inbound-frame-bytes", MAX_FRAME,
                // A token is good until exp + skew; a short skew keeps the expiry test short.
                "tidings.jwt.clock-skew", CLOCK_SKEW_SECONDS));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void startWithAnEmptyNode() {
        // Sessions of the previous test leave the registry asynchronously after their close.
        await().atMost(Duration.ofSeconds(10)).until(() -> connections() == 0);
    }

    @AfterEach
    void disconnect() {
        clients.forEach(WsTestClient::close);
    }

    @Test
    void anUnsignedAlgNoneTokenIsRefusedByTheGatewayAndThePublisher() {
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String claims = b64("{\"sub\":\"mallory\",\"groups\":[\"Class:201901\"],\"scope\":\"notifications:publish\","
                + "\"exp\":" + (System.currentTimeMillis() / 1000 + 600) + "}");
        String forged = header + "." + claims + ".";

        assertRefusedEverywhere(forged);
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefusedByTheGatewayAndThePublisher() {
        String forged = new TokenIssuer("an-attackers-own-secret-0123456789abcdef")
                .issue("mallory", List.of("Class:201901"), List.of(Principal.SCOPE_PUBLISH), Duration.ofMinutes(5));

        assertRefusedEverywhere(forged);
    }

    @Test
    void anExpiredTokenIsRefusedByTheGatewayAndThePublisher() {
        // Expired well beyond the 30 s clock skew the verifier tolerates.
        String expired = issuer.issue("alice", List.of(), List.of(Principal.SCOPE_PUBLISH), Duration.ofMinutes(-5));

        assertRefusedEverywhere(expired);
    }

    @Test
    void aTokenThatExpiresWhileConnectedClosesTheSessionWith1008() {
        String shortLived = issuer.issue("alice", List.of(), List.of(), Duration.ofSeconds(3));
        WsTestClient alice = connect("alice", shortLived);

        assertThat(alice.closeCode()).succeedsWithin(Duration.ofSeconds(15)).isEqualTo(1008);
    }

    @Test
    void aTokenJustPastExpButWithinTheSkewOpensASessionThatLastsUntilExpPlusSkewThenCloses1008() {
        String justExpired = issuer.issue("alice", List.of(), List.of(), Duration.ofSeconds(-1));
        WsTestClient alice = connect("alice", justExpired);

        // One rule: accepted at the handshake, so not closed at once, but at exp + skew.
        assertThat(alice.closeCode()).as("closed at once").isNotCompleted();
        assertThat(alice.closeCode()).succeedsWithin(Duration.ofSeconds(15)).isEqualTo(1008);
    }

    @Test
    void aHandshakeFromAnOriginOutsideTheAllowListIsRefused() throws Exception {
        String token = cluster.token("alice");

        try (RawWebSocket foreign = RawWebSocket.connect(cluster.gatewayPort(0), token, 0,
                Map.of("Origin", "https://evil.example"));
                RawWebSocket allowed = RawWebSocket.connect(cluster.gatewayPort(0), token, 0,
                        Map.of("Origin", ALLOWED_ORIGIN))) {
            assertThat(foreign.status()).as("handshake from a foreign origin").isEqualTo(403);
            assertThat(allowed.status()).as("handshake from the allowed origin").isEqualTo(101);
        }
    }

    @Test
    void aFrameOverTheInboundLimitClosesTheSessionWith1009() {
        WsTestClient alice = connect("alice", cluster.token("alice"));

        alice.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(MAX_FRAME * 2) + "\"}");

        assertThat(alice.closeCode()).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(1009);
    }

    @Test
    void aUserOverItsSessionLimitHasTheNewSessionClosedWith1008AndKeepsTheOthers() {
        List<WsTestClient> admitted = new ArrayList<>();
        for (int i = 0; i < MAX_SESSIONS_PER_USER; i++) {
            admitted.add(connect("alice#" + i, cluster.token("alice")));
        }

        WsTestClient oneTooMany = WsTestClient.connect("alice#extra", cluster.gatewayPort(0), cluster.token("alice"));
        clients.add(oneTooMany);

        assertThat(oneTooMany.closeCode()).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(1008);
        assertThat(oneTooMany.frames("welcome")).isEmpty();
        admitted.forEach(client -> assertThat(client.closeCode()).as(client.name()).isNotDone());
    }

    @Test
    void aNodeAtItsConnectionLimitClosesNewSessionsWith1013() throws Exception {
        for (int i = 0; i < MAX_CONNECTIONS; i++) {
            connect("user" + i, cluster.token("user" + i));
        }

        // A raw client: Tomcat's client would report the 1013 on the wire as 1002.
        try (RawWebSocket overflow = RawWebSocket.connect(cluster.gatewayPort(0), cluster.token("overflow"), 0,
                Map.of())) {
            assertThat(overflow.status()).as("the handshake itself").isEqualTo(101);
            assertThat(overflow.readUntilClosed(Duration.ofSeconds(10)).closeCode()).isEqualTo(1013);
        }
        assertThat(connections()).isEqualTo(MAX_CONNECTIONS);
    }

    private void assertRefusedEverywhere(String token) {
        Throwable handshake = catchThrowable(() -> WsTestClient.connect("mallory", cluster.gatewayPort(0), token));
        assertThat(handshake).as("WebSocket handshake").isInstanceOf(WsTestClient.HandshakeFailedException.class)
                .hasMessageContaining("[401]");
        HttpResponse<String> publish = post(token, """
                {"target":{"type":"group","ids":["Class:201901"]},"event":"e","payload":{}}""");
        assertThat(publish.statusCode()).as(publish.body()).isEqualTo(401);
        assertThat(publish.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
    }

    private WsTestClient connect(String name, String token) {
        WsTestClient client = WsTestClient.connect(name, cluster.gatewayPort(0), token);
        clients.add(client);
        await().atMost(Duration.ofSeconds(10)).until(() -> !client.frames("welcome").isEmpty());
        return client;
    }

    private HttpResponse<String> post(String token, String body) {
        try {
            return http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + cluster.publisherPort() + "/api/v1/notifications"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (Exception ex) {
            throw new AssertionError(ex);
        }
    }

    private static double connections() {
        return Scrape.metric(cluster.gatewayPort(0), "tidings_gateway_connections");
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
