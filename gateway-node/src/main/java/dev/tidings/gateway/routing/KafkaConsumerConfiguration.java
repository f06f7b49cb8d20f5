package dev.tidings.gateway.routing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tidings.gateway.config.GatewayProperties;
import dev.tidings.gateway.resume.NodePosition;
import dev.tidings.gateway.resume.RecoveryWindow;
import dev.tidings.schema.Notification;
import dev.tidings.schema.NotificationDeserializer;
import dev.tidings.schema.TopicLayout;
import dev.tidings.schema.TopicProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.listener.BatchInterceptor;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The node's Kafka consumer: group {@code tidings-gateway-<nodeId>}, a single consumer thread
 * over every partition (every node sees every record), offsets of dispatched records committed
 * every {@code tidings.gateway.commit-interval} and on stop; undecodable or undeliverable records
 * are skipped, counted and logged by sample, never stopping the consumer (the dead-letter topic gets
 * them from {@link DeadLetterConfiguration}'s consumer). The topic's layout is {@code tidings.topic.*}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TopicProperties.class)
class KafkaConsumerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KafkaConsumerConfiguration.class);

    @Bean
    TopicLayout topicLayout(TopicProperties topic) {
        return topic.layout();
    }

    @Bean
    NewTopic notificationsTopic(TopicLayout layout) {
        return layout.notifications();
    }

    @Bean
    NewTopic deadLetterTopic(TopicLayout layout) {
        return layout.deadLetters();
    }

    @Bean
    DefaultKafkaConsumerFactory<String, Notification> gatewayConsumerFactory(KafkaProperties kafka,
            GatewayProperties properties, MeterRegistry meters, PoisonRecords poisonRecords) {
        Map<String, Object> config = consumerConfig(kafka, properties.consumerGroup(), properties.consumerGroup(),
                properties);
        // A long poll: the broker holds each fetch until a produce appends to one of the node's
        // partitions, and answers it then. The live path waits for no timer, and the node fetches as
        // often as the publishers' batches arrive (linger.ms), not on a clock of its own; an idle node
        // fetches twice a second. Overridable with spring.kafka.consumer.fetch-min-size / fetch-max-wait.
        config.putIfAbsent(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
        config.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500);
        // The live consumer uses the deserializer instances below; these classes are for consumers
        // built from this factory's configuration (the resume catch-up reader), which keep failing
        // loudly on an undecodable record.
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ErrorHandlingDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ErrorHandlingDeserializer.class);
        config.put(ErrorHandlingDeserializer.KEY_DESERIALIZER_CLASS, StringDeserializer.class);
        config.put(ErrorHandlingDeserializer.VALUE_DESERIALIZER_CLASS, NotificationDeserializer.class);
        DefaultKafkaConsumerFactory<String, Notification> factory = new DefaultKafkaConsumerFactory<>(config,
                new StringDeserializer(), new SkippingNotificationDeserializer(poisonRecords));
        factory.addListener(new MicrometerConsumerListener<>(meters));
        return factory;
    }

    @Bean
    PoisonRecords poisonRecords(MeterRegistry meters, DeadLetterProperties deadLetters) {
        return new PoisonRecords(meters, deadLetters.logInterval());
    }

    static Map<String, Object> consumerConfig(KafkaProperties kafka, String group, String clientId,
            GatewayProperties properties) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        // Static membership: a node restarted (or killed and restarted) with the same id takes its
        // partitions back at once instead of waiting for the old member's session to time out.
        config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, properties.nodeId());
        // A brand-new node starts at the end of the topic instead of replaying history to nobody.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        return config;
    }

    /** Nothing about a record gets better by retrying it: every failure is a poison record. */
    static void skipWithoutSeeking(DefaultErrorHandler handler) {
        handler.setAckAfterHandle(true);
        // Recover the one record and go on with the rest of the poll, instead of seeking back and
        // fetching the remaining records again after every poison record.
        handler.setSeekAfterError(false);
        handler.setLogLevel(KafkaException.Level.DEBUG);
    }

    /** The node's live consumer; {@code @Primary}, so that it is the container others stop and watch. */
    @Bean(destroyMethod = "stop")
    @Primary
    KafkaMessageListenerContainer<String, Notification> gatewayListenerContainer(
            DefaultKafkaConsumerFactory<String, Notification> factory, NotificationRouter router,
            PoisonRecords poisonRecords, GatewayProperties properties, TopicLayout layout, KafkaAdmin admin,
            NodePosition position, RecoveryWindow window, ConsumerReadiness readiness) {
        ContainerProperties container = new ContainerProperties(layout.topic());
        container.setMessageListener(router);
        // Commit what was dispatched once per interval, not after every poll: at a few thousand
        // records a second a poll returns a handful of them, and a synchronous commit per poll was a
        // broker round trip per handful. Stopping commits what is pending; a crash replays at most
        // one interval, which clients de-duplicate by id.
        container.setAckMode(ContainerProperties.AckMode.TIME);
        container.setAckTime(properties.commitInterval().toMillis());
        container.setGroupId(properties.consumerGroup());
        container.setConsumerRebalanceListener(new ConsumerAwareRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                TopicDescription description = admin.describeTopics(layout.topic()).get(layout.topic());
                int count = description.partitions().size();
                long[] positions = new long[count];
                List<TopicPartition> assigned = new ArrayList<>(partitions);
                for (TopicPartition tp : assigned) {
                    if (tp.partition() < count) {
                        positions[tp.partition()] = consumer.position(tp);
                    }
                }
                var id = description.topicId();
                window.reset(positions);
                position.reset(new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits()), positions);
                readiness.assigned(assigned.size(), count);
                log.info("Node {} assigned {} of {} partitions of {} at {}", properties.nodeId(), assigned.size(),
                        count, layout.topic(), java.util.Arrays.toString(positions));
            }

            @Override
            public void onPartitionsRevokedAfterCommit(Consumer<?, ?> consumer,
                    Collection<TopicPartition> partitions) {
                readiness.assigned(0, 0);
            }
        });
        KafkaMessageListenerContainer<String, Notification> listener =
                new KafkaMessageListenerContainer<>(factory, container);
        // The router skips what it cannot deliver and never fails a poll; should the container
        // still fail one, its records are skipped as poison, never redelivered to clients.
        DefaultErrorHandler handler = new DefaultErrorHandler(
                (record, ex) -> poisonRecords.skip(record.topic(), rootMessage(ex)), new FixedBackOff(0L, 0L));
        skipWithoutSeeking(handler);
        listener.setCommonErrorHandler(handler);
        listener.setBatchInterceptor(new BatchInterceptor<>() {
            @Override
            public ConsumerRecords<String, Notification> intercept(ConsumerRecords<String, Notification> records,
                    Consumer<String, Notification> consumer) {
                return records;
            }

            @Override
            public void clearThreadState(Consumer<?, ?> consumer) {
                poisonRecords.flush(); // after every poll, records or none: the count of a flood that has stopped
            }
        });
        listener.setBeanName("tidings-gateway-consumer");
        return listener;
    }

    static String rootMessage(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    /** Readiness: the node is ready once its consumer owns every partition of the topic. */
    @Bean
    ConsumerReadiness consumerReadiness() {
        return new ConsumerReadiness();
    }

    /** Health contributor reporting {@link ConsumerReadiness}. */
    static final class ConsumerReadiness implements HealthIndicator {

        private volatile int assigned;
        private volatile int partitions;

        void assigned(int assigned, int partitions) {
            this.assigned = assigned;
            this.partitions = partitions;
        }

        @Override
        public Health health() {
            Health.Builder builder = assigned > 0 && assigned == partitions ? Health.up() : Health.outOfService();
            return builder.withDetail("assignedPartitions", assigned).withDetail("partitions", partitions).build();
        }
    }
}
