package dev.tidings.bench.publish;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import dev.tidings.bench.population.PublishPlan;
import dev.tidings.bench.population.Scenario;
import dev.tidings.schema.Notification;
import dev.tidings.schema.NotificationSerializer;
import dev.tidings.schema.Target;
import dev.tidings.schema.TargetType;
import dev.tidings.schema.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

/**
 * Produces straight to {@code tidings.notifications} with the bundled Avro serializer, keyed by
 * routing key, with the publisher API's producer settings (acks=all, idempotent, linger 5 ms). The
 * topic's metadata and the serializer's classes are loaded when it is built, so no publish waits for them.
 *
 * <p>Thread-safe: the Kafka producer is.
 */
public final class KafkaPublisher implements Publisher {

    private final KafkaProducer<String, Notification> producer;

    public KafkaPublisher(String bootstrapServers) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.CLIENT_ID_CONFIG, "tidings-bench"),
                new StringSerializer(), new NotificationSerializer());
        // The first send() would block on the topic's metadata, and load the Avro classes, after its payload
        // was stamped; both waits would count as delivery latency. Do both before the publish clock starts.
        producer.partitionsFor(Topics.NOTIFICATIONS);
        try (NotificationSerializer serializer = new NotificationSerializer()) {
            serializer.serialize(Topics.NOTIFICATIONS, notification(Scenario.USER, "warm-up", "{}"));
        }
    }

    @Override
    public CompletableFuture<Void> publish(PublishPlan plan, int seq, String payloadJson) {
        Scenario kind = plan.kind(seq);
        Notification record = notification(kind, kind == Scenario.BROADCAST ? null : plan.targetId(seq), payloadJson);
        CompletableFuture<Void> acked = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(Topics.NOTIFICATIONS, plan.routingKey(seq), record), (meta, ex) -> {
                if (ex == null) {
                    acked.complete(null);
                }
                else {
                    acked.completeExceptionally(new PublishException("kafka " + ex.getClass().getSimpleName(),
                            String.valueOf(ex.getMessage())));
                }
            });
        }
        catch (RuntimeException ex) {
            acked.completeExceptionally(new PublishException("kafka " + ex.getClass().getSimpleName(),
                    String.valueOf(ex.getMessage())));
        }
        return acked;
    }

    private static Notification notification(Scenario kind, @Nullable String targetId, String payloadJson) {
        TargetType type = switch (kind) {
            case BROADCAST -> TargetType.BROADCAST;
            case USER -> TargetType.USER;
            case GROUP -> TargetType.GROUP;
        };
        return Notification.newBuilder()
                .setId(UUID.randomUUID().toString())
                .setEvent("bench")
                .setTarget(new Target(type, targetId == null ? List.of() : List.of(targetId)))
                .setPayload(payloadJson)
                .setPublishedAt(Instant.now())
                .setExpiresAt(null)
                .setSource("tidings-bench")
                .setReplayOf(null)
                .build();
    }

    @Override
    public String path() {
        return "kafka";
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
