package dev.tidings.gateway.inbox;

import static dev.tidings.gateway.inbox.InboxCluster.everyone;
import static dev.tidings.gateway.inbox.InboxCluster.group;
import static dev.tidings.gateway.inbox.InboxCluster.ids;
import static dev.tidings.gateway.inbox.InboxCluster.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import dev.tidings.testing.KafkaBrokerExtension;
import dev.tidings.testing.WsTestClient;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Two gateways sharing the inbox's keyspace on one broker: same answers on both, state kept across restarts. */
@ExtendWith(KafkaBrokerExtension.class)
class InboxAcrossGatewaysIT {

    private static final int USERS = 12;

    @TempDir
    Path state;

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Users in two groups, each with notifications of their own, their group's and everyone's. */
    private record Fixture(List<String> users, Map<String, String> tokens, Map<String, List<String>> expected) {

        static Fixture publish(InboxCluster cluster) {
            List<String> users = new ArrayList<>();
            Map<String, String> tokens = new HashMap<>();
            Map<String, List<String>> expected = new HashMap<>();
            Instant t = Instant.now().minusSeconds(600);
            String odd = unique("odd");
            String even = unique("even");
            String toOdd = cluster.publish(group(odd), "odd", t, null);
            String toEven = cluster.publish(group(even), "even", t.plusSeconds(1), null);
            String toAll = cluster.publish(everyone(), "all", t.plusSeconds(2), null);
            for (int i = 0; i < USERS; i++) {
                String user = unique("u" + i);
                users.add(user);
                String own = cluster.publish(user(user), "own", t.plusSeconds(10 + i), null);
                tokens.put(user, cluster.token(user, i % 2 == 0 ? even : odd));
                expected.put(user, List.of(own, toAll, i % 2 == 0 ? toEven : toOdd));
            }
            return new Fixture(users, tokens, expected);
        }

        void assertListedOn(InboxCluster cluster, int node) {
            for (String user : users) {
                assertThat(ids(cluster.inbox(node, tokens.get(user), "?limit=200")))
                        .as("%s's inbox on gateway %d", user, node).containsSubsequence(expected.get(user));
            }
        }
    }

    private static int activeTasks(InboxCluster cluster, int node) {
        KafkaStreams streams = cluster.context(node).getBean(InboxStreams.class).streams();
        return streams.metadataForLocalThreads().stream().mapToInt(thread -> thread.activeTasks().size()).sum();
    }

    @Test
    void eitherGatewayAnswersAUserWithTheSameItemsWhileEachHoldsPartOfTheKeys() {
        try (InboxCluster cluster = new InboxCluster(state, 2, Map.of())) {
            Fixture fixture = Fixture.publish(cluster);
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(activeTasks(cluster, 0)).isPositive();
                assertThat(activeTasks(cluster, 1)).isPositive();
                fixture.assertListedOn(cluster, 0);
                fixture.assertListedOn(cluster, 1);
            });
            for (String user : fixture.users()) {
                String token = fixture.tokens().get(user);
                JsonNode first = cluster.inbox(0, token, "?limit=200");
                JsonNode second = cluster.inbox(1, token, "?limit=200");
                assertThat(second).as("%s's inbox on both gateways", user).isEqualTo(first);
            }
        }
    }

    @Test
    void aReadOnOneGatewayReachesTheUsersSessionsOnTheOther() {
        try (InboxCluster cluster = new InboxCluster(state, 2, Map.of())) {
            String user = unique("reader");
            String token = cluster.token(user);
            String id = cluster.publish(user(user), "grade.published");
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    assertThat(ids(cluster.inbox(0, token, ""))).contains(id));
            try (WsTestClient other = WsTestClient.connect("other", cluster.port(1), token)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> !other.frames("welcome").isEmpty());

                var response = cluster.post(0, "/api/v1/inbox/read", token, "{\"ids\":[\"" + id + "\"]}");

                assertThat(response.statusCode()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(other.frames("read")).hasSize(1));
                assertThat(other.frames("read").get(0).path("ids").get(0).asString()).isEqualTo(id);
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cluster.inbox(1, token, "")
                    .path("items").get(0).path("read").asBoolean()).isTrue());
        }
    }

    @Test
    void aGatewayThatLostItsLocalStateRestoresItFromTheChangelogs() {
        try (InboxCluster cluster = new InboxCluster(state, 2, Map.of())) {
            Fixture fixture = Fixture.publish(cluster);
            String reader = fixture.users().get(0);
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> fixture.assertListedOn(cluster, 0));
            String read = fixture.expected().get(reader).get(0);
            assertThat(cluster.post(0, "/api/v1/inbox/read", fixture.tokens().get(reader),
                    "{\"ids\":[\"" + read + "\"]}").statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(readIds(cluster, 0, fixture.tokens().get(reader))).contains(read));

            cluster.stop(1);
            cluster.stop(0);
            deleteRecursively(state.resolve("gw-0"));
            cluster.restart(0);

            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(activeTasks(cluster, 0)).isPositive();
                fixture.assertListedOn(cluster, 0);
                assertThat(readIds(cluster, 0, fixture.tokens().get(reader))).contains(read);
            });
        }
    }

    private static List<String> readIds(InboxCluster cluster, int node, String token) {
        return cluster.inbox(node, token, "?limit=200").path("items").valueStream()
                .filter(item -> item.path("read").asBoolean()).map(item -> item.path("id").asString()).toList();
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
