package dev.tidings.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.tidings.testing.KafkaBrokerExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A bounded read of a topic on a real broker: exactly its range, in order, and says what it could not read. */
@ExtendWith(KafkaBrokerExtension.class)
class TopicScanIT {

    private final String topic = "scan-" + UUID.randomUUID();

    @Test
    void readsEachPartitionFromItsStartUpToButNotIncludingItsEndInOffsetOrder() throws Exception {
        createWith(2, 10);
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        List<String> seen = new ArrayList<>();

        TopicScan.Result result;
        try (KafkaConsumer<String, String> consumer = consumer()) {
            result = TopicScan.scan(consumer, Map.of(p0, 3L, p1, 8L), Map.of(p0, 6L, p1, 10L), Duration.ofSeconds(30),
                    () -> false, record -> seen.add(record.partition() + ":" + record.value()));
        }

        assertThat(result.complete()).isTrue();
        assertThat(seen.stream().filter(s -> s.startsWith("0:")).toList()).containsExactly("0:3", "0:4", "0:5");
        assertThat(seen.stream().filter(s -> s.startsWith("1:")).toList()).containsExactly("1:8", "1:9");
    }

    @Test
    void aRangeThatBeganBeforeWhatKafkaStillHoldsIsReadFromItsOldestRecordAndSaysSo() throws Exception {
        createWith(1, 10);
        TopicPartition p0 = new TopicPartition(topic, 0);
        try (Admin admin = admin()) {
            admin.deleteRecords(Map.of(p0, RecordsToDelete.beforeOffset(4))).all().get();
        }
        List<String> seen = new ArrayList<>();

        TopicScan.Result result;
        try (KafkaConsumer<String, String> consumer = consumer()) {
            result = TopicScan.scan(consumer, Map.of(p0, 0L), Map.of(p0, 6L), Duration.ofSeconds(30), () -> false,
                    record -> seen.add(record.value()));
        }

        assertThat(seen).containsExactly("4", "5");
        assertThat(result.truncated()).containsEntry(p0, 4L);
        assertThat(result.complete()).isFalse();
    }

    @Test
    void theVisitorEndsTheScanWhereItSaysSo() throws Exception {
        createWith(1, 10);
        TopicPartition p0 = new TopicPartition(topic, 0);
        List<String> seen = new ArrayList<>();

        TopicScan.Result result;
        try (KafkaConsumer<String, String> consumer = consumer()) {
            result = TopicScan.scan(consumer, Map.of(p0, 0L), Map.of(p0, 10L), Duration.ofSeconds(30), () -> false,
                    record -> seen.add(record.value()) && seen.size() < 3);
        }

        assertThat(seen).containsExactly("0", "1", "2");
        assertThat(result.stopped()).isTrue();
    }

    @Test
    void aScanThatCannotReachItsEndBeforeTheTimeoutNamesThePartitionsItLeftUnfinished() throws Exception {
        createWith(1, 2);
        TopicPartition p0 = new TopicPartition(topic, 0);

        TopicScan.Result result;
        try (KafkaConsumer<String, String> consumer = consumer()) {
            // The end lies past the last record: nothing more is coming.
            result = TopicScan.scan(consumer, Map.of(p0, 0L), Map.of(p0, 5L), Duration.ofSeconds(1), () -> false,
                    record -> true);
        }

        assertThat(result.unfinished()).containsExactly(p0);
        assertThat(result.complete()).isFalse();
    }

    @Test
    void aCancelledScanEndsAtItsNextPoll() throws Exception {
        createWith(1, 2);
        TopicPartition p0 = new TopicPartition(topic, 0);
        AtomicBoolean cancelled = new AtomicBoolean();

        TopicScan.Result result;
        try (KafkaConsumer<String, String> consumer = consumer()) {
            result = TopicScan.scan(consumer, Map.of(p0, 0L), Map.of(p0, 5L), Duration.ofMinutes(5), cancelled::get,
                    record -> {
                        cancelled.set(true);
                        return true;
                    });
        }

        assertThat(result.stopped()).isTrue();
    }

    private void createWith(int partitions, int recordsEach) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerExtension.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            for (int p = 0; p < partitions; p++) {
                for (int i = 0; i < recordsEach; i++) {
                    producer.send(new ProducerRecord<>(topic, p, null, String.valueOf(i))).get();
                }
            }
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerExtension.bootstrapServers()));
    }

    private static KafkaConsumer<String, String> consumer() {
        Map<String, Object> config = TopicScan.readerConfig(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerExtension.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, "ignored"), "scan-test");
        assertThat(config).doesNotContainKey(ConsumerConfig.GROUP_ID_CONFIG);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }
}
