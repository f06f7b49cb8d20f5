package dev.tidings.publisher.config;

import dev.tidings.schema.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/** Declares the notification topic and its dead-letter topic, created at start-up when missing. */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

    @Bean
    NewTopic notificationsTopic(PublisherProperties properties) {
        return TopicBuilder.name(properties.topic())
                .partitions(properties.partitions())
                .replicas(properties.replicationFactor())
                .build();
    }

    @Bean
    NewTopic deadLetterTopic(PublisherProperties properties) {
        return TopicBuilder.name(properties.topic().equals(Topics.NOTIFICATIONS) ? Topics.DEAD_LETTERS
                        : properties.topic() + ".dlq")
                .partitions(properties.partitions())
                .replicas(properties.replicationFactor())
                .build();
    }
}
