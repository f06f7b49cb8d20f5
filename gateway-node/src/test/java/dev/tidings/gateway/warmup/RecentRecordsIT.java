package dev.tidings.gateway.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.tidings.gateway.protocol.FrameEncoder;
import dev.tidings.schema.Notification;
import dev.tidings.schema.NotificationSerializer;
import dev.tidings.schema.Target;
import dev.tidings.schema.TargetType;
import dev.tidings.testing.KafkaBrokerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The warm-up's replay reads the topic's most recent records over and over, as the live consumer would, until it
 * is closed: no group, nothing committed, poison counted only in the warm-up's meters.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RecentRecordsIT {

    private static final int PARTITIONS = 3;
    private static final NotificationSerializer SERIALIZER = new NotificationSerializer();

    @Test
    void replaysTheMostRecentRecordsOfEveryPartitionPassAfterPassUntilClosed() throws Exception {
        String topic = "recent-" + UUID.randomUUID();
        createTopic(topic);
        // 30 records per partition, partition 0's with a 1 KB payload (a 2 KB fetch brings one or two of them),
        // the others' with 16 B, then a record per partition that is not a notification at all.
        try (KafkaProducer<String, byte[]> producer = producer(Map.of())) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (int n = 0; n < 30 * PARTITIONS; n++) {
                sends.add(producer.send(new ProducerRecord<>(topic, n % PARTITIONS, "user-" + n,
                        notification(topic, "user-" + n, n % 3 == 0 ? 1024 : 16))));
            }
            for (int p = 0; p < PARTITIONS; p++) {
                sends.add(producer.send(new ProducerRecord<>(topic, p, "poison",
                        "{}".getBytes(StandardCharsets.UTF_8))));
            }
            sent(sends);
        }
        Set<String> groupsBefore = groups();
        SimpleMeterRegistry warmUpMeters = new SimpleMeterRegistry();
        RecentRecords recent = new RecentRecords(liveConsumerSettings(), topic, new FrameEncoder(), warmUpMeters);

        long range;
        try (recent) {
            range = recent.start(60, Duration.ofSeconds(10), "warm-up-test");

            // 60 asked of 3 partitions: the last 20 of each, the poison record among them.
            assertThat(range).isEqualTo(60);
            await().atMost(Duration.ofSeconds(30)).until(() -> recent.passes() >= 10 * PARTITIONS);
        }
        long read = recent.read();
        assertThat(read).as("every pass reads every record of the range").isGreaterThanOrEqualTo(10 * range);
        assertThat(warmUpMeters.get("tidings.gateway.poison.records").counter().count())
                .as("the poison records, once per pass, in the warm-up's own meters")
                .isGreaterThanOrEqualTo(10 * PARTITIONS);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> recent.read() == read);
        assertThat(groups()).as("consumer groups on the broker: the replay joined none, committed nothing")
                .isEqualTo(groupsBefore);
    }

    @Test
    void pollsAtMostOncePerPollInterval() throws Exception {
        String topic = "recent-paced-" + UUID.randomUUID();
        createTopic(topic);
        // 300 records per partition, each a batch of its own: a 2 KB fetch brings a few of them, so the replay
        // polls many times per pass, as fast as the broker answers unless paced.
        try (KafkaProducer<String, byte[]> producer = producer(Map.of(ProducerConfig.BATCH_SIZE_CONFIG, 0))) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (int n = 0; n < 300 * PARTITIONS; n++) {
                sends.add(producer.send(new ProducerRecord<>(topic, n % PARTITIONS, "user-" + n,
                        notification(topic, "user-" + n, 256))));
            }
            sent(sends);
        }
        // An interval longer than a fetch from a broker on loopback takes, so that the pacing is what bounds them.
        Duration interval = Duration.ofMillis(20);
        RecentRecords recent = new RecentRecords(liveConsumerSettings(), topic, new FrameEncoder(),
                new SimpleMeterRegistry(), interval);

        long started = System.nanoTime();
        try (recent) {
            assertThat(recent.start(1000, Duration.ofSeconds(10), "warm-up-paced")).isEqualTo(300 * PARTITIONS);
            await().atMost(Duration.ofSeconds(30)).until(() -> recent.polls() >= 50);
        }
        long elapsedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis() + 1;

        assertThat(recent.polls()).as("polls that brought records in %d ms, at most one per %s", elapsedMillis,
                interval).isLessThanOrEqualTo(elapsedMillis / interval.toMillis() + 1);
    }

    @Test
    void aTopicWithNoRecordsHasNothingToReplay() throws Exception {
        String topic = "recent-empty-" + UUID.randomUUID();
        createTopic(topic);
        try (RecentRecords recent = new RecentRecords(liveConsumerSettings(), topic, new FrameEncoder(),
                new SimpleMeterRegistry())) {

            assertThat(recent.start(100, Duration.ofSeconds(10), "warm-up-empty")).isZero();
            assertThat(recent.read()).isZero();
        }
    }

    /** Settings as the node's live consumer has them: its group and static member id among them. */
    private static Map<String, Object> liveConsumerSettings() {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerExtension.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "tidings-gateway-recent-test",
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "recent-test-node",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
    }

    private static Set<String> groups() throws Exception {
        try (Admin admin = Admin.create(KafkaBrokerExtension.adminConfig())) {
            return admin.listGroups().all().get().stream().map(GroupListing::groupId).collect(Collectors.toSet());
        }
    }

    private static void createTopic(String topic) throws Exception {
        try (Admin admin = Admin.create(KafkaBrokerExtension.adminConfig())) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        }
    }

    /**
     * A producer of serialized values to the test broker, with {@code settings} besides its bootstrap servers, whose
     * records all land: one request in flight, because a fresh topic's first produce may meet
     * NOT_LEADER_OR_FOLLOWER, and retried behind later batches it left this idempotent producer's sequence behind
     * the broker's (OutOfOrderSequenceException on every retry until the delivery timeout dropped the records).
     * Each test checks its sends with {@link #sent}.
     */
    private static KafkaProducer<String, byte[]> producer(Map<String, Object> settings) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerExtension.bootstrapServers());
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** Waits for every send to be acknowledged; fails the test on the first that was not. */
    private static void sent(List<Future<RecordMetadata>> sends) throws Exception {
        for (Future<RecordMetadata> send : sends) {
            send.get(60, TimeUnit.SECONDS);
        }
    }

    /** A user notification with a payload of about {@code payloadBytes}, serialized as the publisher writes it. */
    private static byte[] notification(String topic, String user, int payloadBytes) {
        return SERIALIZER.serialize(topic, Notification.newBuilder()
                .setId(UUID.randomUUID().toString())
                .setEvent("e")
                .setTarget(Target.newBuilder().setType(TargetType.USER).setIds(List.of(user)).build())
                .setPayload("{\"text\":\"" + "x".repeat(payloadBytes) + "\"}")
                .setPublishedAt(Instant.now())
                .setSource("test")
                .build());
    }
}
