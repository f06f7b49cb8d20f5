package dev.tidings.gateway.warmup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.tidings.gateway.protocol.FrameEncoder;
import dev.tidings.gateway.routing.SkippingNotificationDeserializer;
import dev.tidings.schema.Address;
import dev.tidings.schema.Notification;
import dev.tidings.schema.TopicScan;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.BatchInterceptor;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.support.TopicPartitionOffset;

/**
 * The warm-up's replay of the notifications topic's most recent records: read as the node's live consumer reads
 * the topic (a Spring Kafka listener container, the live consumer's value deserializer, a batch listener), in
 * many small fetches, and read again from the start of that range each time a partition reaches its end, until
 * {@link #close closed}. Each record is decoded, addressed and framed as the live path does, and delivered to
 * nobody. The Kafka client's fetch path, its per-fetch metrics and the container's poll loop run thousands of
 * times on real records, so that the JIT compiles them before the node's live consumer needs them (one read of the
 * range in a few large fetches would leave the per-fetch code interpreted).
 *
 * <p>The consumer is assigned the partitions, in no group, and commits nothing; what it skips as poison is counted
 * in the warm-up's own meters. It fetches at most {@link #FETCH_BYTES_PER_PARTITION} per partition and polls at
 * most once a millisecond ({@link #POLL_INTERVAL}), a fetch rate of the order of a busy live consumer's.
 * (The container's own {@code idleBetweenPolls} sleeps in steps of 10 ms, too coarse for this.)
 * A topic with no records (a new deployment) has nothing to replay, and a restarted node finds what its deployment
 * published.
 *
 * <p>Thread-safe: {@link #start} and {@link #close} are called from the warm-up's thread, the counts are read from
 * any thread.
 */
final class RecentRecords implements AutoCloseable {

    /** Bytes one fetch takes from a partition: a handful of records, as a live fetch brings. */
    static final int FETCH_BYTES_PER_PARTITION = 2048;
    /** The shortest time from one of the replay's polls that brought records to the next. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(1);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    /** The longest the broker holds a fetch of the replay that finds no record. */
    static final Duration FETCH_MAX_WAIT = Duration.ofMillis(5);

    private final Map<String, Object> consumer;
    private final String topic;
    private final FrameEncoder frames;
    private final MeterRegistry meters;
    private final long pollIntervalNanos;
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong passes = new AtomicLong();
    private final AtomicLong polls = new AtomicLong();
    private volatile long range;
    private @Nullable KafkaMessageListenerContainer<String, Notification> container;

    /**
     * @param consumer the node's live consumer's settings (bootstrap servers, security, poll size): the replay
     *     reads as that consumer does, in no group, with its own deserializers and fetch sizes
     * @param meters the warm-up's own meters, where what the replay skips as poison is counted
     */
    RecentRecords(Map<String, Object> consumer, String topic, FrameEncoder frames, MeterRegistry meters) {
        this(consumer, topic, frames, meters, POLL_INTERVAL);
    }

    /** @param pollInterval the shortest time from one poll that brought records to the next */
    RecentRecords(Map<String, Object> consumer, String topic, FrameEncoder frames, MeterRegistry meters,
            Duration pollInterval) {
        this.pollIntervalNanos = pollInterval.toNanos();
        this.consumer = new HashMap<>(consumer);
        this.topic = topic;
        this.frames = frames;
        this.meters = meters;
    }

