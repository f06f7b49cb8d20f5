package dev.tidings.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tidings.testing.KafkaBrokerExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * SIGTERM to a gateway node in its own OS process, as an orchestrator stops it: its clients are
 * closed with 1013 (reconnect elsewhere), and its consumer group has committed exactly what it
 * dispatched, so the node restarts where it stopped.
 */
@ExtendWith(KafkaBrokerExtension.class)
class GracefulShutdownIT {

    static final int NOTICES = 30;
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void sigtermClosesEveryClientWith1013AfterCommittingWhatWasDispatched() throws Exception {
        String nodeId = "gw-term-" + UUID.randomUUID().toString().substring(0, 8);
        List<RawWebSocket> clients = new ArrayList<>();
        try (LocalCluster cluster = new LocalCluster(0);
                GatewayProcess gateway = cluster.startGatewayProcess(nodeId)) {
            // Raw clients: they report the close code as sent (Tomcat's client turns 1013 into 1002).
            for (String user : List.of("alice", "bob", "carol")) {
                RawWebSocket client = RawWebSocket.connect(gateway.port(), cluster.token(user, "Class:201901"), 0,
                        Map.of()).startReading();
                clients.add(client);
                await().atMost(Duration.ofSeconds(10)).until(() -> !frames(client, "welcome").isEmpty());
            }
            List<String> published = new ArrayList<>();
            for (int i = 0; i < NOTICES; i++) {
                String target = switch (i % 3) {
                    case 0 -> "{\"type\":\"broadcast\"}";
                    case 1 -> "{\"type\":\"group\",\"ids\":[\"Class:201901\"]}";
                    default -> "{\"type\":\"user\",\"ids\":[\"alice\",\"bob\",\"carol\"]}";
                };
                published.add(cluster.publish(target, "before.shutdown", "{\"n\":" + i + "}").get("id").asString());
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                for (RawWebSocket client : clients) {
                    assertThat(frames(client, "notification")).containsAll(published);
                }
            });

            long started = System.nanoTime();
            gateway.terminate(Duration.ofSeconds(60));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            for (RawWebSocket client : clients) {
                assertThat(client.closeCode()).as("close code").succeedsWithin(Duration.ofSeconds(5)).isEqualTo(1013);
            }
            assertThat(took).as("shutdown within the graceful phase timeout").isLessThan(Duration.ofSeconds(30));
            assertThat(gateway.log()).contains("drained");
            try (Admin admin = Admin.create(KafkaBrokerExtension.adminConfig())) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin
                        .listConsumerGroupOffsets("tidings-gateway-" + nodeId).partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(List.of(cluster.topic())).allTopicNames().get().get(cluster.topic())
                        .partitions().forEach(p -> latest.put(new TopicPartition(cluster.topic(), p.partition()),
                                OffsetSpec.latest()));
                long recordsWritten = 0;
                for (var end : admin.listOffsets(latest).all().get().entrySet()) {
                    OffsetAndMetadata offset = committed.get(end.getKey());
                    long committedOffset = offset == null ? 0 : offset.offset();
                    recordsWritten += end.getValue().offset();
                    assertThat(committedOffset).as("committed offset of %s", end.getKey())
                            .isEqualTo(end.getValue().offset());
                }
                // A third each: broadcast (1 record), group (1 record), three users (1 record each).
                assertThat(recordsWritten).as("records the node dispatched").isEqualTo(NOTICES / 3 * (1 + 1 + 3));
            }
        }
        finally {
            clients.forEach(RawWebSocket::close);
        }
    }

    /** The frames of one type a raw client read, by {@code id} for notifications and type otherwise. */
    private static List<String> frames(RawWebSocket client, String type) {
        List<String> found = new ArrayList<>();
        for (String text : client.texts()) {
            JsonNode frame = JSON.readTree(text);
            if (type.equals(frame.path("type").asString(""))) {
                found.add(frame.has("id") ? frame.get("id").asString() : type);
            }
        }
        return found;
    }
}
