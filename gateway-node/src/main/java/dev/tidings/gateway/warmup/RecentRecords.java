package dev.tidings.gateway.warmup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.tidings.gateway.protocol.FrameEncoder;
import dev.tidings.schema.Address;
import dev.tidings.schema.Notification;
import dev.tidings.schema.NotificationDeserializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;

/**
 * The warm-up's read of the notifications topic: its most recent records, at most a given count and
 * {@link #MAX_BYTES} of values over all partitions, with a consumer of its own (assigned, no group, nothing committed), each decoded, addressed and
 * framed as the live path does, and delivered to nobody. The Kafka client's fetch and record decoding then
 * compile on real records before the node's live consumer needs them; a topic with no records (a new
 * deployment) has nothing to read, and a restarted node finds what its deployment published.
 *
 * <p>Confined to the warm-up's thread.
 */
final class RecentRecords {

    /** Most bytes of record values one read takes, whatever the count asked for. */
    static final long MAX_BYTES = 16L * 1024 * 1024;

    private final Map<String, Object> consumer;
    private final String topic;
    private final FrameEncoder frames;
    private final NotificationDeserializer deserializer = new NotificationDeserializer();

    /**
     * @param consumer the node's Kafka consumer settings (bootstrap servers, security); the group and the
     *     deserializers are set here
     */
    RecentRecords(Map<String, Object> consumer, String topic, FrameEncoder frames) {
        this.consumer = new HashMap<>(consumer);
        this.consumer.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        this.consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        this.consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        this.consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        this.topic = topic;
        this.frames = frames;
    }

    /** Reads and frames up to {@code max} of the most recent records within {@code timeout}; returns how many. */
    long read(int max, Duration timeout, String clientId) {
        Map<String, Object> config = new HashMap<>(consumer);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        long deadline = System.nanoTime() + timeout.toNanos();
        long read = 0;
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(config)) {
            List<PartitionInfo> infos = reader.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                return 0;
            }
            List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            reader.assign(partitions);
            Map<TopicPartition, Long> ends = reader.endOffsets(partitions, timeout);
            Map<TopicPartition, Long> starts = reader.beginningOffsets(partitions, timeout);
            long perPartition = Math.max(1, max / partitions.size());
            for (TopicPartition partition : partitions) {
                long end = ends.getOrDefault(partition, 0L);
                reader.seek(partition, Math.max(starts.getOrDefault(partition, 0L), end - perPartition));
            }
            long bytes = 0;
            while (bytes < MAX_BYTES && System.nanoTime() < deadline && !atEnd(reader, partitions, ends)) {
                for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
                    read++;
                    bytes += Math.max(0, record.serializedValueSize());
                    frame(record.value());
                }
            }
        }
        return read;
    }

    private static boolean atEnd(KafkaConsumer<String, byte[]> reader, List<TopicPartition> partitions,
            Map<TopicPartition, Long> ends) {
        for (TopicPartition partition : partitions) {
            if (reader.position(partition) < ends.getOrDefault(partition, 0L)) {
                return false;
            }
        }
        return true;
    }

    private void frame(byte @Nullable [] value) {
        if (value == null) {
            return;
        }
        try {
            Notification notification = deserializer.deserialize(topic, value);
            Address.of(notification.getTarget());
            frames.notification(notification);
        }
        catch (RuntimeException notANotification) {
            // A poison record: the live path skips it too.
        }
    }
}