    /**
     * Starts replaying up to {@code max} of the topic's most recent records (the same share of each partition) on a
     * consumer thread of its own; looks the range up within {@code timeout}. Returns the number of records in the
     * range: {@code 0} when the topic has none, and nothing is started.
     */
    synchronized long start(int max, Duration timeout, String clientId) {
        Map<String, Object> config = TopicScan.readerConfig(consumer, clientId);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, FETCH_BYTES_PER_PARTITION);
        config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
        // A fetch in flight for a partition at the end of its range, sought back meanwhile, would otherwise hold
        // the next fetch for the live consumer's long poll.
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) FETCH_MAX_WAIT.toMillis());
        DefaultKafkaConsumerFactory<String, Notification> factory = new DefaultKafkaConsumerFactory<>(config,
                new StringDeserializer(), SkippingNotificationDeserializer.detached(meters));
        Map<TopicPartition, Long> starts = new HashMap<>();
        Map<TopicPartition, Long> ends = new HashMap<>();
        List<TopicPartitionOffset> assignment = new ArrayList<>();
        long count = 0;
        try (Consumer<String, Notification> lookup = factory.createConsumer()) {
            List<PartitionInfo> infos = lookup.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                return 0;
            }
            List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            Map<TopicPartition, Long> last = lookup.endOffsets(partitions, timeout);
            Map<TopicPartition, Long> first = lookup.beginningOffsets(partitions, timeout);
            long perPartition = Math.max(1, max / partitions.size());
            for (TopicPartition partition : partitions) {
                long end = last.getOrDefault(partition, 0L);
                long start = Math.max(first.getOrDefault(partition, 0L), end - perPartition);
                if (start < end) {
                    starts.put(partition, start);
                    ends.put(partition, end);
                    assignment.add(new TopicPartitionOffset(topic, partition.partition(), start));
                    count += end - start;
                }
            }
        }
        range = count;
        if (assignment.isEmpty()) {
            return 0;
        }
        ContainerProperties properties = new ContainerProperties(assignment.toArray(TopicPartitionOffset[]::new));
        properties.setMessageListener((BatchMessageListener<String, Notification>) this::frame);
        properties.setAckMode(ContainerProperties.AckMode.MANUAL);
        properties.setAssignmentCommitOption(ContainerProperties.AssignmentCommitOption.NEVER);
        properties.setPollTimeout(POLL_TIMEOUT.toMillis());
        KafkaMessageListenerContainer<String, Notification> replay = new KafkaMessageListenerContainer<>(factory,
                properties);
        replay.setBatchInterceptor(new Rewind(starts, ends));
        replay.setBeanName(clientId + "-recent");
        replay.start();
        container = replay;
        return count;
    }

    /** Records in the replayed range; 0 before {@link #start} or when the topic had none. */
    long range() {
        return range;
    }

    /** Records read so far, over every pass. */
    long read() {
        return read.get();
    }

    /** Times a partition was read to the end of its range and started again. */
    long passes() {
        return passes.get();
    }

    /** Polls so far that brought records. */
    long polls() {
        return polls.get();
    }

    /** Stops the replay, waiting for its consumer to close. */
    @Override
    public synchronized void close() {
        KafkaMessageListenerContainer<String, Notification> replay = container;
        container = null;
        if (replay != null) {
            replay.stop();
        }
    }

    private void frame(List<ConsumerRecord<String, Notification>> records) {
        for (int i = 0; i < records.size(); i++) {
            Notification notification = records.get(i).value();
            if (notification == null) {
                continue; // a poison record, skipped as the live path skips it
            }
            try {
                Address.of(notification.getTarget());
                frames.notification(notification);
            }
            catch (RuntimeException poison) {
                // A notification that cannot be framed: the live path skips it too.
            }
        }
        read.addAndGet(records.size());
    }

    /**
     * After each poll that brought records, on the consumer's thread: every partition whose position reached the
     * end of its range is sought back to the range's start (records appended since are read as they come, up to
     * the next seek), and the thread waits out the rest of the poll interval ({@link #POLL_INTERVAL}) since the
     * last such poll.
     */
    private final class Rewind implements BatchInterceptor<String, Notification> {

        private final Map<TopicPartition, Long> starts;
        private final Map<TopicPartition, Long> ends;
        private long lastPoll = System.nanoTime();

        Rewind(Map<TopicPartition, Long> starts, Map<TopicPartition, Long> ends) {
            this.starts = starts;
            this.ends = ends;
        }

        @Override
        public ConsumerRecords<String, Notification> intercept(ConsumerRecords<String, Notification> records,
                Consumer<String, Notification> consumer) {
            for (TopicPartition partition : records.partitions()) {
                if (consumer.position(partition) >= ends.get(partition)) {
                    consumer.seek(partition, starts.get(partition));
                    passes.incrementAndGet();
                }
            }
            polls.incrementAndGet();
            long wait = lastPoll + pollIntervalNanos - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            lastPoll = System.nanoTime();
            return records;
        }
    }
}
