package dev.tidings.schema;

import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * How a notifications topic and its dead-letter topic are created when missing, by whichever
 * service starts first: the same partitions, replication factor and {@code min.insync.replicas} for
 * both, the dead-letter topic compacted (the gateways key it by the origin record's position, so a
 * second copy folds into the first) and still deleted after the retention.
 *
 * @param topic the notifications topic
 * @param partitions its partitions
 * @param replicationFactor its replication factor
 * @param minInsyncReplicas its {@code min.insync.replicas}, between 1 and the replication factor
 */
public record TopicLayout(String topic, int partitions, short replicationFactor, short minInsyncReplicas) {

    /** {@code cleanup.policy} of a topic whose last record per key is its state, still aged out. */
    public static final String COMPACT_AND_DELETE = TopicConfig.CLEANUP_POLICY_COMPACT + ","
            + TopicConfig.CLEANUP_POLICY_DELETE;

    public TopicLayout {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1");
        }
        if (replicationFactor < 1 || minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("min.insync.replicas must be between 1 and the replication factor");
        }
    }

    /**
     * The layout with {@code min.insync.replicas} as configured, or, for {@code 0}, one less than the
     * replication factor and at least 1 (2 for the usual 3): an {@code acks=all} write then survives
     * the loss of one replica and still fails rather than lands on a single copy.
     */
    public static TopicLayout of(String topic, int partitions, short replicationFactor, short minInsyncReplicas) {
        return new TopicLayout(topic, partitions, replicationFactor,
                minInsyncReplicas > 0 ? minInsyncReplicas : (short) Math.max(1, replicationFactor - 1));
    }

    /** The dead-letter topic of a notifications topic: its name with {@code .dlq} appended. */
    public static String deadLettersOf(String topic) {
        return topic + ".dlq";
    }

    /** The dead-letter topic's name. */
    public String deadLetterTopic() {
        return deadLettersOf(topic);
    }

    /** The notifications topic to create. */
    public NewTopic notifications() {
        return newTopic(topic, Map.of());
    }

    /** The dead-letter topic to create. */
    public NewTopic deadLetters() {
        return newTopic(deadLetterTopic(), Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, COMPACT_AND_DELETE));
    }

    /**
     * Another topic of the service laid out like the notifications topic (its partitions, replication
     * factor and {@code min.insync.replicas}), with {@code configs} on top.
     */
    public NewTopic newTopic(String name, Map<String, String> configs) {
        Map<String, String> all = new java.util.HashMap<>(configs);
        all.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Short.toString(minInsyncReplicas));
        return new NewTopic(name, partitions, replicationFactor).configs(all);
    }
}
