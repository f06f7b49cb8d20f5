package dev.tidings.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tidings.router.engine.Router;
import dev.tidings.router.engine.RouterSettings;
import dev.tidings.router.routes.RoutesParser;
import dev.tidings.schema.TopicLayout;
import dev.tidings.testing.KafkaBrokerExtension;
import dev.tidings.testing.WsTestClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/** A product service's own JSON topic, routed by the router, reaches WebSocket clients through a gateway. */
@ExtendWith(KafkaBrokerExtension.class)
class RoutedNotificationsIT {

    @Test
    void aRecordOnAProductTopicReachesTheUsersAndGroupsItsRouteNames() throws Exception {
        String source = "school.grades." + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(KafkaBrokerExtension.adminConfig())) {
            admin.createTopics(List.of(new NewTopic(source, 2, (short) 1))).all().get();
        }
        try (LocalCluster cluster = new LocalCluster(1);
                Router router = new Router(RoutesParser.parse("""
                        routes:
                          - name: grades
                            topic: %s
                            filter: "$.status == 'final'"
                            event: grade.published
                            target: {type: user, ids: "$.studentId"}
                            payload: {course: "$.course", grade: "$.grade"}
                            start: earliest
                          - name: class-news
                            topic: %s
                            event: "class.${$.status}"
                            target: {type: group, ids: "$.classId"}
                            start: earliest
                        """.formatted(source, source), "e2e routes"), new RouterSettings(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerExtension.bootstrapServers()),
                        TopicLayout.of(cluster.topic(), 6, (short) 1, (short) 0), 65536, Duration.ofMillis(100),
                        Duration.ofSeconds(1)), new SimpleMeterRegistry());
                KafkaProducer<String, String> service = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerExtension.bootstrapServers()),
                        new StringSerializer(), new StringSerializer())) {
            router.start();
            WsTestClient alice = connect(cluster, "alice");
            WsTestClient bob = connect(cluster, "bob");
            WsTestClient carol = connect(cluster, "carol", "Class:201901");

            service.send(new ProducerRecord<>(source, "g1", """
                    {"status":"final","studentId":"alice","classId":"Class:201901","course":"math","grade":"A"}"""))
                    .get();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(alice.frames("notification")).hasSize(1);
                assertThat(carol.frames("notification")).hasSize(1);
            });
            JsonNode toAlice = alice.frames("notification").get(0);
            assertThat(toAlice.get("event").asString()).isEqualTo("grade.published");
            assertThat(toAlice.get("payload").get("grade").asString()).isEqualTo("A");
            assertThat(toAlice.get("target").get("type").asString()).isEqualTo("user");
            assertThat(toAlice.get("cursor").asString()).isNotBlank();
            JsonNode toCarol = carol.frames("notification").get(0);
            assertThat(toCarol.get("event").asString()).isEqualTo("class.final");
            assertThat(toCarol.get("payload").get("course").asString()).isEqualTo("math");
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(bob.frames("notification")).as("bob is neither the student nor in the class").isEmpty());
            List.of(alice, bob, carol).forEach(WsTestClient::close);
        }
    }

    private static WsTestClient connect(LocalCluster cluster, String user, String... groups) {
        WsTestClient client = WsTestClient.connect(user, cluster.gatewayPort(0), cluster.token(user, groups));
        await().atMost(Duration.ofSeconds(10)).until(() -> !client.frames("welcome").isEmpty());
        return client;
    }
}
