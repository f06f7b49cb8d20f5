package dev.tidings.publisher.config;

import java.util.Map;

import dev.tidings.schema.TopicLayout;
import dev.tidings.schema.TopicProperties;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Declares the notification topic, its dead-letter topic and the idempotency topic, created at
 * start-up when missing, with {@code min.insync.replicas} set from the replication factor; the
 * dead-letter topic is compacted (and still deleted after the retention), as the gateways key it by
 * the origin record's position.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TopicProperties.class)
class KafkaConfiguration {

    @Bean
    TopicLayout topicLayout(TopicProperties topic) {
        return topic.layout();
    }

    @Bean
    NewTopic notificationsTopic(TopicLayout layout) {
        return layout.notifications();
    }

    /**
     * The idempotency keys every replica shares: compacted (a key's last record is its state) and
     * deleted after twice {@code tidings.publisher.dedupe-window}, when no replica reads it any more.
     */
    @Bean
    NewTopic idempotencyTopic(PublisherProperties properties, TopicLayout layout) {
        long retention = Math.max(60_000L, 2 * properties.dedupeWindow().toMillis());
        return layout.newTopic(properties.idempotencyTopicOf(layout.topic()), Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicLayout.COMPACT_AND_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, String.valueOf(retention)));
    }

    @Bean
    NewTopic deadLetterTopic(TopicLayout layout) {
        return layout.deadLetters();
    }
}
