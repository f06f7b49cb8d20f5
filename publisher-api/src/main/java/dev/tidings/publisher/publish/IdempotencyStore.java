package dev.tidings.publisher.publish;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.tidings.publisher.config.PublisherProperties;
import dev.tidings.schema.TopicLayout;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Idempotency keys shared by every publisher replica through one compacted Kafka topic
 * ({@code tidings.publisher.idempotency-topic}). A key is a caller's ({@code sub}) notification id.
 *
 * <p>Contract: a publish with a key first appends a <em>claim</em> (its own claim id and the digest of
 * its request) and waits until this replica's reader has read that partition past the claim. Every
 * replica applies the partition's log in the same order with the same rule, so they agree on one
 * winner per key: the first claim on a key that is free. A key is free when it was never claimed,
 * when its holder <em>released</em> it (its write failed), when its claim is older than
 * {@code dedupe-window}, or when its holder wrote no outcome within twice {@code send-timeout} (a
 * replica that died mid-publish). The winner writes the notification, then the <em>outcome</em>
 * (its {@link PublishResult}) under the same key; every other claimant answers from that outcome.
 *
 * <p>Each replica reads the whole topic from {@code dedupe-window} ago, with no consumer group, and
 * keeps at most {@code dedupe-max-entries} keys (the oldest forgotten first).
 *
 * <p>One class, past the usual size, because it is one replicated state machine: the claim, the
 * read-back that decides it, the outcome and the expiry rules all read and write the same log
 * position and key map, which no other class may see half-updated.
 *
 * <p>Thread-safe: the state is written only by the reader thread; other threads read it after
 * the future that the reader completed, and the waiting lists are guarded by their own lock.
 */
