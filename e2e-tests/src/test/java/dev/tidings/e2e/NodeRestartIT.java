package dev.tidings.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.tidings.testing.KafkaBrokerExtension;
import dev.tidings.testing.WsTestClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A gateway stopped while notices are published resumes from its committed offsets when restarted. */
@ExtendWith(KafkaBrokerExtension.class)
class NodeRestartIT {

    @Test
    void aRestartedNodeResumesFromItsCommittedOffsetsAndItsClientsGetEverythingTheyMissed() throws Exception {
        try (LocalCluster cluster = new LocalCluster(1); Admin admin = Admin.create(KafkaBrokerExtension.adminConfig())) {
            WsTestClient before = WsTestClient.connect("alice", cluster.gatewayPort(0),
                    cluster.token("alice", "Class:201901"));
            String first = cluster.publish("{\"type\":\"user\",\"ids\":[\"alice\"]}", "e", "{}").get("id").asString();
            await().atMost(Duration.ofSeconds(10)).until(() -> before.notificationIds().contains(first));
            String cursor = before.lastCursor();
            before.close();

            cluster.stopGateway(0);
            List<String> missed = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String target = switch (i % 3) {
                    case 0 -> "{\"type\":\"user\",\"ids\":[\"alice\"]}";
                    case 1 -> "{\"type\":\"group\",\"ids\":[\"Class:201901\"]}";
                    default -> "{\"type\":\"broadcast\"}";
                };
                missed.add(cluster.publish(target, "while-down", "{\"n\":" + i + "}").get("id").asString());
            }
            String group = "tidings-gateway-" + cluster.nodeId(0);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            long committedTotal = committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
            long endTotal = endOffsets(admin, cluster.topic());
            assertThat(committedTotal).as("the stopped node has not consumed what came while it was down")
                    .isEqualTo(endTotal - missed.size());

            cluster.restartGateway(0);
            WsTestClient after = WsTestClient.connect("alice", cluster.gatewayPort(0),
                    cluster.token("alice", "Class:201901"), cursor);

            await().atMost(Duration.ofSeconds(20)).until(() -> !after.frames("resumed").isEmpty());
            assertThat(after.frames("resumed").get(0).get("recovered").asBoolean()).isTrue();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(
                    () -> assertThat(after.notificationIds()).containsExactlyInAnyOrderElementsOf(missed));
            for (int kind = 0; kind < 3; kind++) {
                List<String> sameTarget = new ArrayList<>();
                for (int i = kind; i < missed.size(); i += 3) {
                    sameTarget.add(missed.get(i));
                }
                assertThat(after.notificationIds().stream().filter(sameTarget::contains).toList())
                        .as("notices to one target arrive in publish order").containsExactlyElementsOf(sameTarget);
            }
            // Served from the node's rebuilt window: it re-read the missed records from its committed offsets.
            assertThat(prometheus(cluster.gatewayPort(0)))
                    .containsPattern("tidings_gateway_resumes_total\\{[^}]*outcome=\"window\"[^}]*\\} 1\\.0");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get().values().stream().mapToLong(OffsetAndMetadata::offset).sum())
                    .isEqualTo(endOffsets(admin, cluster.topic())));
            after.close();
        }
    }

    private static long endOffsets(Admin admin, String topic) throws Exception {
        var description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get().values().stream().mapToLong(i -> i.offset()).sum();
    }

    private static String prometheus(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
