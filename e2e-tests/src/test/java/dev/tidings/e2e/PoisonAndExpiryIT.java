package dev.tidings.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import dev.tidings.schema.Notification;
import dev.tidings.schema.NotificationSerializer;
import dev.tidings.schema.Target;
import dev.tidings.schema.TargetType;
import dev.tidings.testing.KafkaBrokerExtension;
import dev.tidings.testing.WsTestClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Records that other producers write straight to the topic: garbage bytes go to the dead-letter
 * topic with the reason and their origin, and cost the records behind them nothing; a
 * notification whose {@code expiresAt} has passed is never delivered.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PoisonAndExpiryIT {

    static LocalCluster cluster;
    final List<WsTestClient> clients = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        cluster = new LocalCluster(1);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @AfterEach
    void disconnect() {
        clients.forEach(WsTestClient::close);
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicWithItsOriginAndTheNextRecordIsDelivered() throws Exception {
        WsTestClient alice = connect("alice");
        byte[] garbage = new byte[64];
        new Random(42).nextBytes(garbage);
        garbage[0] = 0x7F; // not the Avro single-object marker C3 01
        RecordMetadata poison;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(), new StringSerializer(),
                new ByteArraySerializer())) {
            poison = producer.send(new ProducerRecord<>(cluster.topic(), "broadcast", garbage)).get();
        }

        String good = cluster.publish("{\"type\":\"broadcast\"}", "after.poison", "{\"ok\":true}").get("id").asString();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(
                () -> assertThat(alice.notificationIds()).containsExactly(good));
        ConsumerRecord<byte[], byte[]> dead = findDeadLetter(garbage);
        assertThat(intHeader(dead, "kafka_dlt-original-partition")).isEqualTo(poison.partition());
        assertThat(longHeader(dead, "kafka_dlt-original-offset")).isEqualTo(poison.offset());
        assertThat(stringHeader(dead, "kafka_dlt-original-topic")).isEqualTo(cluster.topic());
        assertThat(stringHeader(dead, "kafka_dlt-exception-message")).as("the reason").isNotBlank();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                Scrape.metric(cluster.gatewayPort(0), "tidings_gateway_dead_letters_total")).isEqualTo(1.0));
    }

    @Test
    void aNotificationWhoseExpiryHasPassedIsNeverDelivered() throws Exception {
        WsTestClient bob = connect("bob");
        Instant now = Instant.now();
        String expiredId = "expired-" + UUID.randomUUID();
        Notification expired = Notification.newBuilder()
                .setId(expiredId)
                .setEvent("stale")
                .setTarget(new Target(TargetType.USER, List.of("bob")))
                .setPayload("{\"late\":true}")
                .setPublishedAt(now.minus(Duration.ofMinutes(10)))
                .setExpiresAt(now.minus(Duration.ofMinutes(1)))
                .setSource("e2e-direct-producer")
                .setReplayOf(null)
                .build();
        try (KafkaProducer<String, Notification> producer = new KafkaProducer<>(producerConfig(),
                new StringSerializer(), new NotificationSerializer())) {
            producer.send(new ProducerRecord<>(cluster.topic(), "user:bob", expired)).get();
        }

        // Same key, so the same partition: once the fence is in, the expired record was routed.
        String fence = cluster.publish("{\"type\":\"user\",\"ids\":[\"bob\"]}", "fence", "{}").get("id").asString();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(
                () -> assertThat(bob.notificationIds()).contains(fence));
        assertThat(bob.notificationIds()).containsExactly(fence).doesNotContain(expiredId);
        assertThat(Scrape.metric(cluster.gatewayPort(0), "tidings_gateway_expired_total")).isGreaterThanOrEqualTo(1.0);
    }

    private WsTestClient connect(String user) {
        WsTestClient client = WsTestClient.connect(user, cluster.gatewayPort(0), cluster.token(user));
        clients.add(client);
        await().atMost(Duration.ofSeconds(10)).until(() -> !client.frames("welcome").isEmpty());
        return client;
    }

    private ConsumerRecord<byte[], byte[]> findDeadLetter(byte[] value) {
        String dlq = cluster.topic() + ".dlq";
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerExtension.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(dlq).stream()
                    .map(p -> new TopicPartition(dlq, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (Arrays.equals(record.value(), value)) {
                        found.add(record);
                    }
                }
                return !found.isEmpty();
            });
            return found.get(0);
        }
    }

    private static Map<String, Object> producerConfig() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerExtension.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
    }

    private static byte[] header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header %s of the dead letter", name).isNotNull();
        return header.value();
    }

    private static int intHeader(ConsumerRecord<?, ?> record, String name) {
        return ByteBuffer.wrap(header(record, name)).getInt();
    }

    private static long longHeader(ConsumerRecord<?, ?> record, String name) {
        return ByteBuffer.wrap(header(record, name)).getLong();
    }

    private static String stringHeader(ConsumerRecord<?, ?> record, String name) {
        return new String(header(record, name), StandardCharsets.UTF_8);
    }
}
