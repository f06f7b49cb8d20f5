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
import dev.tidings.schema.NotificationSerializer;
import dev.tidings.schema.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.RecordInterceptor;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The node's Kafka consumer: group {@code tidings-gateway-<nodeId>}, a single consumer thread
 * over every partition (every node sees every record), offsets of dispatched records committed
 * every {@code tidings.gateway.commit-interval} and on stop, and undecodable or undeliverable records sent to the dead-letter
 * topic with the reason in headers, never stopping the consumer.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConsumerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KafkaConsumerConfiguration.class);

    @Bean
    NewTopic notificationsTopic(GatewayProperties properties) {
        return TopicBuilder.name(properties.topic()).partitions(properties.partitions())
                .replicas(properties.replicationFactor()).build();
    }

    @Bean
    NewTopic deadLetterTopic(GatewayProperties properties) {
        return TopicBuilder.name(deadLetterTopicName(properties)).partitions(properties.partitions())
                .replicas(properties.replicationFactor()).build();
    }

    static String deadLetterTopicName(GatewayProperties properties) {
        return properties.topic().equals(Topics.NOTIFICATIONS) ? Topics.DEAD_LETTERS : properties.topic() + ".dlq";
    }

    @Bean
    DefaultKafkaConsumerFactory<String, Notification> gatewayConsumerFactory(KafkaProperties kafka,
            GatewayProperties properties, MeterRegistry meters) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, properties.consumerGroup());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, properties.consumerGroup());
        // Static membership: a node restarted (or killed and restarted) with the same id takes its
        // partitions back at once instead of waiting for the old member's session to time out.
        config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, properties.nodeId());
        // A brand-new node starts at the end of the topic instead of replaying history to nobody.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ErrorHandlingDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ErrorHandlingDeserializer.class);
        config.put(ErrorHandlingDeserializer.KEY_DESERIALIZER_CLASS, StringDeserializer.class);
        config.put(ErrorHandlingDeserializer.VALUE_DESERIALIZER_CLASS, NotificationDeserializer.class);
        config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        // Let the broker gather up to 5 ms of records per fetch instead of answering each fetch with
        // the one or two records that arrived: at 2,000 user notices/s this took a gateway from 33 %
        // to 20 % of a core and the broker from 42 % to less, for at most 5 ms more latency
        // (docs/benchmarks.md). Overridable with spring.kafka.consumer.fetch-min-size / fetch-max-wait.
        config.putIfAbsent(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 65536);
        config.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
        DefaultKafkaConsumerFactory<String, Notification> factory = new DefaultKafkaConsumerFactory<>(config);
        factory.addListener(new MicrometerConsumerListener<>(meters));
        return factory;
    }

    @Bean
    KafkaTemplate<Object, Object> deadLetterTemplate(KafkaProperties kafka) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        Map<Class<?>, org.apache.kafka.common.serialization.Serializer<?>> byType = new HashMap<>();
        byType.put(byte[].class, new ByteArraySerializer());
        byType.put(Notification.class, new NotificationSerializer());
        byType.put(String.class, new StringSerializer());
        DefaultKafkaProducerFactory<Object, Object> factory = new DefaultKafkaProducerFactory<>(config,
                new DelegatingByTypeSerializer(byType, true), new DelegatingByTypeSerializer(byType, true));
        return new KafkaTemplate<>(factory);
    }

    @Bean
    DefaultErrorHandler deadLetterErrorHandler(KafkaTemplate<Object, Object> deadLetterTemplate,
            GatewayProperties properties, MeterRegistry meters) {
        Counter deadLetters = Counter.builder("tidings.gateway.dead.letters")
                .description("Records sent to the dead-letter topic").register(meters);
        String dlq = deadLetterTopicName(properties);
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(deadLetterTemplate,
                (record, ex) -> new TopicPartition(dlq, -1));
        DefaultErrorHandler handler = new DefaultErrorHandler((record, ex) -> {
            log.warn("Record {}-{}@{} sent to {}: {}", record.topic(), record.partition(), record.offset(), dlq,
                    rootMessage(ex));
            recoverer.accept(record, ex);
            deadLetters.increment();
        }, new FixedBackOff(0L, 0L));
        // Nothing about a record gets better by retrying it: every failure is a poison record.
        handler.setAckAfterHandle(true);
        return handler;
    }

    @Bean(destroyMethod = "stop")
    KafkaMessageListenerContainer<String, Notification> gatewayListenerContainer(
            DefaultKafkaConsumerFactory<String, Notification> factory, NotificationRouter router,
            DefaultErrorHandler deadLetterErrorHandler, GatewayProperties properties, KafkaAdmin admin,
            NodePosition position, RecoveryWindow window, ConsumerReadiness readiness) {
        ContainerProperties container = new ContainerProperties(properties.topic());
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
                TopicDescription description = admin.describeTopics(properties.topic()).get(properties.topic());
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
                        count, properties.topic(), java.util.Arrays.toString(positions));
            }

            @Override
            public void onPartitionsRevokedAfterCommit(Consumer<?, ?> consumer,
                    Collection<TopicPartition> partitions) {
                readiness.assigned(0, 0);
            }
        });
        KafkaMessageListenerContainer<String, Notification> listener =
                new KafkaMessageListenerContainer<>(factory, container);
        listener.setCommonErrorHandler(deadLetterErrorHandler);
        // After every poll (its records dispatched, or none), the router hands what it gathered to the
        // event loops: one task per loop per poll instead of one per record (SessionRegistry.handOff).
        listener.setRecordInterceptor(new RecordInterceptor<>() {
            @Override
            public ConsumerRecord<String, Notification> intercept(ConsumerRecord<String, Notification> record,
                    Consumer<String, Notification> consumer) {
                return record;
            }

            @Override
            public void clearThreadState(Consumer<?, ?> consumer) {
                router.endOfPoll();
            }
        });
        listener.setBeanName("tidings-gateway-consumer");
        return listener;
    }

    private static String rootMessage(Throwable ex) {
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
