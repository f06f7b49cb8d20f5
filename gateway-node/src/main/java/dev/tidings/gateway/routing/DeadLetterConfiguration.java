package dev.tidings.gateway.routing;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.tidings.common.threads.BackgroundThreads;
import dev.tidings.gateway.config.GatewayProperties;
import dev.tidings.gateway.protocol.FrameEncoder;
import dev.tidings.schema.Notification;
import dev.tidings.schema.NotificationDeserializer;
import dev.tidings.schema.TopicLayout;
import dev.tidings.schema.NotificationSerializer;
import dev.tidings.schema.UndecodableRecordException;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.listener.ConsumerAwareMessageListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.RecordInterceptor;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The node's dead-letter path: a consumer in one group shared by every node of the topic, which
 * checks each record once across the nodes and writes the poison ones to the topic's dead-letter
 * topic with the reason in headers ({@link DeadLetterWriter}), paced so that a flood waits in Kafka.
 */
@Configuration(proxyBeanMethods = false)
class DeadLetterConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterConfiguration.class);

    /**
     * The reason given for a record without the Avro single-object marker: one shared instance
     * without a stack trace, as the DLQ headers carry only its class and message.
     */
    private static final UndecodableRecordException NOT_SINGLE_OBJECT_ENCODED = new NotSingleObjectEncoded();

    /**
     * Dead letters are written in bursts of up to this long's worth of the node's rate, one park
     * between bursts: a few full batches a second reach the broker, not a produce request (and a
     * wake-up of the producer's thread) per few records.
     */
    static final Duration DEAD_LETTER_BURST = Duration.ofMillis(100);

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
    DeadLetterWriter deadLetterWriter(KafkaTemplate<Object, Object> deadLetterTemplate, TopicLayout layout,
            DeadLetterProperties deadLetters, MeterRegistry meters) {
        return new DeadLetterWriter(deadLetterTemplate, layout.deadLetterTopic(),
                deadLetters.maxInFlight(), deadLetters.maxWait(), meters, deadLetters.logInterval());
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
            FrameEncoder frames, DeadLetterWriter deadLetterWriter, GatewayProperties properties, TopicLayout layout,
            DeadLetterProperties deadLetters, MeterRegistry meters) {
        Map<String, Object> config = KafkaConsumerConfiguration.consumerConfig(kafka, deadLetterGroup(layout),
                properties.consumerGroup() + "-dead-letters", properties);
        // Not the live path: a poison record may reach the dead-letter topic up to 250 ms after it was
        // written. The broker gathers records for that long per fetch instead of answering every produce
        // with a fetch of its own (the consumer's default, fetch.min.bytes=1).
        config.putIfAbsent(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024);
        config.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 250);
        DefaultKafkaConsumerFactory<byte[], byte[]> factory = new DefaultKafkaConsumerFactory<>(config,
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        factory.addListener(new MicrometerConsumerListener<>(meters));
        ContainerProperties container = new ContainerProperties(layout.topic());
        NotificationDeserializer decoder = new NotificationDeserializer();
        Pacer pacer = new Pacer(deadLetters.maxPerSecond(), DEAD_LETTER_BURST);
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
        // Off the live path as well: its consumer polls on a background thread, which yields the cores to the
        // live consumer and the event loops.
        container.setListenerTaskExecutor(new SimpleAsyncTaskExecutor(
                BackgroundThreads.factory("tidings-gateway-dead-letters-C")));
        KafkaMessageListenerContainer<byte[], byte[]> listener =
                new KafkaMessageListenerContainer<>(factory, container);
        SampledLog sampled = new SampledLog(log, "Dead-letter checks failed", deadLetters.logInterval());
        DefaultErrorHandler handler = new DefaultErrorHandler((record, ex) -> sampled.warn(
                record.topic() + "-" + record.partition() + "@" + record.offset() + ": "
                        + KafkaConsumerConfiguration.rootMessage(ex)), new FixedBackOff(0L, 0L));
        KafkaConsumerConfiguration.skipWithoutSeeking(handler);
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
    static String deadLetterGroup(TopicLayout layout) {
        return "tidings-dead-letters." + layout.topic();
    }
}
