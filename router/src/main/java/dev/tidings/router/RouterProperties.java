package dev.tidings.router;

import java.nio.file.Path;
import java.time.Duration;

import dev.tidings.schema.NotificationRules;
import dev.tidings.schema.TopicLayout;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the router service, bound from {@code tidings.router.*}.
 *
 * @param routesFile the routes file; checked at start, the service does not start with a mistake in it
 * @param topic the notifications topic
 * @param partitions its partitions when the router creates it (and the routes' dead-letter topics)
 * @param replicationFactor their replication factor when the router creates them
 * @param minInsyncReplicas their {@code min.insync.replicas}; 0 derives it ({@link TopicLayout#of})
 * @param maxPayloadBytes largest notification payload; keep it equal to the publisher's
 *     {@code tidings.publisher.max-payload-bytes}
 * @param pollTimeout longest one poll of a route's consumer waits
 * @param topicRefresh how often a route looks for new topics matching its {@code topic-pattern}
 */
@ConfigurationProperties("tidings.router")
public record RouterProperties(
        Path routesFile,
        @DefaultValue("tidings.notifications") String topic,
        @DefaultValue("6") int partitions,
        @DefaultValue("1") short replicationFactor,
        @DefaultValue("0") short minInsyncReplicas,
        @DefaultValue("" + NotificationRules.DEFAULT_MAX_PAYLOAD_BYTES) int maxPayloadBytes,
        @DefaultValue("500ms") Duration pollTimeout,
        @DefaultValue("5s") Duration topicRefresh) {

    /** How the notifications topic and the dead-letter topics are laid out when the router creates them. */
    public TopicLayout topicLayout() {
        return TopicLayout.of(topic, partitions, replicationFactor, minInsyncReplicas);
    }
}
