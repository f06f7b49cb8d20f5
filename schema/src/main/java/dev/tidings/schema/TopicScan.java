package dev.tidings.schema;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a bounded range of a topic once, outside any consumer group: each partition from its
 * {@code from} offset up to, not including, its {@code to} offset. The consumer is assigned the
 * partitions it needs, seeks each once, and pauses each as it reaches its end, so a scan fetches
 * nothing past its range. Records are handed over in each partition's offset order; partitions
 * interleave. How the resume catch-up and the operator replay read Kafka.
 *
 * <p>A range that begins before the oldest record Kafka still holds is read from that record, and
 * the scan says so ({@link Result#truncated}); a partition not read to its end before the timeout
 * is named ({@link Result#unfinished}). The scan ends early when the visitor answers false or
 * {@code cancelled} turns true (looked at between polls).
 */
public final class TopicScan {

    /** How long one poll waits for records: also how soon a cancellation is seen. */
    private static final Duration POLL = Duration.ofMillis(200);

    /** Takes one record of the range; answers false to end the scan there. */
    @FunctionalInterface
    public interface Visitor<K, V> {
        boolean visit(ConsumerRecord<K, V> record);
    }

    /**
     * How a scan ended.
     *
     * @param stopped the visitor or the caller ended it before the end of its range
     * @param unfinished partitions not read to their end before the timeout
     * @param truncated partitions whose range began before the oldest record Kafka holds, with that
     *     record's offset: what lay before it is gone
     */
    public record Result(boolean stopped, Set<TopicPartition> unfinished, Map<TopicPartition, Long> truncated) {

        public Result {
            unfinished = Set.copyOf(unfinished);
            truncated = Map.copyOf(truncated);
        }

        /** Whether every record of the range was read. */
        public boolean complete() {
            return !stopped && unfinished.isEmpty() && truncated.isEmpty();
        }
    }

    private TopicScan() {
    }

    /**
     * The configuration of a scanning consumer made from a service's consumer configuration: no
     * group, no commits, its own client id.
     */
    public static Map<String, Object> readerConfig(Map<String, Object> base, String clientId) {
        Map<String, Object> config = new HashMap<>(base);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return config;
    }

    /**
     * Reads each partition of {@code from} from its offset up to its offset in {@code to} (a partition
     * missing from {@code to} is not read), handing each record to the visitor on the calling thread.
     */
    public static <K, V> Result scan(Consumer<K, V> consumer, Map<TopicPartition, Long> from,
            Map<TopicPartition, Long> to, Duration timeout, BooleanSupplier cancelled, Visitor<K, V> visitor) {
        long started = System.nanoTime();
        long budget = nanos(timeout);
        List<TopicPartition> needed = new ArrayList<>();
        from.forEach((tp, start) -> {
            if (start < to.getOrDefault(tp, Long.MIN_VALUE)) {
                needed.add(tp);
            }
        });
        if (needed.isEmpty()) {
            return new Result(false, Set.of(), Map.of());
        }
        consumer.assign(needed);
        Map<TopicPartition, Long> oldest = consumer.beginningOffsets(needed, timeout);
        Map<TopicPartition, Long> truncated = new HashMap<>();
        for (TopicPartition tp : needed) {
            long first = oldest.getOrDefault(tp, 0L);
            if (from.get(tp) < first) {
                truncated.put(tp, first);
            }
            consumer.seek(tp, Math.max(from.get(tp), first));
        }
        List<TopicPartition> open = new ArrayList<>(needed);
        closeFinished(consumer, open, to);
        while (!open.isEmpty() && System.nanoTime() - started < budget) {
            if (cancelled.getAsBoolean()) {
                return new Result(true, Set.of(), truncated);
            }
            for (ConsumerRecord<K, V> record : consumer.poll(POLL)) {
                Long end = to.get(new TopicPartition(record.topic(), record.partition()));
                if (end != null && record.offset() < end && !visitor.visit(record)) {
                    return new Result(true, Set.of(), truncated);
                }
            }
            closeFinished(consumer, open, to);
        }
        return new Result(false, Set.copyOf(open), truncated);
    }

    /** Pauses and drops the partitions whose position reached their end. */
    private static void closeFinished(Consumer<?, ?> consumer, List<TopicPartition> open,
            Map<TopicPartition, Long> to) {
        open.removeIf(tp -> {
            if (consumer.position(tp) >= to.get(tp)) {
                consumer.pause(List.of(tp));
                return true;
            }
            return false;
        });
    }

    private static long nanos(Duration timeout) {
        try {
            return timeout.toNanos();
        }
        catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
