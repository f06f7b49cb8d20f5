package dev.tidings.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tidings.common.cursor.Cursor;
import dev.tidings.testing.KafkaBrokerExtension;
import dev.tidings.testing.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/** Clients resume from their cursor on any node and miss nothing. */
@ExtendWith(KafkaBrokerExtension.class)
class ResumeIT {

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

    WsTestClient connect(int node, String cursor, String user, String... groups) {
        WsTestClient client = WsTestClient.connect(user + "@gw" + (node + 1), cluster.gatewayPort(node),
                cluster.token(user, groups), cursor);
        clients.add(client);
        await().atMost(Duration.ofSeconds(10)).until(() -> !client.frames("welcome").isEmpty());
        return client;
    }

    String publish(String target) {
        return cluster.publish(target, "e", "{}").get("id").asString();
    }

    @Test
    void aClientResumingOnTheOtherNodeGetsEverythingAddressedToItThatItMissedThenResumed() {
        WsTestClient before = connect(0, null, "alice", "Class:201901");
        String seen = publish("{\"type\":\"user\",\"ids\":[\"alice\"]}");
        await().atMost(Duration.ofSeconds(10)).until(() -> before.notificationIds().contains(seen));
        String cursor = before.lastCursor();
        before.close();

        List<String> missed = List.of(publish("{\"type\":\"user\",\"ids\":[\"alice\"]}"),
                publish("{\"type\":\"group\",\"ids\":[\"Class:201901\"]}"), publish("{\"type\":\"broadcast\"}"));
        publish("{\"type\":\"user\",\"ids\":[\"bob\"]}");
        publish("{\"type\":\"group\",\"ids\":[\"Class:201902\"]}");
        // Wait until node 2 has dispatched what was published, so the missed notices come from replay.
        WsTestClient witness = connect(1, null, "witness");
        String fence = publish("{\"type\":\"broadcast\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> witness.notificationIds().contains(fence));

        WsTestClient after = connect(1, cursor, "alice", "Class:201901");

        await().atMost(Duration.ofSeconds(10)).until(() -> !after.frames("resumed").isEmpty());
        JsonNode resumed = after.frames("resumed").get(0);
        assertThat(resumed.get("recovered").asBoolean()).isTrue();
        assertThat(resumed.get("replayed").asInt()).isEqualTo(4);
        assertThat(after.notificationIds()).containsExactlyInAnyOrder(missed.get(0), missed.get(1), missed.get(2), fence);
        String live = publish("{\"type\":\"user\",\"ids\":[\"alice\"]}");
        await().atMost(Duration.ofSeconds(10)).until(() -> after.notificationIds().contains(live));
        List<String> types = after.frames().stream().map(f -> f.get("type").asString()).toList();
        assertThat(types.indexOf("resumed")).as("resumed comes after the replay and before live notices: " + types)
                .isEqualTo(types.size() - 2);
    }

    @Test
    void aReplayLargerThanTheLiveQueueLimitArrivesIntactAndInOrder() {
        WsTestClient first = connect(0, null, "grace");
        String cursor = first.frames("welcome").get(0).get("cursor").asString();
        first.close();
        List<String> missed = new ArrayList<>();
        String item = "{\"target\":{\"type\":\"user\",\"ids\":[\"grace\"]},\"event\":\"e\",\"payload\":{}}";
        for (int batch = 0; batch < 3; batch++) {
            String body = "{\"notifications\":[" + String.join(",", java.util.Collections.nCopies(500, item)) + "]}";
            var response = cluster.post("/api/v1/notifications:batch", body);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode results = tools.jackson.databind.json.JsonMapper.builder().build().readTree(response.body())
                    .get("results");
            results.forEach(r -> missed.add(r.get("id").asString()));
        }
        WsTestClient witness = connect(1, null, "grace-witness");
        String fence = publish("{\"type\":\"user\",\"ids\":[\"grace-witness\"]}");
        await().atMost(Duration.ofSeconds(20)).until(() -> witness.notificationIds().contains(fence));

        WsTestClient again = connect(1, cursor, "grace");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(again.error()).as("transport error").isNull();
            assertThat(again.frames("resumed")).as("resumed after %d notifications, close %s",
                    again.notificationIds().size(), again.closeCode().getNow(null)).hasSize(1);
        });
        assertThat(missed).hasSize(1500);
        assertThat(again.notificationIds()).as("1,500 replayed frames: more than the 1,000-frame live queue limit")
                .containsExactlyElementsOf(missed);
    }

    @Test
    void aResumeFrameOnAnOpenSessionReplaysTheGap() {
        WsTestClient first = connect(0, null, "carol");
        String cursor = first.frames("welcome").get(0).get("cursor").asString();
        first.close();
        String missed = publish("{\"type\":\"user\",\"ids\":[\"carol\"]}");

        WsTestClient again = connect(1, null, "carol");
        again.send("{\"type\":\"resume\",\"cursor\":\"" + cursor + "\"}");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(again.frames("resumed")).hasSize(1);
            assertThat(again.notificationIds()).contains(missed);
        });
        assertThat(again.notificationIds()).as("the server sends nothing twice").doesNotHaveDuplicates();
    }

    @Test
    void aCursorFromARecreatedTopicSaysTheGapCannotBeFilled() throws Exception {
        WsTestClient probe = connect(0, null, "dave");
        Cursor real = LocalCluster.CURSORS.decode(probe.frames("welcome").get(0).get("cursor").asString());
        String foreign = LocalCluster.CURSORS.encode(new Cursor(UUID.randomUUID(), real.nextOffsets()));

        WsTestClient client = connect(1, foreign, "dave");

        await().atMost(Duration.ofSeconds(10)).until(() -> !client.frames("resumed").isEmpty());
        JsonNode resumed = client.frames("resumed").get(0);
        assertThat(resumed.get("recovered").asBoolean()).isFalse();
        assertThat(resumed.get("replayed").asInt()).isZero();
    }

    @Test
    void aGarbageCursorGetsAnErrorFrameAndTheSessionKeepsWorking() {
        WsTestClient client = connect(0, "not-a-cursor!", "erin");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(client.frames("error")).extracting(f -> f.get("code").asString()).containsExactly("bad_cursor");
            assertThat(client.frames("resumed").get(0).get("recovered").asBoolean()).isFalse();
        });
        String live = publish("{\"type\":\"user\",\"ids\":[\"erin\"]}");
        await().atMost(Duration.ofSeconds(10)).until(() -> client.notificationIds().contains(live));
    }

    @Test
    void resumesOlderThanTheRecoveryWindowAreServedFromKafkaAndOlderThanRetentionSayNotRecovered()
            throws Exception {
        try (LocalCluster noWindow = new LocalCluster(1, Map.of("tidings.gateway.recovery-window-bytes", 0))) {
            WsTestClient first = WsTestClient.connect("frank", noWindow.gatewayPort(0), noWindow.token("frank"));
            clients.add(first);
            await().atMost(Duration.ofSeconds(10)).until(() -> !first.frames("welcome").isEmpty());
            String cursor = first.frames("welcome").get(0).get("cursor").asString();
            first.close();
            List<String> missed = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                missed.add(noWindow.publish("{\"type\":\"user\",\"ids\":[\"frank\"]}", "e", "{}").get("id").asString());
            }

            WsTestClient resumed = WsTestClient.connect("frank", noWindow.gatewayPort(0), noWindow.token("frank"), cursor);
            clients.add(resumed);

            await().atMost(Duration.ofSeconds(20)).until(() -> !resumed.frames("resumed").isEmpty());
            assertThat(resumed.frames("resumed").get(0).get("recovered").asBoolean()).isTrue();
            assertThat(resumed.notificationIds()).containsExactlyElementsOf(missed);

            // Retention: delete everything before the end of the log, then resume from the old cursor.
            try (var admin = org.apache.kafka.clients.admin.Admin.create(KafkaBrokerExtension.adminConfig())) {
                Cursor old = LocalCluster.CURSORS.decode(cursor);
                Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.RecordsToDelete> deletes =
                        new java.util.HashMap<>();
                var tps = new ArrayList<org.apache.kafka.common.TopicPartition>();
                for (int p = 0; p < old.partitions(); p++) {
                    tps.add(new org.apache.kafka.common.TopicPartition(noWindow.topic(), p));
                }
                var ends = admin.listOffsets(tps.stream().collect(java.util.stream.Collectors.toMap(tp -> tp,
                        tp -> org.apache.kafka.clients.admin.OffsetSpec.latest()))).all().get();
                ends.forEach((tp, info) -> deletes.put(tp,
                        org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(info.offset())));
                admin.deleteRecords(deletes).all().get();
            }
            WsTestClient tooOld = WsTestClient.connect("frank", noWindow.gatewayPort(0), noWindow.token("frank"), cursor);
            clients.add(tooOld);
            await().atMost(Duration.ofSeconds(20)).until(() -> !tooOld.frames("resumed").isEmpty());
            assertThat(tooOld.frames("resumed").get(0).get("recovered").asBoolean()).isFalse();
        }
    }
}
