package dev.tidings.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.tidings.common.auth.TokenIssuer;
import dev.tidings.testing.KafkaBrokerExtension;
import dev.tidings.testing.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * In-band token refresh on a real gateway and broker: a session warned that its token ends goes on
 * with a fresh one instead of reconnecting, its groups follow the new token, and a token of
 * another user, a forged one, or a flood of refreshes change nothing.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TokenRefreshIT {

    static final int CLOCK_SKEW_SECONDS = 1;
    static final int WARNING_SECONDS = 3;

    static LocalCluster cluster;
    final TokenIssuer issuer = new TokenIssuer(LocalCluster.SECRET);
    final List<WsTestClient> clients = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        cluster = new LocalCluster(1, Map.of(
                "tidings.jwt.clock-skew", CLOCK_SKEW_SECONDS,
                "tidings.gateway.token-expiry-warning", WARNING_SECONDS + "s",
                "tidings.gateway.max-refreshes-per-minute", 3));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @AfterEach
    void disconnect() {
        clients.forEach(WsTestClient::close);
    }

    @Test
    void aSessionWarnedOfItsTokensEndRefreshesInBandAndOutlivesItsFirstToken() {
        WsTestClient alice = connect("alice", issuer.issue("alice", Set.of(), Set.of(), Duration.ofSeconds(5)));

        // exp + skew is 6 s away, the warning comes 3 s before: about 3 s from now.
        await().atMost(Duration.ofSeconds(8)).until(() -> !alice.frames("expiring").isEmpty());
        assertThat(alice.frames("expiring").get(0).get("in").asLong()).isBetween(1L, (long) WARNING_SECONDS);
        alice.send("{\"type\":\"refresh\",\"token\":\"" + issuer.issue("alice", Set.of(), Set.of(),
                Duration.ofMinutes(10)) + "\"}");

        await().atMost(Duration.ofSeconds(5)).until(() -> !alice.frames("refreshed").isEmpty());
        Instant until = Instant.parse(alice.frames("refreshed").get(0).get("expiresAt").asString());
        assertThat(until).isAfter(Instant.now().plus(Duration.ofMinutes(9)));
        // Through and past the first token's end, the session stays open and is still delivered to.
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).until(() -> !alice.closeCode().isDone());
        String id = cluster.publish("{\"type\":\"user\",\"ids\":[\"alice\"]}", "after.refresh", "{}")
                .get("id").asString();
        await().atMost(Duration.ofSeconds(10)).until(() -> alice.notificationIds().contains(id));
    }

    @Test
    void theGroupsOfARefreshedTokenDecideWhatTheSessionGetsFromThenOn() {
        WsTestClient bob = connect("bob",
                issuer.issue("bob", Set.of("Class:201901"), Set.of(), Duration.ofMinutes(10)));

        bob.send("{\"type\":\"refresh\",\"token\":\"" + issuer.issue("bob", Set.of("Class:201902"), Set.of(),
                Duration.ofMinutes(10)) + "\"}");
        await().atMost(Duration.ofSeconds(5)).until(() -> !bob.frames("refreshed").isEmpty());
        String left = cluster.publish("{\"type\":\"group\",\"ids\":[\"Class:201901\"]}", "old.class", "{}")
                .get("id").asString();
        String joined = cluster.publish("{\"type\":\"group\",\"ids\":[\"Class:201902\"]}", "new.class", "{}")
                .get("id").asString();

        await().atMost(Duration.ofSeconds(10)).until(() -> bob.notificationIds().contains(joined));
        // Records of two keys need not arrive in order: the one left has a while to show up, and must not.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                .until(() -> !bob.notificationIds().contains(left));
    }

    @Test
    void aTokenOfAnotherUserOrAForgedOneIsRefusedAndTheSessionKeepsItsOwn() {
        WsTestClient carol = connect("carol", issuer.issue("carol", Set.of(), Set.of(), Duration.ofMinutes(10)));

        carol.send("{\"type\":\"refresh\",\"token\":\"" + issuer.issue("mallory", Set.of("Class:201901"), Set.of(),
                Duration.ofMinutes(10)) + "\"}");
        carol.send("{\"type\":\"refresh\",\"token\":\"" + new TokenIssuer("another-secret-of-at-least-thirty-two-bytes")
                .issue("carol", Set.of("Class:201901"), Set.of(), Duration.ofMinutes(10)) + "\"}");

        await().atMost(Duration.ofSeconds(5)).until(() -> carol.frames("error").size() == 2);
        assertThat(carol.frames("error")).extracting(frame -> frame.get("code").asString())
                .containsExactly("bad_token", "bad_token");
        assertThat(carol.frames("refreshed")).isEmpty();
        String toGroup = cluster.publish("{\"type\":\"group\",\"ids\":[\"Class:201901\"]}", "not.carols", "{}")
                .get("id").asString();
        String toCarol = cluster.publish("{\"type\":\"user\",\"ids\":[\"carol\"]}", "carols", "{}")
                .get("id").asString();
        await().atMost(Duration.ofSeconds(10)).until(() -> carol.notificationIds().contains(toCarol));
        assertThat(carol.notificationIds()).doesNotContain(toGroup);
    }

    @Test
    void refreshesPastTheLimitPerMinuteAreRefusedAsRateLimited() {
        WsTestClient dave = connect("dave", issuer.issue("dave", Set.of(), Set.of(), Duration.ofMinutes(10)));

        for (int i = 0; i < 5; i++) {
            dave.send("{\"type\":\"refresh\",\"token\":\"" + issuer.issue("dave", Set.of(), Set.of(),
                    Duration.ofMinutes(10)) + "\"}");
        }

        await().atMost(Duration.ofSeconds(5))
                .until(() -> dave.frames("refreshed").size() + dave.frames("error").size() == 5);
        assertThat(dave.frames("refreshed")).hasSize(3);
        assertThat(dave.frames("error")).extracting(frame -> frame.get("code").asString())
                .containsOnly("rate_limited");
    }

    private WsTestClient connect(String name, String token) {
        WsTestClient client = WsTestClient.connect(name, cluster.gatewayPort(0), token);
        clients.add(client);
        await().atMost(Duration.ofSeconds(10)).until(() -> !client.frames("welcome").isEmpty());
        return client;
    }
}
