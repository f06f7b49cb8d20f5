package dev.tidings.publisher.publish;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import dev.tidings.common.auth.Principal;
import dev.tidings.publisher.config.PublisherProperties;
import dev.tidings.publisher.problem.PayloadTooLargeException;
import dev.tidings.schema.Address;
import dev.tidings.schema.Notification;
import dev.tidings.schema.Target;
import dev.tidings.schema.TargetType;
import dev.tidings.schema.TopicLayout;
import dev.tidings.schema.TopicProperties;
import dev.tidings.schema.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Writes validated notifications to Kafka and answers only once Kafka acknowledged every record
 * (acks=all, idempotent producer).
 *
 * <p>Contracts:
 * <ul>
 * <li>Every publish has its id before anything is sent (the caller's, or a new random one), and
 * every failure names it (the {@code id} of its {@link KafkaUnavailableException}'s problem): the
 * retry with it is the same notification.</li>
 * <li>A caller-given id is an idempotency key of that caller ({@code sub}), shared by every replica
 * through {@link IdempotencyStore}: the same key and request is written once and every re-post gets
 * the first result; the same key with another request is an {@link IdempotencyConflictException}.
 * Requests without an id skip the key (their id is new).</li>
 * <li>{@code tidings.publisher.send-timeout} is at least the producer's {@code max.block.ms} plus
 * {@code delivery.timeout.ms} (checked at start-up): a request without an id is answered 503 only
 * once the producer itself gave up on it.</li>
 * <li>The {@link WarmUpTraffic warm-up}'s records go to its own topic, through the same producer and every
 * other step.</li>
 * <li>No event loop waits on the producer: requests hold a {@link ProducerBudget} share of
 * {@code buffer.memory} while their records are in flight and are refused at once (503) when it
 * is spent, and sends are made off the event loops unless Kafka acknowledged something within
 * {@link #RECENT_ACK_NANOS} (so the producer has the topic's metadata).</li>
 * </ul>
 *
 * <p>One class, past the usual size, because the four contracts above are one send path: the id, the
 * key's claim, the buffer share and the acknowledgement are taken and released together, on
 * success and on every failure.
 *
 * <p>Thread-safe: the Kafka template is thread-safe, the budget and the store are concurrent.
 */
@Service
public class NotificationPublisher implements DisposableBean {

    /**
     * How recently Kafka must have acknowledged a record for the next send to be made on the calling
     * thread, an event loop. {@code KafkaProducer.send} blocks (up to {@code max.block.ms}) only when
     * it has no metadata for the topic or no buffer space left; the budget keeps buffer space, and a
     * producer that had a record acknowledged this recently has the metadata.
     */
    static final long RECENT_ACK_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Bytes a record takes beyond its payload, key and ids: Avro fields, record and batch headers, margin. */
    static final int RECORD_OVERHEAD_BYTES = 256;

    private final KafkaTemplate<String, Notification> kafka;
    private final PublisherProperties properties;
    private final String topic;
    private final @Nullable IdempotencyStore store;
    private final @Nullable WarmUpTraffic warmUp;
    private final ProducerBudget budget;
    private final Timer publishTimer;
    private final Counter bufferFull;
    private final Scheduler mayBlock = Schedulers.newBoundedElastic(2, 10_000, "kafka-send");
    private volatile long lastAcknowledged = System.nanoTime() - 2 * RECENT_ACK_NANOS;
    /** As {@link #lastAcknowledged}, for the warm-up's topic. */
    private volatile long lastWarmUpAcknowledged = lastAcknowledged;

    @Autowired
    NotificationPublisher(KafkaTemplate<String, Notification> kafka, PublisherProperties properties,
            TopicLayout layout, MeterRegistry meters, @Nullable IdempotencyStore store,
            @Nullable WarmUpTraffic warmUp) {
        this.kafka = kafka;
        this.properties = properties;
        this.topic = layout.topic();
        this.store = store;
        this.warmUp = warmUp;
        Map<String, Object> producer = kafka.getProducerFactory().getConfigurationProperties();
        long maxBlock = millis(producer, ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
        long delivery = millis(producer, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        if (properties.sendTimeout().toMillis() < maxBlock + delivery) {
            throw new IllegalStateException("tidings.publisher.send-timeout (" + properties.sendTimeout().toMillis()
                    + " ms) is shorter than the producer's worst case, max.block.ms (" + maxBlock
                    + " ms) + delivery.timeout.ms (" + delivery + " ms): a request could be answered 503 and its "
                    + "notification written afterwards. Raise tidings.publisher.send-timeout to at least "
                    + (maxBlock + delivery) + " ms or lower spring.kafka.producer.properties.max.block.ms / "
                    + "delivery.timeout.ms.");
        }
        long bufferMemory = millis(producer, ProducerConfig.BUFFER_MEMORY_CONFIG, 32L * 1024 * 1024);
        this.budget = new ProducerBudget(bufferMemory * 3 / 4);
        this.publishTimer = Timer.builder("tidings.publisher.publish")
                .description("Time from request to Kafka acknowledgement of every record of a notification")
                .publishPercentileHistogram()
                .register(meters);
        this.bufferFull = Counter.builder("tidings.publisher.buffer.full")
                .description("Notifications refused with 503 because the producer's buffer share was spent")
                .register(meters);
        Gauge.builder("tidings.publisher.buffer.held.bytes", budget, ProducerBudget::held)
                .description("Estimated bytes of in-flight publish requests in the producer's buffer")
                .baseUnit("bytes")
                .register(meters);
    }

    /**
     * To {@link Topics#NOTIFICATIONS}, without a store: caller-given ids are then written as given,
     * with no key (tests of the threading).
     */
    NotificationPublisher(KafkaTemplate<String, Notification> kafka, PublisherProperties properties,
            MeterRegistry meters) {
        this(kafka, properties, new TopicProperties(Topics.NOTIFICATIONS, 1, (short) 1, (short) 0).layout(), meters,
                null, null);
    }

    private static long millis(Map<String, Object> config, String name, long otherwise) {
        Object value = config.get(name);
        return value == null ? otherwise : Long.parseLong(value.toString().strip());
    }

    /** The id a notification is written under: the caller's, or a new random one. */
    String idFor(ValidNotification notification) {
        return notification.id() != null ? notification.id() : NotificationIds.random().toString();
    }

    /**
     * Runs {@code sends} (work that calls {@link #start}) so that no event loop ever waits on a
     * producer: at once on the calling thread while Kafka acknowledges records of the topic the caller's
     * go to (and, when {@code claims}, idempotency claims), otherwise (first request, after an idle spell,
     * during an outage) on a small pool of threads that may block. The pool's wait is bounded by twice
     * {@code tidings.publisher.send-timeout}; each publish's own outcome by {@link #settle}.
     */
    <T> Mono<T> withoutBlocking(Principal caller, boolean claims, Supplier<Mono<T>> sends) {
        Mono<T> work = Mono.defer(sends);
        long acknowledged = fromWarmUp(caller) ? lastWarmUpAcknowledged : lastAcknowledged;
        boolean recent = System.nanoTime() - acknowledged < RECENT_ACK_NANOS
                && (!claims || store == null || store.recentlyAcknowledged());
        if (recent) {
            return work;
        }
        return work.subscribeOn(mayBlock)
                .timeout(properties.sendTimeout().multipliedBy(2))
                .onErrorMap(failure -> failure instanceof TimeoutException
                        || failure instanceof RejectedExecutionException, failure -> unavailable(failure, null));
    }

    /** Whether {@code caller} is this publisher's own warm-up, whose records go to the warm-up's topic. */
    private boolean fromWarmUp(Principal caller) {
        return warmUp != null && warmUp.isFrom(caller.userId());
    }

    @Override
    public void destroy() {
        mayBlock.dispose();
    }

    /** A started publish: the id it is written under and its outcome. */
    record Started(String id, CompletableFuture<PublishResult> result) {
    }

    /** Publishes one notification under {@code id}; the result is emitted once Kafka acknowledged it. */
    Mono<PublishResult> publish(ValidNotification notification, String id, Principal caller) {
        return settle(start(notification, id, caller));
    }

    /** Starts publishing under {@code id} without waiting; pair with {@link #settle}. Batches start all first. */
    Started start(ValidNotification notification, String id, Principal caller) {
        CompletableFuture<PublishResult> result;
        try {
            result = notification.id() == null || store == null || !store.enabled()
                    ? send(id, notification, caller)
                    : claimed(id, notification, caller);
        }
        catch (RuntimeException ex) {
            result = CompletableFuture.failedFuture(ex);
        }
        return new Started(id, result);
    }

    private CompletableFuture<PublishResult> claimed(String id, ValidNotification n, Principal caller) {
        IdempotencyStore claims = store;
        String key = caller.userId() + "\u0000" + id;
        String digest = digest(n);
        return claims.claim(key, digest).thenCompose(claim -> {
            if (claim.won()) {
                CompletableFuture<PublishResult> sent;
                try {
                    sent = send(id, n, caller);
                }
                catch (RuntimeException ex) {
                    sent = CompletableFuture.failedFuture(ex);
                }
                // Whatever happened, the key gets its outcome: a result, or free again.
                return sent.whenComplete((result, failure) -> {
                    if (failure == null) {
                        claims.written(key, claim, result);
                    }
                    else {
                        claims.release(key, claim);
                    }
                });
            }
            if (!claim.entry().digest.equals(digest)) {
                throw new IdempotencyConflictException(id, "id " + id + " was already used by caller "
                        + caller.userId() + " for a different notification within tidings.publisher.dedupe-window ("
                        + properties.dedupeWindow() + "); nothing was written for this request: use a new id");
            }
            return claim.entry().outcome.exceptionallyCompose(failure -> CompletableFuture.failedFuture(
                    new KafkaUnavailableException("the first request with id " + id
                            + " did not complete and wrote nothing", null, id)));
        });
    }

    /** SHA-256 of the request as validated: target, event, payload and time to live. */
    static String digest(ValidNotification n) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            StringBuilder canonical = new StringBuilder(n.payloadJson().length() + 64)
                    .append(n.targetType()).append('\u0000');
            n.targetIds().forEach(id -> canonical.append(id).append('\u0001'));
            canonical.append('\u0000').append(n.event()).append('\u0000').append(n.payloadJson())
                    .append('\u0000').append(n.ttl() == null ? "" : n.ttl().toString());
            return HexFormat.of().formatHex(sha.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * The outcome of a started publish, bounded by {@code tidings.publisher.send-timeout}; a failure or
     * the timeout is a {@link KafkaUnavailableException} naming the id. Never blocks. Cancelling the
     * result (the client went away) leaves the send itself alone.
     */
    Mono<PublishResult> settle(Started started) {
        return Mono.fromFuture(started.result(), true)
                .timeout(properties.sendTimeout())
                .onErrorMap(failure -> failed(failure, started.id()));
    }

    /**
     * Completes once every started publish has an outcome, or at {@code tidings.publisher.send-timeout}
     * (one timer for all of them); never fails. Read each one's outcome with {@link #outcome} then.
     */
    Mono<Void> settleAll(List<Started> pending) {
        return Mono.fromFuture(CompletableFuture.allOf(pending.stream().map(Started::result)
                        .toArray(CompletableFuture[]::new)), true)
                .timeout(properties.sendTimeout())
                .onErrorComplete();
    }

    /**
     * A publish's outcome once {@link #settleAll} completed: accepted with its result, or rejected
     * with the problem of its failure (a 503 naming the id if it is still unacknowledged). Never
     * blocks.
     */
    BatchItem outcome(Started started) {
        if (!started.result().isDone()) {
            return BatchItem.rejected(unavailable(new TimeoutException(), started.id()));
        }
        try {
            return new BatchItem.Accepted(started.result().join());
        }
        catch (CompletionException | CancellationException ex) {
            return BatchItem.rejected(failed(ex, started.id()));
        }
    }

    private RuntimeException failed(Throwable failure, String id) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof CancellationException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof IdempotencyConflictException || cause instanceof PayloadTooLargeException) {
            return (RuntimeException) cause;
        }
        if (cause instanceof KafkaUnavailableException unavailable) {
            return unavailable.withId(id);
        }
        return unavailable(cause, id);
    }

    private KafkaUnavailableException unavailable(Throwable failure, @Nullable String id) {
        if (failure instanceof RejectedExecutionException) {
            return new KafkaUnavailableException("too many requests are waiting for Kafka", failure, id);
        }
        return failure instanceof TimeoutException
                ? new KafkaUnavailableException("Kafka did not acknowledge within "
                        + properties.sendTimeout().toMillis() + " ms", failure, id)
                : new KafkaUnavailableException("Kafka did not accept the notification: " + failure.getMessage(),
                        failure, id);
    }

    /** A conservative estimate of the producer buffer bytes the notification's records take. */
    static long estimateBytes(ValidNotification n, String id, Principal caller) {
        String payload = n.payloadJson();
        long payloadBytes = payload.length();
        for (int i = 0; i < payload.length(); i++) {
            if (payload.charAt(i) >= 0x80) {
                payloadBytes += 2;
            }
        }
        long perRecord = payloadBytes + 3L * n.event().length() + 3L * id.length() + 3L * caller.userId().length()
                + RECORD_OVERHEAD_BYTES;
        if (n.targetType() == TargetType.BROADCAST) {
            return perRecord;
        }
        long total = 0;
        for (String target : n.targetIds()) {
            total += perRecord + 6L * target.length() + 16;
        }
        return total;
    }

    private CompletableFuture<PublishResult> send(String id, ValidNotification n, Principal caller) {
        long bytes = estimateBytes(n, id, caller);
        if (bytes > budget.capacity()) {
            throw new PayloadTooLargeException("this notification's records need about " + bytes
                    + " bytes of the producer's buffer, more than the " + budget.capacity()
                    + " all requests may hold (three quarters of spring.kafka.producer.buffer-memory); "
                    + "send it to fewer ids or with a smaller payload");
        }
        if (!budget.tryReserve(bytes)) {
            bufferFull.increment();
            throw new KafkaUnavailableException("the producer's buffer is full (spring.kafka.producer.buffer-memory): "
                    + "Kafka is taking records slower than they arrive", null, id);
        }
        boolean warming = fromWarmUp(caller);
        String to = warming ? warmUp.topic() : topic;
        Timer.Sample sample = Timer.start();
        Instant now = Instant.now();
        List<Address> addresses = Address.of(new Target(n.targetType(), n.targetIds()));
        List<CompletableFuture<SendResult<String, Notification>>> sends = new ArrayList<>(addresses.size());
        try {
            for (Address address : addresses) {
                Notification record = Notification.newBuilder()
                        .setId(id)
                        .setEvent(n.event())
                        .setTarget(address.target())
                        .setPayload(n.payloadJson())
                        .setPublishedAt(now)
                        .setExpiresAt(n.ttl() == null ? null : now.plus(n.ttl()))
                        .setSource(caller.userId())
                        .setReplayOf(null)
                        .build();
                sends.add(kafka.send(new ProducerRecord<>(to, address.routingKey(), record)));
            }
        }
        catch (RuntimeException ex) {
            // KafkaTemplate throws synchronously when metadata cannot be fetched within max.block.ms.
            sends.forEach(f -> f.cancel(false));
            budget.release(bytes);
            return CompletableFuture.failedFuture(ex);
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
        all.whenComplete((done, failure) -> budget.release(bytes));
        return all.thenApply(done -> {
            sample.stop(publishTimer);
            // The producer has the metadata of the topic acknowledged, and of no other.
            if (warming) {
                lastWarmUpAcknowledged = System.nanoTime();
            }
            else {
                lastAcknowledged = System.nanoTime();
            }
            List<PublishResult.RecordPosition> positions = sends.stream().map(CompletableFuture::join)
                    .map(r -> new PublishResult.RecordPosition(r.getProducerRecord().key(),
                            r.getRecordMetadata().partition(), r.getRecordMetadata().offset()))
                    .toList();
            PublishResult.RecordPosition first = positions.get(0);
            return new PublishResult(id, first.partition(), first.offset(), positions.size() > 1 ? positions : null);
        });
    }
}
