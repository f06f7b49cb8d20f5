package dev.tidings.router.it;

import static dev.tidings.router.it.Kafka.notifications;
import static dev.tidings.router.it.Kafka.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import dev.tidings.router.engine.DeadLetters;
import dev.tidings.router.engine.RecordRouter;
import dev.tidings.router.engine.Router;
import dev.tidings.schema.Notification;
import dev.tidings.schema.Address;
import dev.tidings.schema.TargetType;
import dev.tidings.testing.KafkaBrokerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.kafka.support.KafkaHeaders;
import tools.jackson.databind.json.JsonMapper;

@ExtendWith(KafkaBrokerExtension.class)
class RouterIT {

    static final JsonMapper JSON = JsonMapper.builder().build();

    final String id = UUID.randomUUID().toString().substring(0, 8);
    final String source = "school.grades." + id;
    final String notificationsTopic = "router-it-" + id;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void jsonRecordsBecomeNotificationsKeyedAndSplitAsThePublisherWritesThem() {
        Kafka.createTopic(source, 3);
        List<String> values = IntStream.range(0, 30).mapToObj(i -> """
                {"status":"%s","students":["s%d","s%d"],"course":"math","n":%d}"""
                .formatted(i % 3 == 0 ? "draft" : "final", i, i + 100, i)).toList();
        produce(source, values);

        try (Router router = Kafka.router("""
                routes:
                  - name: grades-%s
                    topic: %s
                    filter: "$.status == 'final'"
                    event: grade.published
                    target: {type: user, ids: "$.students"}
                    payload: {course: "$.course", n: "$.n"}
                    expires-after: 1h
                    start: earliest
                """.formatted(id, source), notificationsTopic, meters)) {

            await().atMost(Duration.ofSeconds(60)).until(() -> notifications(notificationsTopic).size() >= 40);
            List<ConsumerRecord<String, Notification>> written = notifications(notificationsTopic);

            assertThat(written).hasSize(40);
            for (ConsumerRecord<String, Notification> record : written) {
                Notification n = record.value();
                assertThat(n.getTarget().getType()).isEqualTo(TargetType.USER);
                assertThat(n.getTarget().getIds()).hasSize(1);
                assertThat(record.key()).isEqualTo(Address.user(n.getTarget().getIds().get(0)).routingKey());
                assertThat(n.getEvent()).isEqualTo("grade.published");
                assertThat(n.getExpiresAt()).isEqualTo(n.getPublishedAt().plus(Duration.ofHours(1)));
                assertThat(n.getSource()).isEqualTo("router:grades-" + id);
                int i = JSON.readTree(n.getPayload()).get("n").asInt();
                assertThat(i % 3).as("draft grades are filtered out").isNotZero();
                assertThat(n.getTarget().getIds().get(0)).isIn("s" + i, "s" + (i + 100));
                assertThat(JSON.readTree(n.getPayload()).get("course").asString()).isEqualTo("math");
            }
            assertThat(written.stream().map(r -> r.value().getId()).distinct()).hasSize(20);
            await().untilAsserted(() -> {
                assertThat(router.metrics("grades-" + id).lag()).isZero();
                assertThat(meters.get("tidings.router.records.in").tag("route", "grades-" + id).counter().count())
                        .isEqualTo(30);
                assertThat(meters.get("tidings.router.records.routed").counter().count()).isEqualTo(20);
                assertThat(meters.get("tidings.router.records.filtered").counter().count()).isEqualTo(10);
                assertThat(meters.get("tidings.router.notifications").counter().count()).isEqualTo(40);
            });
        }
    }

