package dev.tidings.gateway.inbox;

import static dev.tidings.gateway.inbox.InboxCluster.ids;
import static dev.tidings.gateway.inbox.InboxCluster.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tidings.testing.KafkaBrokerExtension;
import dev.tidings.testing.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Read state on one gateway with a real broker: marks, unread counts, read frames, erasure. */
@ExtendWith(KafkaBrokerExtension.class)
class InboxReadStateIT {

    @TempDir
    static Path state;
    private static InboxCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new InboxCluster(state, 1, Map.of());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Publishes {@code count} notifications to the user and waits until the inbox lists them all. */
    private static List<String> inboxOf(String user, String token, int count) {
        Instant t = Instant.now().minusSeconds(60);
        List<String> published = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            published.add(cluster.publish(user(user), "n" + i, t.plusSeconds(i), null));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(ids(cluster.inbox(0, token, "?limit=200"))).containsAll(published));
        return published;
    }

    private static long unreadOf(JsonNode inbox, List<String> ids) {
        return inbox.path("items").valueStream()
                .filter(item -> ids.contains(item.path("id").asString()) && !item.path("read").asBoolean()).count();
    }

    @Test
    void markingIdsReadLowersTheUnreadCountAndTellsEverySessionOfThatUserOnly() {
        String ana = unique("ana");
        String token = cluster.token(ana);
        List<String> published = inboxOf(ana, token, 3);
        long unreadBefore = cluster.inbox(0, token, "").path("unread").asLong();
        try (WsTestClient phone = WsTestClient.connect("phone", cluster.port(0), token);
                WsTestClient laptop = WsTestClient.connect("laptop", cluster.port(0), token);
                WsTestClient stranger = WsTestClient.connect("stranger", cluster.port(0), cluster.token(unique("zed")))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !phone.frames("welcome").isEmpty()
                    && !laptop.frames("welcome").isEmpty() && !stranger.frames("welcome").isEmpty());

            var response = cluster.post(0, "/api/v1/inbox/read", token, "{\"ids\":[\"" + published.get(0) + "\"]}");

            assertThat(response.statusCode()).isEqualTo(200);
            long unread = cluster.parse(response.body()).path("unread").asLong();
            assertThat(unread).isEqualTo(unreadBefore - 1);
            for (WsTestClient device : List.of(phone, laptop)) {
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(device.frames("read")).hasSize(1));
                JsonNode frame = device.frames("read").get(0);
                assertThat(frame.path("ids").get(0).asString()).isEqualTo(published.get(0));
                assertThat(frame.path("unread").asLong()).isEqualTo(unread);
            }
            assertThat(stranger.frames("read")).isEmpty();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode inbox = cluster.inbox(0, token, "");
            assertThat(inbox.path("unread").asLong()).isEqualTo(unreadBefore - 1);
            assertThat(unreadOf(inbox, published)).isEqualTo(2);
        });
    }

    @Test
    void markingTheSameIdsTwiceIsTheSameMark() {
        String ben = unique("ben");
        String token = cluster.token(ben);
        List<String> published = inboxOf(ben, token, 2);
        String body = "{\"ids\":[\"" + published.get(1) + "\"]}";

        long first = cluster.parse(cluster.post(0, "/api/v1/inbox/read", token, body).body()).path("unread").asLong();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(cluster.inbox(0, token, "").path("unread").asLong()).isEqualTo(first));
        long second = cluster.parse(cluster.post(0, "/api/v1/inbox/read", token, body).body()).path("unread").asLong();

        assertThat(second).isEqualTo(first);
        assertThat(unreadOf(cluster.inbox(0, token, ""), published)).isEqualTo(1);
    }

    @Test
    void markingAllReadLeavesNothingUnreadUntilTheNextNotification() {
        String cy = unique("cy");
        String token = cluster.token(cy);
        inboxOf(cy, token, 3);

        var response = cluster.post(0, "/api/v1/inbox/read", token, "{\"all\":true}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(cluster.parse(response.body()).path("unread").asLong()).isZero();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode inbox = cluster.inbox(0, token, "");
            assertThat(inbox.path("unread").asLong()).isZero();
            assertThat(inbox.path("items").valueStream().allMatch(item -> item.path("read").asBoolean())).isTrue();
        });
        String next = cluster.publish(user(cy), "after", Instant.now().plusSeconds(1), null);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode inbox = cluster.inbox(0, token, "");
            assertThat(ids(inbox).get(0)).isEqualTo(next);
            assertThat(inbox.path("unread").asLong()).isEqualTo(1);
        });
    }

    @Test
    void aReadRequestThatIsNeitherIdsNorAllIsRefused() {
        String token = cluster.token(unique("dee"));
        assertThat(cluster.post(0, "/api/v1/inbox/read", token, "{}").statusCode()).isEqualTo(400);
        assertThat(cluster.post(0, "/api/v1/inbox/read", token, "{\"ids\":[1]}").statusCode()).isEqualTo(400);
        assertThat(cluster.post(0, "/api/v1/inbox/read", token, "not json").statusCode()).isEqualTo(400);
        assertThat(cluster.post(0, "/api/v1/inbox/read", "bad", "{\"all\":true}").statusCode()).isEqualTo(401);
    }

    @Test
    void erasingAUsersInboxRemovesTheirItemsAndReadStateAndNothingOfOthers() {
        String eve = unique("eve");
        String fox = unique("fox");
        String eveToken = cluster.token(eve);
        String foxToken = cluster.token(fox);
        List<String> eves = inboxOf(eve, eveToken, 2);
        List<String> foxes = inboxOf(fox, foxToken, 1);
        cluster.post(0, "/api/v1/inbox/read", eveToken, "{\"ids\":[\"" + eves.get(0) + "\"]}");

        assertThat(cluster.delete(0, "/api/v1/inbox/" + eve, eveToken).statusCode()).isEqualTo(403);
        assertThat(cluster.delete(0, "/api/v1/inbox/" + eve, cluster.adminToken()).statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(ids(cluster.inbox(0, eveToken, "?limit=200"))).doesNotContainAnyElementsOf(eves));
        assertThat(ids(cluster.inbox(0, foxToken, "?limit=200"))).containsAll(foxes);
        String after = cluster.publish(user(eve), "after-erasure", Instant.now().plusSeconds(1), null);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode inbox = cluster.inbox(0, eveToken, "?limit=200");
            assertThat(ids(inbox)).contains(after).doesNotContainAnyElementsOf(eves);
            assertThat(inbox.path("items").valueStream().filter(i -> i.path("id").asString().equals(after))
                    .findFirst().orElseThrow().path("read").asBoolean()).isFalse();
        });
    }
}
