package dev.tidings.publisher.publish;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tidings.common.auth.Principal;
import dev.tidings.publisher.config.PublisherProperties;
import dev.tidings.schema.Notification;
import dev.tidings.schema.RoutingKeys;
import dev.tidings.schema.Target;
import dev.tidings.schema.TargetType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Service;

/**
 * Writes validated notifications to Kafka and answers only once Kafka acknowledged every record
 * (acks=all, idempotent producer). Client-chosen ids are remembered for the dedupe window: a
 * re-post of the same id returns the first result and writes nothing; concurrent re-posts wait
 * for the first one's outcome. A failed write is forgotten, so the client's retry writes again.
 *
 * <p>Thread-safe: the dedupe cache is concurrent and the Kafka template is thread-safe.
 */
@Service
public class NotificationPublisher {

    private final KafkaTemplate<String, Notification> kafka;
    private final PublisherProperties properties;
    private final Cache<String, CompletableFuture<PublishResult>> recentIds;
    private final Timer publishTimer;

    NotificationPublisher(KafkaTemplate<String, Notification> kafka, PublisherProperties properties,
            MeterRegistry meters) {
        this.kafka = kafka;
        this.properties = properties;
        this.recentIds = Caffeine.newBuilder()
                .expireAfterWrite(properties.dedupeWindow())
                .maximumSize(properties.dedupeMaxEntries())
                .build();
        this.publishTimer = Timer.builder("tidings.publisher.publish")
                .description("Time from request to Kafka acknowledgement of every record of a notification")
                .publishPercentileHistogram()
                .register(meters);
    }

    /** Publishes one notification and waits for Kafka's acknowledgement. */
    PublishResult publish(ValidNotification notification, Principal caller) {
        return await(start(notification, caller));
    }

    /** Starts publishing without waiting; pair with {@link #await}. Batch requests start all first. */
    CompletableFuture<PublishResult> start(ValidNotification notification, Principal caller) {
        if (notification.id() == null) {
            return send(NotificationIds.random().toString(), notification, caller);
        }
        CompletableFuture<PublishResult> mine = new CompletableFuture<>();
        CompletableFuture<PublishResult> first = recentIds.asMap().putIfAbsent(notification.id(), mine);
        if (first != null) {
            return first;
        }
        send(notification.id(), notification, caller).whenComplete((result, failure) -> {
            if (failure != null) {
                recentIds.asMap().remove(notification.id(), mine);
                mine.completeExceptionally(failure);
            }
            else {
                mine.complete(result);
            }
        });
        return mine;
    }

    /** Waits for a started publish, bounded by {@code tidings.publisher.send-timeout}. */
    PublishResult await(CompletableFuture<PublishResult> pending) {
        try {
            return pending.get(properties.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException ex) {
            throw new KafkaUnavailableException("Kafka did not acknowledge within "
                    + properties.sendTimeout().toMillis() + " ms", ex);
        }
        catch (ExecutionException ex) {
            throw new KafkaUnavailableException("Kafka did not accept the notification: "
                    + ex.getCause().getMessage(), ex.getCause());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted while waiting for Kafka", ex);
        }
    }

    private CompletableFuture<PublishResult> send(String id, ValidNotification n, Principal caller) {
        Timer.Sample sample = Timer.start();
        Instant now = Instant.now();
        List<String> ids = n.targetType() == TargetType.BROADCAST ? List.of("") : n.targetIds();
        List<CompletableFuture<SendResult<String, Notification>>> sends = new ArrayList<>(ids.size());
        try {
            for (String targetId : ids) {
                Notification record = Notification.newBuilder()
                        .setId(id)
                        .setEvent(n.event())
                        .setTarget(new Target(n.targetType(),
                                n.targetType() == TargetType.BROADCAST ? List.of() : List.of(targetId)))
                        .setPayload(n.payloadJson())
                        .setPublishedAt(now)
                        .setExpiresAt(n.ttl() == null ? null : now.plus(n.ttl()))
                        .setSource(caller.userId())
                        .setReplayOf(null)
                        .build();
                String key = RoutingKeys.of(n.targetType(), targetId);
                sends.add(kafka.send(new ProducerRecord<>(properties.topic(), key, record)));
            }
        }
        catch (RuntimeException ex) {
            // KafkaTemplate throws synchronously when metadata cannot be fetched within max.block.ms.
            sends.forEach(f -> f.cancel(false));
            return CompletableFuture.failedFuture(ex);
        }
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).thenApply(done -> {
            sample.stop(publishTimer);
            List<PublishResult.RecordPosition> positions = sends.stream().map(CompletableFuture::join)
                    .map(r -> new PublishResult.RecordPosition(r.getProducerRecord().key(),
                            r.getRecordMetadata().partition(), r.getRecordMetadata().offset()))
                    .toList();
            PublishResult.RecordPosition first = positions.get(0);
            return new PublishResult(id, first.partition(), first.offset(), positions.size() > 1 ? positions : null);
        });
    }
}
