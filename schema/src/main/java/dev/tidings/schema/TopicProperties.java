package dev.tidings.schema;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code tidings.topic.*} settings every service reads the same way: which topic carries the
 * notifications, and how it is created (with its dead-letter topic) by whichever service starts
 * first. One set of keys, so the publisher and the gateways cannot disagree on the topic's shape.
 *
 * @param name the notifications topic ({@code TIDINGS_TOPIC})
 * @param partitions its partitions when created ({@code TIDINGS_TOPIC_PARTITIONS})
 * @param replicationFactor its replication factor when created
 * @param minInsyncReplicas its {@code min.insync.replicas} when created; 0 (the default) derives it
 *     from the replication factor ({@link TopicLayout#of})
 */
@ConfigurationProperties("tidings.topic")
public record TopicProperties(@DefaultValue(Topics.NOTIFICATIONS) String name, @DefaultValue("6") int partitions,
        @DefaultValue("1") short replicationFactor, @DefaultValue("0") short minInsyncReplicas) {

    public TopicProperties {
        require(name != null && !name.isBlank(), "tidings.topic.name (TIDINGS_TOPIC) must not be blank");
        require(partitions >= 1, "tidings.topic.partitions (TIDINGS_TOPIC_PARTITIONS) must be at least 1");
        require(replicationFactor >= 1, "tidings.topic.replication-factor must be at least 1");
        require(minInsyncReplicas >= 0 && minInsyncReplicas <= replicationFactor,
                "tidings.topic.min-insync-replicas must be between 0 (derived) and the replication factor");
    }

    /** How the topic and its dead-letter topic are created when missing. */
    public TopicLayout layout() {
        return TopicLayout.of(name, partitions, replicationFactor, minInsyncReplicas);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
