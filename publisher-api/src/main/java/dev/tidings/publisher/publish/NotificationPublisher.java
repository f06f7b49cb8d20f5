package dev.tidings.publisher.publish;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

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
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Writes validated notifications to Kafka and answers only once Kafka acknowledged every record
 * (acks=all, idempotent producer). Client-chosen ids are remembered for the dedupe window: a
 * re-post of the same id returns the first result and writes nothing; concurrent re-posts wait
 * for the first one's outcome. A failed write is forgotten, so the client's retry writes again.
 * Nothing here waits: results are {@link Mono}s completed by the producer's acknowledgement, and
 * {@link #withoutBlocking} keeps the producer's own waits off the event loops.
 *
 * <p>Thread-safe: the dedupe cache is concurrent and the Kafka template is thread-safe.
 */
@Service
public class NotificationPublisher implements DisposableBean {

    /**
     * How recently Kafka must have acknowledged a record for the next send to be made on the calling
     * thread, an event loop. {@code KafkaProducer.send} blocks (up to {@code max.block.ms}) only when
     * it has no metadata for the topic or no buffer space left, which happens only while Kafka is
     * unreachable, before the first send and after the topic went unused for {@code metadata.max.idle.ms};
     * a producer that had a record acknowledged this recently has both.
     */
    static final long RECENT_ACK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final KafkaTemplate<String, Notification> kafka;
    private final PublisherProperties properties;
    private final Cache<String, CompletableFuture<PublishResult>> recentIds;
    private final Timer publishTimer;
    private final Scheduler mayBlock = Schedulers.newBoundedElastic(2, 10_000, "kafka-send");
    private volatile long lastAcknowledged = System.nanoTime() - 2 * RECENT_ACK_NANOS;

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

    /**
     * Runs {@code sends} (work that calls {@link #start}) so that no event loop ever waits on the
     * producer: at once on the calling thread while Kafka acknowledges records, otherwise (first
     * request, after an idle spell, during an outage) on a small pool of threads that may block,
     * bounded as a whole by {@code tidings.publisher.send-timeout}.
     */
    <T> Mono<T> withoutBlocking(Supplier<Mono<T>> sends) {
        Mono<T> work = Mono.defer(sends);
        if (System.nanoTime() - lastAcknowledged < RECENT_ACK_NANOS) {
            return work;
        }
        return work.subscribeOn(mayBlock)
                .timeout(properties.sendTimeout())
                .onErrorMap(failure -> failure instanceof TimeoutException
                        || failure instanceof RejectedExecutionException, this::unavailable);
    }

    @Override
    public void destroy() {
        mayBlock.dispose();
    }

    /** Publishes one notification; the result is emitted once Kafka acknowledged it. */
    Mono<PublishResult> publish(ValidNotification notification, Principal caller) {
        return settle(start(notification, caller));
    }

    /** Starts publishing without waiting; pair with {@link #settle}. Batch requests start all first. */
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

    /**
     * The outcome of a started publish, bounded by {@code tidings.publisher.send-timeout}; a failure or
     * the timeout is a {@link KafkaUnavailableException}. Never blocks. Cancelling the result (the
     * client went away) leaves the send itself alone: a re-post of the same id must still find it.
     */
    Mono<PublishResult> settle(CompletableFuture<PublishResult> pending) {
        return Mono.fromFuture(pending, true)
                .timeout(properties.sendTimeout())
                .onErrorMap(this::unavailable);
    }

    /**
     * Completes once every started publish has an outcome, or at {@code tidings.publisher.send-timeout}
     * (one timer for all of them); never fails. Read each one's outcome with {@link #outcome} then.
     */
    Mono<Void> settleAll(List<CompletableFuture<PublishResult>> pending) {
        return Mono.fromFuture(CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)), true)
                .timeout(properties.sendTimeout())
                .onErrorComplete();
    }

    /**
     * A publish's outcome once {@link #settleAll} completed: its result, or a {@link KafkaUnavailableException}
     * if it failed or is still unacknowledged. Never blocks.
     */
    PublishResult outcome(CompletableFuture<?> pending) {
        if (!pending.isDone()) {
            throw unavailable(new TimeoutException());
        }
        try {
            return (PublishResult) pending.join();
        }
        catch (CompletionException | CancellationException ex) {
            throw unavailable(ex.getCause() == null ? ex : ex.getCause());
        }
    }

    private KafkaUnavailableException unavailable(Throwable failure) {
        if (failure instanceof RejectedExecutionException) {
            return new KafkaUnavailableException("too many requests are waiting for Kafka", failure);
        }
        return failure instanceof TimeoutException
                ? new KafkaUnavailableException("Kafka did not acknowledge within "
                        + properties.sendTimeout().toMillis() + " ms", failure)
                : new KafkaUnavailableException("Kafka did not accept the notification: " + failure.getMessage(),
                        failure);
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
            lastAcknowledged = System.nanoTime();
            List<PublishResult.RecordPosition> positions = sends.stream().map(CompletableFuture::join)
                    .map(r -> new PublishResult.RecordPosition(r.getProducerRecord().key(),
                            r.getRecordMetadata().partition(), r.getRecordMetadata().offset()))
                    .toList();
            PublishResult.RecordPosition first = positions.get(0);
            return new PublishResult(id, first.partition(), first.offset(), positions.size() > 1 ? positions : null);
        });
    }
}
