package dev.tidings.router.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import dev.tidings.router.engine.Router;
import dev.tidings.router.engine.RouterSettings;
import dev.tidings.router.routes.RoutesParser;
import dev.tidings.schema.Notification;
import dev.tidings.schema.NotificationDeserializer;
import dev.tidings.schema.TopicLayout;
import dev.tidings.testing.KafkaBrokerExtension;
import dev.tidings.testing.TopicContents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Topics, producers and readers of the tests' broker, and routers on it. */
final class Kafka {

    private Kafka() {
    }

    static void createTopic(String name, int partitions) {
        try (Admin admin = Admin.create(KafkaBrokerExtension.adminConfig())) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
        catch (InterruptedException | ExecutionException ex) {
            throw new AssertionError(ex);
        }
    }

    private static KafkaProducer<byte[], byte[]> producer;

    /**
     * The tests' one producer (the "product service"), for the JVM's lifetime. Not idempotent: with
     * the embedded KRaft broker of Kafka 4.1 an idempotent test producer's writes were seen refused
     * as out of sequence (incoming sequence 0 under a producer id that had already written), so
     * they never completed; source records need no idempotence.
     */
    static synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    KafkaBrokerExtension.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 5,
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.ACKS_CONFIG, "all"),
                    new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /** Writes {@code values} to {@code topic} (keys {@code k<i>}) and waits for the broker's acknowledgements. */
    static void produce(String topic, List<String> values) {
        try {
            List<java.util.concurrent.Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                sends.add(producer().send(new ProducerRecord<>(topic, utf8("k" + i), utf8(values.get(i)))));
            }
            for (var send : sends) {
                send.get();
            }
        }
        catch (InterruptedException | ExecutionException ex) {
            throw new AssertionError(ex);
        }
    }

    /** Writes the raw {@code values} to {@code topic} (keys {@code k<i>}) and waits for the broker's acknowledgements. */
    static void produceBytes(String topic, List<byte[]> values) {
        try {
            List<java.util.concurrent.Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                sends.add(producer().send(new ProducerRecord<>(topic, utf8("k" + i), values.get(i))));
            }
            for (var send : sends) {
                send.get();
            }
        }
        catch (InterruptedException | ExecutionException ex) {
            throw new AssertionError(ex);
        }
    }

    /** The offsets {@code group} committed, by partition. */
    static Map<org.apache.kafka.common.TopicPartition, Long> committed(String group) {
        try (Admin admin = Admin.create(KafkaBrokerExtension.adminConfig())) {
            Map<org.apache.kafka.common.TopicPartition, Long> offsets = new java.util.HashMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .forEach((partition, offset) -> offsets.put(partition, offset == null ? -1 : offset.offset()));
            return offsets;
        }
        catch (InterruptedException | ExecutionException ex) {
            throw new AssertionError(ex);
        }
    }

    /** The sum of the offsets {@code group} committed on every partition. */
    static long committedTotal(String group) {
        return committed(group).values().stream().mapToLong(Long::longValue).sum();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static List<ConsumerRecord<String, Notification>> notifications(String topic) {
        return TopicContents.readToEnd(topic, new StringDeserializer(), new NotificationDeserializer());
    }

    static List<ConsumerRecord<byte[], byte[]>> raw(String topic) {
        return TopicContents.readToEnd(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Two routes that differ only in format: {@code avro-<id>} reads Confluent-framed Avro from
     * {@code avroTopic} through the registry at {@code registryUrl} (1 s timeout), addressing the user at
     * {@code avroUserPath}; {@code json-<id>} reads JSON from {@code jsonTopic}, addressing {@code $.customer}.
     */
    static String avroBesideJsonRoutes(String id, String avroTopic, String avroUserPath, String jsonTopic,
            String registryUrl) {
        return """
                routes:
                  - name: avro-%s
                    topic: %s
                    format: avro-confluent
                    event: order.shipped
                    target: {type: user, ids: "%s"}
                    start: earliest
                  - name: json-%s
                    topic: %s
                    event: order.shipped
                    target: {type: user, ids: "$.customer"}
                    start: earliest
                schema-registry:
                  url: %s
                  timeout: 1s
                """.formatted(id, avroTopic, avroUserPath, id, jsonTopic, registryUrl);
    }

    /** A started router for {@code routesYaml}, writing to {@code notificationsTopic} (3 partitions). */
    static Router router(String routesYaml, String notificationsTopic, SimpleMeterRegistry meters) {
        Router router = new Router(RoutesParser.parse(routesYaml, "test routes"), new RouterSettings(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerExtension.bootstrapServers()),
                TopicLayout.of(notificationsTopic, 3, (short) 1, (short) 0), 65536, Duration.ofMillis(100),
                Duration.ofSeconds(1)), meters);
        router.start();
        return router;
    }
}
