package dev.tidings.e2e;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import dev.tidings.schema.Notification;
import dev.tidings.schema.NotificationSerializer;
import dev.tidings.schema.Address;
import dev.tidings.schema.Target;
import dev.tidings.schema.TargetType;
import dev.tidings.testing.KafkaBrokerExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes notifications straight to the cluster's topic with the schema's serializer, as a service
 * producing to Kafka directly would: fast enough to lay down a backlog of thousands of records.
 */
final class DirectProducer implements AutoCloseable {

    private final String topic;
    private final KafkaProducer<String, Notification> producer;

    DirectProducer(String topic) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBrokerExtension.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 262_144),
                new StringSerializer(), new NotificationSerializer());
    }

    /** Broadcasts {@code count} notifications with a payload of about {@code payloadBytes}; returns their ids. */
    List<String> broadcast(int count, int payloadBytes) {
        return send(count, new Target(TargetType.BROADCAST, List.of()), Address.BROADCAST.routingKey(), payloadBytes);
    }

    /** Sends {@code count} notifications to the members of one group; returns their ids. */
    List<String> toGroup(String group, int count, int payloadBytes) {
        return send(count, new Target(TargetType.GROUP, List.of(group)), Address.group(group).routingKey(), payloadBytes);
    }

    /** Sends {@code count} notifications to one user; returns their ids in the order they were acknowledged. */
    List<String> toUser(String user, int count, int payloadBytes) {
        return send(count, new Target(TargetType.USER, List.of(user)), Address.user(user).routingKey(), payloadBytes);
    }

    private List<String> send(int count, Target target, String key, int payloadBytes) {
        String payload = "{\"blob\":\"" + "x".repeat(Math.max(0, payloadBytes - 12)) + "\"}";
        List<String> ids = new ArrayList<>(count);
        List<Future<RecordMetadata>> acks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            Notification notification = Notification.newBuilder().setId(id).setEvent("backlog").setTarget(target)
                    .setPayload(payload).setPublishedAt(Instant.now()).setExpiresAt(null)
                    .setSource("e2e-direct-producer").setReplayOf(null).build();
            acks.add(producer.send(new ProducerRecord<>(topic, key, notification)));
        }
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
        catch (ExecutionException ex) {
            throw new AssertionError(ex);
        }
        return ids;
    }

    @Override
    public void close() {
        producer.close();
    }
}