@Component
public class IdempotencyStore implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyStore.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final PublisherProperties properties;
    private final String topic;
    private final String replica = NotificationIds.random().toString();
    private final Map<String, Object> producerConfig;
    private final Map<String, Object> consumerConfig;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** Keys in the order their winning claims were read, for forgetting the oldest (reader thread only). */
    private final LinkedHashMap<String, Entry> byAge = new LinkedHashMap<>();
    private final Map<Integer, Waiting> waiting = new ConcurrentHashMap<>();
    private volatile @Nullable KafkaProducer<String, String> producer;
    private volatile @Nullable KafkaConsumer<String, String> consumer;
    private volatile @Nullable Thread reader;
    private volatile boolean running;
    /**
     * Where a claim's caller continues (and the winner starts its write): never the reader, which
     * must not wait on a producer, nor a producer's I/O thread.
     */
    private final ExecutorService continuations = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "idempotency-continue");
        thread.setDaemon(true);
        return thread;
    });
    private volatile long lastAcknowledged = System.nanoTime() - 2 * NotificationPublisher.RECENT_ACK_NANOS;

    IdempotencyStore(PublisherProperties properties, TopicLayout layout, KafkaProperties boot) {
        this.properties = properties;
        this.topic = properties.idempotencyTopicOf(layout.topic());
        Map<String, Object> produce = new HashMap<>(boot.buildProducerProperties());
        produce.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        produce.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        produce.put(ProducerConfig.ACKS_CONFIG, "all");
        produce.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        produce.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        produce.put(ProducerConfig.CLIENT_ID_CONFIG, "tidings-idempotency-" + replica);
        produce.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        this.producerConfig = produce;
        Map<String, Object> consume = new HashMap<>(boot.buildConsumerProperties());
        consume.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consume.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A long poll: the broker answers the reader's fetch as soon as a claim or an outcome is appended to one
        // of its partitions, so claims are seen as fast with any wait; the wait only sets how often an idle
        // reader (and the broker) wakes up: twice a second, not ten times.
        consume.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
        consume.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500);
        consume.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        consume.put(ConsumerConfig.CLIENT_ID_CONFIG, "tidings-idempotency-reader-" + replica);
        this.consumerConfig = consume;
    }

    /** Whether keys are kept at all ({@code dedupe-window} above zero). */
    boolean enabled() {
        return !properties.dedupeWindow().isZero();
    }

    /** Whether this store's producer had a record acknowledged recently, so its sends will not block. */
    boolean recentlyAcknowledged() {
        return System.nanoTime() - lastAcknowledged < NotificationPublisher.RECENT_ACK_NANOS;
    }

    /**
     * Claims {@code key} for a request whose digest is {@code digest}; completes once every replica
     * would agree who holds it. Fails with {@link KafkaUnavailableException} when the claim cannot be
     * written.
     */
    CompletableFuture<Claim> claim(String key, String digest) {
        return claim(key, digest, 3);
    }

    private CompletableFuture<Claim> claim(String key, String digest, int attempts) {
        String claimId = NotificationIds.random().toString();
        Event event = new Event("claim", claimId, digest, replica, System.currentTimeMillis(), null);
        return append(key, event).thenCompose(written -> {
            Entry holder = entries.get(key);
            if (holder == null) {
                // Released (or forgotten) between the claims: claim again.
                if (attempts <= 1) {
                    throw new KafkaUnavailableException("the key was released while it was being claimed", null);
                }
                return claim(key, digest, attempts - 1);
            }
            return CompletableFuture.completedFuture(new Claim(holder.claim.equals(claimId), holder));
        });
    }

    /** Records the winner's result: every other claimant of the key answers with it. */
    void written(String key, Claim claim, PublishResult result) {
        append(key, new Event("outcome", claim.entry().claim, null, replica, System.currentTimeMillis(), result));
    }

    /** The winner's write failed: the key is free for the next claim. */
    void release(String key, Claim claim) {
        append(key, new Event("release", claim.entry().claim, null, replica, System.currentTimeMillis(), null));
    }

    /** Appends an event and completes once this replica's reader has applied it. */
    private CompletableFuture<Void> append(String key, Event event) {
        KafkaProducer<String, String> p = producer;
        if (p == null) {
            return CompletableFuture.failedFuture(
                    new KafkaUnavailableException("the publisher is not started yet", null));
        }
        CompletableFuture<Void> applied = new CompletableFuture<>();
        try {
            p.send(new ProducerRecord<>(topic, key, JSON.writeValueAsString(event)), (metadata, failure) -> {
                if (failure != null) {
                    applied.completeExceptionally(new KafkaUnavailableException(
                            "Kafka did not accept the idempotency claim: " + failure.getMessage(), failure));
                    return;
                }
                lastAcknowledged = System.nanoTime();
                waiting.computeIfAbsent(metadata.partition(), partition -> new Waiting())
                        .await(metadata.offset(), applied);
            });
        }
        catch (RuntimeException ex) {
            applied.completeExceptionally(new KafkaUnavailableException(
                    "Kafka did not accept the idempotency claim: " + ex.getMessage(), ex));
        }
        return applied;
    }

    @Override
    public void start() {
        KafkaProducer<String, String> p = new KafkaProducer<>(producerConfig);
        KafkaConsumer<String, String> c = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new StringDeserializer());
        producer = p;
        consumer = c;
        running = true;
        Thread thread = new Thread(() -> read(p, c), "idempotency-reader");
        thread.setDaemon(true);
        reader = thread;
        thread.start();
    }

    /**
     * Assigns every partition of the topic, from {@code dedupe-window} ago, retrying until Kafka
     * answers (the publisher starts while Kafka is down; claims wait, bounded by send-timeout).
     */
    private List<TopicPartition> assign(KafkaProducer<String, String> p, KafkaConsumer<String, String> c)
            throws InterruptedException {
        while (running) {
            try {
                List<TopicPartition> partitions = new ArrayList<>();
                for (PartitionInfo info : c.partitionsFor(topic, Duration.ofSeconds(10))) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
                if (!partitions.isEmpty()) {
                    c.assign(partitions);
                    Map<TopicPartition, Long> since = new HashMap<>();
                    long from = System.currentTimeMillis() - properties.dedupeWindow().toMillis();
                    partitions.forEach(tp -> since.put(tp, from));
                    Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(since, Duration.ofSeconds(10));
                    Map<TopicPartition, Long> ends = c.endOffsets(partitions, Duration.ofSeconds(10));
                    for (TopicPartition tp : partitions) {
                        OffsetAndTimestamp at = found.get(tp);
                        c.seek(tp, at == null ? ends.get(tp) : at.offset());
                    }
                    // The producer's metadata for the topic now, so that the first claim does not wait for it.
                    p.partitionsFor(topic);
                    return partitions;
                }
                log.warn("Idempotency topic {} not found yet; retrying", topic);
            }
            catch (WakeupException stopping) {
                throw stopping;
            }
            catch (RuntimeException ex) {
                log.warn("Cannot read idempotency topic {} yet ({}); retrying", topic, ex.toString());
            }
            TimeUnit.SECONDS.sleep(1);
        }
        return List.of();
    }

    private void read(KafkaProducer<String, String> p, KafkaConsumer<String, String> c) {
        try {
            List<TopicPartition> partitions = assign(p, c);
            while (running) {
                for (ConsumerRecord<String, String> record : c.poll(Duration.ofMillis(500))) {
                    apply(record);
                }
                for (TopicPartition tp : partitions) {
                    long position = c.position(tp);
                    Waiting list = waiting.computeIfAbsent(tp.partition(), partition -> new Waiting());
                    list.advance(position);
                }
                forgetOld();
            }
        }
        catch (WakeupException stopping) {
            // stop() woke the reader.
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (RuntimeException ex) {
            log.error("The idempotency reader stopped; publishes with an id will answer 503", ex);
        }
        finally {
            c.close(Duration.ofSeconds(1));
        }
    }

    private void apply(ConsumerRecord<String, String> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        Event event;
        try {
            event = JSON.readValue(record.value(), Event.class);
        }
        catch (RuntimeException ex) {
            log.warn("Skipping an unreadable idempotency record at {}-{}@{}", record.topic(), record.partition(),
                    record.offset());
            return;
        }
        String key = record.key();
        Entry holder = entries.get(key);
        switch (event.type()) {
            case "claim" -> {
                if (holder == null || free(holder, event.at())) {
                    Entry claimed = new Entry(event.claim(), event.digest() == null ? "" : event.digest(), event.at());
                    entries.put(key, claimed);
                    byAge.remove(key);
                    byAge.put(key, claimed);
                    if (holder != null) {
                        holder.outcome.completeExceptionally(new Released());
                    }
                }
            }
            case "outcome" -> {
                if (holder != null && holder.claim.equals(event.claim()) && event.result() != null) {
                    holder.outcome.complete(event.result());
                }
            }
            case "release" -> {
                if (holder != null && holder.claim.equals(event.claim())) {
                    entries.remove(key);
                    byAge.remove(key);
                    holder.outcome.completeExceptionally(new Released());
                }
            }
            default -> log.warn("Skipping an idempotency record of unknown type {}", event.type());
        }
    }

    /** Whether a claim made at {@code at} takes the key from {@code holder}. Same answer on every replica. */
    private boolean free(Entry holder, long at) {
        if (at - holder.at >= properties.dedupeWindow().toMillis()) {
            return true;
        }
        return !holder.outcome.isDone() && at - holder.at >= 2 * properties.sendTimeout().toMillis();
    }

    private void forgetOld() {
        long oldest = System.currentTimeMillis() - properties.dedupeWindow().toMillis();
        Iterator<Map.Entry<String, Entry>> it = byAge.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Entry> next = it.next();
            if (byAge.size() <= properties.dedupeMaxEntries() && next.getValue().at >= oldest) {
                break;
            }
            it.remove();
            entries.remove(next.getKey(), next.getValue());
        }
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread thread = reader;
        if (thread != null) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        KafkaProducer<String, String> p = producer;
        if (p != null) {
            p.close(Duration.ofSeconds(5));
        }
        producer = null;
        consumer = null;
        continuations.shutdown();
    }

    /** Starts before the web server takes requests and stops after it stopped taking them. */
    @Override
    public int getPhase() {
        return 0;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Who holds a key after a claim was applied.
     *
     * @param won whether the claim that asked holds it
     * @param entry the holder: its request digest and, once written, its outcome
     */
    record Claim(boolean won, Entry entry) {
    }

    /** A key's holder. Its outcome completes with the winner's result, or fails with {@link Released}. */
    static final class Entry {
        final String claim;
        final String digest;
        final long at;
        final CompletableFuture<PublishResult> outcome = new CompletableFuture<>();

        Entry(String claim, String digest, long at) {
            this.claim = claim;
            this.digest = digest;
            this.at = at;
        }
    }

    /** The holder's write failed or its claim lapsed: nothing was written under it. */
    static final class Released extends RuntimeException {
        Released() {
            super("the first request with this id did not complete", null, false, false);
        }
    }

    /**
     * One record of the idempotency topic.
     *
     * @param type {@code claim}, {@code outcome} or {@code release}
     * @param claim the claim it is or refers to
     * @param digest the request's digest (claims)
     * @param replica the replica that wrote it
     * @param at when it was written, epoch milliseconds
     * @param result the write's result (outcomes)
     */
    record Event(String type, String claim, @Nullable String digest, String replica, long at,
            @Nullable PublishResult result) {
    }

    /** Futures waiting for the reader to pass an offset of one partition. */
    private final class Waiting {
        private final PriorityQueue<Waiter> queue = new PriorityQueue<>((a, b) -> Long.compare(a.offset, b.offset));
        private long position = -1;

        synchronized void await(long offset, CompletableFuture<Void> applied) {
            if (offset < position) {
                continuations.execute(() -> applied.complete(null));
                return;
            }
            queue.add(new Waiter(offset, applied));
        }

        void advance(long newPosition) {
            List<Waiter> done = new ArrayList<>();
            synchronized (this) {
                position = newPosition;
                while (!queue.isEmpty() && queue.peek().offset < newPosition) {
                    done.add(queue.poll());
                }
            }
            done.forEach(w -> continuations.execute(() -> w.applied.complete(null)));
        }

        private record Waiter(long offset, CompletableFuture<Void> applied) {
        }
    }
}