    @Test
    void recordsThatCannotBeRoutedGoToTheDeadLetterTopicWithTheReasonAndTheRouteGoesOn() {
        Kafka.createTopic(source, 1);
        String route = "dlq-" + id;
        try (Router router = Kafka.router("""
                routes:
                  - name: %s
                    topic: %s
                    event: "${$.type}"
                    target: {type: group, ids: "$.classId"}
                    start: earliest
                """.formatted(route, source), notificationsTopic, meters)) {
            produce(source, List.of(
                    "{\"type\":\"grade.published\",\"classId\":\"Class:1\"}",
                    "not json at all",
                    "{\"type\":\"grade.published\"}",
                    "{\"type\":\"grade.published\",\"classId\":\"Class:2\"}"));

            await().atMost(Duration.ofSeconds(60)).until(() -> notifications(notificationsTopic).size() >= 2
                    && Kafka.raw("tidings.router." + route + ".dlq").size() >= 2);

            assertThat(notifications(notificationsTopic)).extracting(ConsumerRecord::key)
                    .containsExactlyInAnyOrder("group:Class:1", "group:Class:2");
            List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>(Kafka.raw("tidings.router." + route + ".dlq"));
            dead.sort(java.util.Comparator.comparingLong(r -> ByteBuffer.wrap(
                    r.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET).value()).getLong()));
            assertThat(dead).hasSize(2);
            assertThat(header(dead.get(0), DeadLetters.REASON)).isEqualTo("undecodable");
            assertThat(header(dead.get(1), DeadLetters.REASON)).isEqualTo("missing-field");
            assertThat(header(dead.get(1), KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains("classId");
            assertThat(header(dead.get(1), DeadLetters.ROUTE)).isEqualTo(route);
            assertThat(header(dead.get(1), KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo(source);
            assertThat(ByteBuffer.wrap(dead.get(1).headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET).value())
                    .getLong()).isEqualTo(2);
            assertThat(dead.get(1).topic()).isEqualTo("tidings.router." + route + ".dlq");
            assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("not json at all");
            assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("k1");
            await().untilAsserted(() -> assertThat(meters.get("tidings.router.records.dead.lettered").counter()
                    .count()).isEqualTo(2));
        }
    }

    @Test
    void aTopicCreatedAfterThePatternRouteStartedIsReadFromItsFirstRecord() {
        String early = source + ".early";
        Kafka.createTopic(early, 1);
        produce(early, List.of("{\"n\":\"before-start\"}"));
        try (Router router = Kafka.router("""
                routes:
                  - name: pattern-%s
                    topic-pattern: "%s\\\\..*"
                    event: e
                    target: {type: broadcast}
                    start: latest
                """.formatted(id, source.replace(".", "\\\\.")), notificationsTopic, meters)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Kafka.committed("tidings-router.pattern-" + id)
                    .containsKey(new org.apache.kafka.common.TopicPartition(early, 0)));
            produce(early, List.of("{\"n\":\"after-start\"}"));
            String late = source + ".late";
            Kafka.createTopic(late, 2);
            produce(late, List.of("{\"n\":\"late-1\"}", "{\"n\":\"late-2\"}"));

            await().atMost(Duration.ofSeconds(60)).until(() -> notifications(notificationsTopic).size() >= 3);

            assertThat(notifications(notificationsTopic)).extracting(r -> r.value().getPayload())
                    .containsExactlyInAnyOrder("{\"n\":\"after-start\"}", "{\"n\":\"late-1\"}", "{\"n\":\"late-2\"}");
        }
    }

    @Test
    void aRouteRestartedGracefullyContinuesFromItsCommittedOffsetsWithoutACopy() {
        Kafka.createTopic(source, 3);
        String routes = """
                routes:
                  - name: restart-%s
                    topic: %s
                    event: e
                    target: {type: user, ids: "$.u"}
                    start: earliest
                """.formatted(id, source);
        String group = "tidings-router.restart-" + id;
        List<String> first = IntStream.range(0, 500).mapToObj(i -> "{\"u\":\"user" + i + "\"}").toList();
        List<String> second = IntStream.range(500, 1000).mapToObj(i -> "{\"u\":\"user" + i + "\"}").toList();
        produce(source, first);
        try (Router router = Kafka.router(routes, notificationsTopic, meters)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> Kafka.committedTotal(group) == 500);
        }
        produce(source, second);
        try (Router router = Kafka.router(routes, notificationsTopic, new SimpleMeterRegistry())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> Kafka.committedTotal(group) == 1000);
        }

        List<ConsumerRecord<String, Notification>> written = notifications(notificationsTopic);
        Set<String> ids = new HashSet<>();
        written.forEach(r -> ids.add(r.value().getId()));
        assertThat(written).hasSize(1000);
        assertThat(ids).hasSize(1000);
        List<String> users = new ArrayList<>();
        written.forEach(r -> users.add(r.value().getTarget().getIds().get(0)));
        assertThat(users).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, 1000).mapToObj(i -> "user" + i).toList());
    }

    @Test
    void aRouteStartingAtAnInstantSkipsWhatWasWrittenBefore() throws Exception {
        Kafka.createTopic(source, 2);
        produce(source, List.of("{\"n\":\"old-1\"}", "{\"n\":\"old-2\"}", "{\"n\":\"old-3\"}"));
        // Record timestamps are in milliseconds: the instant must fall strictly between the two writes.
        java.time.Instant start = nextMillisecond(java.time.Instant.now());
        nextMillisecond(start);
        produce(source, List.of("{\"n\":\"new-1\"}", "{\"n\":\"new-2\"}"));

        try (Router router = Kafka.router("""
                routes:
                  - name: instant-%s
                    topic: %s
                    event: e
                    target: {type: broadcast}
                    start: %s
                """.formatted(id, source, start), notificationsTopic, meters)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> Kafka.committedTotal("tidings-router.instant-" + id)
                    == 5);

            assertThat(notifications(notificationsTopic)).extracting(r -> r.value().getPayload())
                    .containsExactlyInAnyOrder("{\"n\":\"new-1\"}", "{\"n\":\"new-2\"}");
        }
    }

    @Test
    void derivedIdsNameTheRouteTopicPartitionAndOffset() {
        assertThat(RecordRouter.derivedId("a", "t", 0, 1)).isNotEqualTo(RecordRouter.derivedId("b", "t", 0, 1))
                .isNotEqualTo(RecordRouter.derivedId("a", "t", 1, 1))
                .isEqualTo(RecordRouter.derivedId("a", "t", 0, 1));
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Waits until the clock has passed {@code instant}'s millisecond, and answers the time then. */
    private static java.time.Instant nextMillisecond(java.time.Instant instant) {
        long millisecond = instant.toEpochMilli();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(1))
                .until(() -> java.time.Instant.now().toEpochMilli() > millisecond);
        return java.time.Instant.now();
    }
}
