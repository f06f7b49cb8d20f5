package dev.tidings.gateway.routing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tidings.gateway.config.GatewayProperties;
import dev.tidings.gateway.protocol.FrameEncoder;
import dev.tidings.gateway.resume.NodePosition;
import dev.tidings.gateway.resume.RecoveryWindow;
import dev.tidings.schema.Notification;
import dev.tidings.schema.NotificationDeserializer;
import dev.tidings.schema.NotificationSerializer;
import dev.tidings.schema.UndecodableRecordException;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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
import org.springframework.context.annotation.Primary;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.listener.BatchInterceptor;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.ConsumerAwareMessageListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.RecordInterceptor;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The node's Kafka consumer: group {@code tidings-gateway-<nodeId>}, a single consumer thread
 * over every partition (every node sees every record), offsets of dispatched records committed
 * every {@code tidings.gateway.commit-interval} and on stop; undecodable or undeliverable records
 * are skipped, counted and logged by sample, never stopping the consumer, and written once to the
 * dead-letter topic with the reason in headers by the node that owns their partition in the shared
 * dead-letter group.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConsumerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KafkaConsumerConfiguration.class);

    /**
     * The reason given for a record without the Avro single-object marker: one shared instance
     * without a stack trace, as the DLQ headers carry only its class and message.
     */
    private static final UndecodableRecordException NOT_SINGLE_OBJECT_ENCODED = new NotSingleObjectEncoded();

    /** A record without the Avro single-object marker; no stack trace (nothing to trace but the check). */
    static final class NotSingleObjectEncoded extends UndecodableRecordException {

        NotSingleObjectEncoded() {
            super("not Avro single-object encoding: no C3 01 marker", null);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    @Bean
    NewTopic notificationsTopic(GatewayProperties properties) {
        return properties.topicLayout().notifications();
    }

    @Bean
    NewTopic deadLetterTopic(GatewayProperties properties) {
        return properties.topicLayout().deadLetters();
    }

    @Bean
    DefaultKafkaConsumerFactory<String, Notification> gatewayConsumerFactory(KafkaProperties kafka,
            GatewayProperties properties, MeterRegistry meters, PoisonRecords poisonRecords) {
        Map<String, Object> config = consumerConfig(kafka, properties.consumerGroup(), properties.consumerGroup(),
                properties);
        // Let the broker gather up to 5 ms of records per fetch instead of answering each fetch with
        // the one or two records that arrived: fewer, fuller fetches cost the node and the broker less
        // CPU per record, for at most 5 ms more latency (docs/benchmarks.md has the figures).
        // Overridable with spring.kafka.consumer.fetch-min-size / fetch-max-wait.
        config.putIfAbsent(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 65536);
        config.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
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

    private static Map<String, Object> consumerConfig(KafkaProperties kafka, String group, String clientId,
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

    @Bean
    KafkaTemplate<Object, Object> deadLetterTemplate(KafkaProperties kafka) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // A flood of poison records is written in batches, not one request per record.
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 10);
        Map<Class<?>, org.apache.kafka.common.serialization.Serializer<?>> byType = new HashMap<>();
        byType.put(byte[].class, new ByteArraySerializer());
        byType.put(Notification.class, new NotificationSerializer());
        byType.put(String.class, new StringSerializer());
        DefaultKafkaProducerFactory<Object, Object> factory = new DefaultKafkaProducerFactory<>(config,
                new DelegatingByTypeSerializer(byType, true), new DelegatingByTypeSerializer(byType, true));
        return new KafkaTemplate<>(factory);
    }

    @Bean
    DeadLetterWriter deadLetterWriter(KafkaTemplate<Object, Object> deadLetterTemplate, GatewayProperties properties,
            DeadLetterProperties deadLetters, MeterRegistry meters) {
        return new DeadLetterWriter(deadLetterTemplate, properties.topicLayout().deadLetterTopic(),
                deadLetters.maxInFlight(), deadLetters.maxWait(), meters, deadLetters.logInterval());
    }

    /** Nothing about a record gets better by retrying it: every failure is a poison record. */
    private static void skipWithoutSeeking(DefaultErrorHandler handler) {
        handler.setAckAfterHandle(true);
        // Recover the one record and go on with the rest of the poll, instead of seeking back and
        // fetching the remaining records again after every poison record.
        handler.setSeekAfterError(false);
        handler.setLogLevel(KafkaException.Level.DEBUG);
    }

    /**
     * One copy per poison record across any number of nodes: every node's own consumer sees every
     * record, so if each wrote its poison records, N nodes would write N copies (and N times the
     * work on each node's only consumer thread). Instead every node also runs this consumer in one
     * group shared by all nodes of the topic, so each partition — hence each poison record — is
     * checked by exactly one node, which writes it to the DLQ ({@link DeadLetterWriter}, keyed by
     * origin, so that compaction folds the rare second copy a rebalance can cause). It runs on its
     * own thread and only decodes and checks records, so the live consumer never waits for it; it
     * writes at most {@code tidings.gateway.dead-letter.max-per-second}, so that a flood waits in
     * Kafka instead of taking the CPU live delivery needs.
     */
    @Bean(destroyMethod = "stop")
    KafkaMessageListenerContainer<byte[], byte[]> deadLetterListenerContainer(KafkaProperties kafka,
            FrameEncoder frames, DeadLetterWriter deadLetterWriter, GatewayProperties properties,
            DeadLetterProperties deadLetters, MeterRegistry meters) {
        Map<String, Object> config = consumerConfig(kafka, deadLetterGroup(properties),
                properties.consumerGroup() + "-dead-letters", properties);
        DefaultKafkaConsumerFactory<byte[], byte[]> factory = new DefaultKafkaConsumerFactory<>(config,
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        factory.addListener(new MicrometerConsumerListener<>(meters));
        ContainerProperties container = new ContainerProperties(properties.topic());
        NotificationDeserializer decoder = new NotificationDeserializer();
        Pacer pacer = new Pacer(deadLetters.maxPerSecond());
        container.setMessageListener((ConsumerAwareMessageListener<byte[], byte[]>) (record, consumer) -> {
            if (record.value() == null) {
                return;
            }
            if (SkippingNotificationDeserializer.notSingleObjectEncoded(record.value())) {
                pacer.acquire();
                deadLetterWriter.accept(record, consumer, NOT_SINGLE_OBJECT_ENCODED);
                return;
            }
            try {
                Notification notification = decoder.deserialize(record.topic(), record.headers(), record.value());
                if (notification != null) {
                    frames.notification(notification); // throws PoisonRecordException for an undeliverable one
                }
            }
            catch (RuntimeException ex) {
                pacer.acquire();
                deadLetterWriter.accept(record, consumer, ex);
            }
        });
        container.setAckMode(ContainerProperties.AckMode.TIME);
        container.setAckTime(properties.commitInterval().toMillis());
        KafkaMessageListenerContainer<byte[], byte[]> listener = new KafkaMessageListenerContainer<>(factory, container);
        SampledLog sampled = new SampledLog(log, "Dead-letter checks failed", deadLetters.logInterval());
        DefaultErrorHandler handler = new DefaultErrorHandler((record, ex) -> sampled.warn(record.topic() + "-" + record.partition() + "@" + record.offset() + ": "
                        + rootMessage(ex)), new FixedBackOff(0L, 0L));
        skipWithoutSeeking(handler);
        listener.setCommonErrorHandler(handler);
        listener.setRecordInterceptor(new RecordInterceptor<>() {
            @Override
            public ConsumerRecord<byte[], byte[]> intercept(ConsumerRecord<byte[], byte[]> record,
                    Consumer<byte[], byte[]> consumer) {
                return record;
            }

            @Override
            public void clearThreadState(Consumer<?, ?> consumer) {
                deadLetterWriter.flushLogs();
                sampled.flush();
            }
        });
        listener.setBeanName("tidings-gateway-dead-letters");
        return listener;
    }

    /** The group, shared by every node of the topic, whose members write the topic's poison records to the DLQ. */
    static String deadLetterGroup(GatewayProperties properties) {
        return "tidings-dead-letters." + properties.topic();
    }

    /** The node's live consumer; {@code @Primary}, so that it is the container others stop and watch. */
    @Bean(destroyMethod = "stop")
    @Primary
    KafkaMessageListenerContainer<String, Notification> gatewayListenerContainer(
            DefaultKafkaConsumerFactory<String, Notification> factory, NotificationRouter router,
            PoisonRecords poisonRecords, GatewayProperties properties, KafkaAdmin admin,
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
