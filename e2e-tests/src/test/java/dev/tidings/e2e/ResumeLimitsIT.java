package dev.tidings.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.tidings.testing.KafkaBrokerExtension;
import dev.tidings.testing.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * The edges of a resume a client relies on: past {@code max-replay} it gets the most recent
 * notifications whatever their partition; the welcome of a resuming connection is safe to store;
 * resume frames are rate limited.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ResumeLimitsIT {

    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = new LocalCluster(1, Map.of("tidings.gateway.max-replay", 5, "tidings.gateway.max-resumes-per-minute", 2));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void pastMaxReplayAResumeSendsTheMostRecentNotificationsWhateverTheirPartition() {
        String cursor = cursorBefore("ivy", "Class:ivy");
        List<String> published = new ArrayList<>();
        // Another session of ivy's sees all ten live: only then has the node consumed them, so the
        // resume below finds all ten behind the live position and none arrive as live deliveries.
        try (WsTestClient watcher = WsTestClient.connect("ivy", cluster.gatewayPort(0), cluster.token("ivy", "Class:ivy"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !watcher.frames("welcome").isEmpty());
            // A user notice and a group notice alternately: two routing keys, so (here) two partitions.
            for (int i = 0; i < 5; i++) {
                published.add(cluster.publish("{\"type\":\"user\",\"ids\":[\"ivy\"]}", "u" + i, "{}").get("id")
                        .asString());
                published.add(cluster.publish("{\"type\":\"group\",\"ids\":[\"Class:ivy\"]}", "g" + i, "{}").get("id")
                        .asString());
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> watcher.notificationIds().size() == published.size());
        }

        try (WsTestClient again = WsTestClient.connect("ivy", cluster.gatewayPort(0), cluster.token("ivy", "Class:ivy"),
                cursor)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !again.frames("resumed").isEmpty());
            JsonNode resumed = again.frames("resumed").get(0);
            assertThat(resumed.get("recovered").asBoolean()).isFalse();
            assertThat(again.notificationIds()).as("the five most recent of ten").containsExactlyInAnyOrderElementsOf(
                    published.subList(5, 10));
        }
    }

    @Test
    void theWelcomeOfAResumingConnectionCarriesTheClientsOwnCursorSoStoringItNeverSkipsTheGap() {
        String cursor = cursorBefore("jack");
        String missed = cluster.publish("{\"type\":\"user\",\"ids\":[\"jack\"]}", "missed", "{}").get("id").asString();

        try (WsTestClient again = WsTestClient.connect("jack", cluster.gatewayPort(0), cluster.token("jack"), cursor)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !again.frames("resumed").isEmpty());
            String welcomeCursor = again.frames("welcome").get(0).get("cursor").asString();
            assertThat(welcomeCursor).isEqualTo(cursor);
        }
        // A client that stored the welcome's cursor and dropped before the replay still gets the gap.
        try (WsTestClient later = WsTestClient.connect("jack", cluster.gatewayPort(0), cluster.token("jack"), cursor)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !later.frames("resumed").isEmpty());
            assertThat(later.notificationIds()).containsExactly(missed);
        }
    }

    @Test
    void resumeFramesPastTheRateLimitGetAnErrorAndTheSessionStaysOpen() {
        String cursor = cursorBefore("kate");
        try (WsTestClient kate = WsTestClient.connect("kate", cluster.gatewayPort(0), cluster.token("kate"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !kate.frames("welcome").isEmpty());
            for (int i = 0; i < 3; i++) {
                kate.send("{\"type\":\"resume\",\"cursor\":\"" + cursor + "\"}");
                int sent = i + 1;
                await().atMost(Duration.ofSeconds(10)).until(
                        () -> kate.frames("resumed").size() + kate.frames("error").size() >= sent);
            }

            assertThat(kate.frames("resumed")).as("resumes served").hasSize(2);
            assertThat(kate.frames("error")).singleElement()
                    .satisfies(e -> assertThat(e.get("code").asString()).isEqualTo("rate_limited"));
            String fence = cluster.publish("{\"type\":\"user\",\"ids\":[\"kate\"]}", "fence", "{}").get("id").asString();
            await().atMost(Duration.ofSeconds(10)).until(() -> kate.notificationIds().contains(fence));
        }
    }

    /** A cursor taken by a session of {@code user} that then disconnects. */
    private static String cursorBefore(String user, String... groups) {
        try (WsTestClient first = WsTestClient.connect(user, cluster.gatewayPort(0), cluster.token(user, groups))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !first.frames("welcome").isEmpty()
                    && first.frames("welcome").get(0).hasNonNull("cursor"));
            return first.frames("welcome").get(0).get("cursor").asString();
        }
    }
}
