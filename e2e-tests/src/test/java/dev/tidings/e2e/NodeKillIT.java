package dev.tidings.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.tidings.testing.KafkaBrokerExtension;
import dev.tidings.testing.WsTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The promise: a gateway killed abruptly while notices flow loses nothing. Its clients reconnect
 * to the surviving node with their last cursor and end up with every notice addressed to them,
 * exactly once after de-duplication by id, in publish order per target, and nothing else.
 */
@ExtendWith(KafkaBrokerExtension.class)
class NodeKillIT {

    private static final Logger log = LoggerFactory.getLogger(NodeKillIT.class);
    /** At least 500; {@code -Dtidings.kill.clients=20000} measures a reconnect storm of 10,000 (docs/benchmarks.md). */
    private static final int CLIENTS = Math.max(500, Integer.getInteger("tidings.kill.clients", 500));
    private static final int GROUP_SIZE = 10;
    private static final int NOTICES = 360;

    /** One published notice and whom it was for. */
    private record Notice(String id, String targetKey) {
    }

    /** A logical client: its successive connections, possibly to different nodes. */
    private static final class Client {
        final String user;
        final String group;
        final List<WsTestClient> connections = new CopyOnWriteArrayList<>();

        Client(String user, String group) {
            this.user = user;
            this.group = group;
        }

        WsTestClient current() {
            return connections.get(connections.size() - 1);
        }

        List<String> received() {
            List<String> all = new ArrayList<>();
            connections.forEach(c -> all.addAll(c.notificationIds()));
            return all;
        }

        boolean addressed(Notice n) {
            return n.targetKey().equals("broadcast") || n.targetKey().equals("user:" + user)
                    || n.targetKey().equals("group:" + group);
        }
    }

    @Test
    void clientsOfAKilledNodeResumeOnTheSurvivorWithNothingLostDuplicatedOrMisrouted() throws Exception {
        try (LocalCluster cluster = new LocalCluster(1);
                GatewayProcess victim = cluster.startGatewayProcess("victim-" + System.nanoTime())) {
            List<Client> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                Client client = new Client("u" + i, "g" + (i / GROUP_SIZE));
                int port = i % 2 == 0 ? victim.port() : cluster.gatewayPort(0);
                client.connections.add(WsTestClient.connect(client.user, port, cluster.token(client.user, client.group)));
                clients.add(client);
            }
            await().atMost(Duration.ofSeconds(60 + CLIENTS / 100)).until(
                    () -> clients.stream().allMatch(c -> !c.current().frames("welcome").isEmpty()));

            List<Notice> published = Collections.synchronizedList(new ArrayList<>());
            Random random = new Random(42);
            Thread publisher = new Thread(() -> {
                for (int i = 0; i < NOTICES; i++) {
                    String targetKey;
                    String target;
                    switch (i % 3) {
                        case 0 -> {
                            String user = "u" + random.nextInt(CLIENTS);
                            targetKey = "user:" + user;
                            target = "{\"type\":\"user\",\"ids\":[\"" + user + "\"]}";
                        }
                        case 1 -> {
                            String group = "g" + random.nextInt(CLIENTS / GROUP_SIZE);
                            targetKey = "group:" + group;
                            target = "{\"type\":\"group\",\"ids\":[\"" + group + "\"]}";
                        }
                        default -> {
                            targetKey = "broadcast";
                            target = "{\"type\":\"broadcast\"}";
                        }
                    }
                    published.add(new Notice(cluster.publish(target, "kill-test", "{\"n\":" + i + "}")
                            .get("id").asString(), targetKey));
                }
            }, "publisher");
            publisher.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> published.size() >= NOTICES / 3);

            victim.kill();
            long killedAt = System.nanoTime();
            List<Client> orphans = clients.subList(0, CLIENTS).stream()
                    .filter(c -> clients.indexOf(c) % 2 == 0).toList();
            Set<Client> resumed = ConcurrentHashMap.newKeySet();
            await().atMost(Duration.ofSeconds(90 + CLIENTS / 100)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                for (Client c : orphans) {
                    if (!resumed.contains(c) && c.current().closeCode().isDone()) {
                        String cursor = c.current().lastCursor();
                        c.connections.add(WsTestClient.connect(c.user, cluster.gatewayPort(0),
                                cluster.token(c.user, c.group), cursor));
                        resumed.add(c);
                    }
                }
                assertThat(resumed).as("orphans reconnected").hasSameSizeAs(orphans);
                assertThat(orphans.stream().filter(c -> c.current().frames("resumed").isEmpty())
                        .map(c -> c.user + " " + c.current().frames() + " closed=" + c.current().closeCode().getNow(null) + " error=" + c.current().error() + " " + (c.current().error() == null ? "" : c.current().error().getMessage()))
                        .toList()).as("orphans without resumed").isEmpty();
            });
            log.info("{} clients of the killed node resumed on the survivor in {} ms; survivor heap used {} MB",
                    orphans.size(), (System.nanoTime() - killedAt) / 1_000_000,
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
            publisher.join(120_000);
            assertThat(published).hasSize(NOTICES);

            await().atMost(Duration.ofSeconds(60 + CLIENTS / 100)).untilAsserted(() -> {
                for (Client c : clients) {
                    Set<String> expected = new LinkedHashSet<>();
                    published.stream().filter(c::addressed).forEach(n -> expected.add(n.id()));
                    assertThat(new LinkedHashSet<>(c.received())).as(c.user + " received")
                            .containsAll(expected);
                }
            });
            for (Client c : clients) {
                List<Notice> mine = published.stream().filter(c::addressed).toList();
                List<String> distinct = new ArrayList<>(new LinkedHashSet<>(c.received()));
                assertThat(distinct).as(c.user + ": exactly what was addressed to it, after de-duplication")
                        .containsExactlyInAnyOrderElementsOf(mine.stream().map(Notice::id).toList());
                for (String key : Set.of("broadcast", "user:" + c.user, "group:" + c.group)) {
                    List<String> sent = mine.stream().filter(n -> n.targetKey().equals(key)).map(Notice::id).toList();
                    assertThat(distinct.stream().filter(sent::contains).toList())
                            .as(c.user + ": publish order for " + key).containsExactlyElementsOf(sent);
                }
            }
            for (Client c : orphans) {
                assertThat(c.current().frames("resumed").get(0).get("recovered").asBoolean())
                        .as(c.user + " resumed with recovered:true").isTrue();
                assertThat(c.current().notificationIds()).as(c.user + ": the survivor sends nothing twice; frames "
                        + c.current().frames().stream().map(f -> f.path("type").asString() + ":" + f.path("id").asString("")
                        + ":" + f.path("cursor").asString("")).toList() + "; cursor before: "
                        + c.connections.get(0).lastCursor()).doesNotHaveDuplicates();
            }
            clients.forEach(c -> c.connections.forEach(WsTestClient::close));
        }
    }
}
