package dev.tidings.router.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import dev.tidings.router.decode.SourceUnavailableException;
import dev.tidings.router.routes.Route;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one route on its own thread with its own consumer in the route's consumer group, so router
 * instances share a route's partitions.
 *
 * <p>Contracts (at-least-once, without duplicates for users): a polled batch is routed, its
 * notification and dead-letter records are sent, and its offsets are committed only once the broker
 * acknowledged every one of them (asynchronously; synchronously for partitions handed over in a
 * rebalance); if a send fails nothing is committed and the batch is read again.
 * A record routed twice (after a crash or a rebalance) is written with the same notification id,
 * which clients drop. A record that cannot be routed goes to the dead-letter topic and the route goes
 * on; while its source is unavailable (the schema registry) the partition pauses at that record and
 * is retried with backoff, up to {@link #MAX_BACKOFF}. Nothing but {@link #stop()} ends the loop.
 */
final class RouteRunner implements Runnable {

    static final Duration MIN_BACKOFF = Duration.ofMillis(200);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(RouteRunner.class);

    private final Route route;
    private final RecordRouter router;
    private final Map<String, Object> consumerConfig;
    private final Map<String, Object> adminConfig;
    private final Producer<byte[], byte[]> producer;
    private final RouteMetrics metrics;
    private final Duration pollTimeout;
    private final Map<TopicPartition, Long> pausedUntil = new HashMap<>();
    /** Partitions held at a record whose source does not answer, until a record of theirs is routed. */
    private final Set<TopicPartition> waiting = new HashSet<>();
    /** A batch's sends failed and it has not been routed since. */
    private boolean unacknowledged;
    /** Per partition held, the offset after the last record whose notifications the broker acknowledged. */
    private final Map<TopicPartition, OffsetAndMetadata> acked = new HashMap<>();
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private long backoffMillis = MIN_BACKOFF.toMillis();
    private volatile RouteStatus status = new RouteStatus(RouteStatus.State.STARTING, Instant.now(), null);

    RouteRunner(Route route, RecordRouter router, Map<String, Object> clientConfig, Producer<byte[], byte[]> producer,
            RouteMetrics metrics, Duration pollTimeout, Duration topicRefresh) {
        this.route = route;
        this.router = router;
        this.producer = producer;
        this.metrics = metrics;
        this.pollTimeout = pollTimeout;
        this.adminConfig = new HashMap<>(clientConfig);
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, route.consumerGroup());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Every partition is placed by StartOffsets; this only covers a committed offset that aged out.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // How soon a new topic matching the route is found.
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) topicRefresh.toMillis());
        config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "tidings-router-" + route.name());
        this.consumerConfig = config;
    }

    String routeName() {
        return route.name();
    }

    RouteStatus status() {
        return status;
    }

    private void enter(RouteStatus.State state, @Nullable String reason) {
        if (status.state() != state || !Objects.equals(status.reason(), reason)) {
            status = new RouteStatus(state, status.state() == state ? status.since() : Instant.now(), reason);
        }
    }

    /** Ends the loop; the batch in progress is finished (or dropped uncommitted) and the consumer closed. */
    void stop() {
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    @Override
    public void run() {
        while (running) {
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = c;
                consume(c);
            }
            catch (WakeupException ex) {
                // stop() was called
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            catch (RuntimeException ex) {
                if (!running) {
                    return;
                }
                log.warn("Route {} failed ({}); it starts again in {} ms from its committed offsets", route.name(),
                        ex.toString(), backoffMillis);
                enter(RouteStatus.State.RETRYING, ex.toString());
                sleep();
            }
        }
    }

    private void consume(KafkaConsumer<byte[], byte[]> c) throws InterruptedException {
        acked.clear();
        StartOffsets start = new StartOffsets(route.start(), newRoute(), existingPartitions(c));
        c.subscribe(route.topics(), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                partitions.forEach(pausedUntil::remove);
                waiting.removeAll(partitions);
                commitBeforeHandingOver(c, partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                start.place(c, partitions);
            }
        });
        log.info("Route {} reads topics matching {} in consumer group {}", route.name(), route.topics(),
                route.consumerGroup());
        while (running) {
            resumeDue(c);
            ConsumerRecords<byte[], byte[]> records = c.poll(pollTimeout);
            measureLag(c);
            if (!records.isEmpty()) {
                handle(c, records);
            }
            if (waiting.isEmpty() && !unacknowledged
                    && (!c.assignment().isEmpty() || status.state() == RouteStatus.State.RETRYING)) {
                enter(RouteStatus.State.RUNNING, null);
            }
        }
    }

    private void handle(KafkaConsumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> records)
            throws InterruptedException {
        List<Future<RecordMetadata>> sends = new ArrayList<>(records.count());
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        Set<TopicPartition> held = new HashSet<>();
        int in = 0;
        int routed = 0;
        int filtered = 0;
        int deadLettered = 0;
        int notifications = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (held.contains(partition)) {
                continue;
            }
            Outcome outcome;
            try {
                outcome = router.route(record);
            }
            catch (SourceUnavailableException ex) {
                hold(c, partition, record.offset(), ex);
                held.add(partition);
                continue;
            }
            waiting.remove(partition);
            in++;
            if (outcome instanceof Outcome.Routed r) {
                for (ProducerRecord<byte[], byte[]> notification : r.notifications()) {
                    sends.add(producer.send(notification));
                }
                notifications += r.notifications().size();
                routed++;
            }
            else if (outcome instanceof Outcome.DeadLettered d) {
                sends.add(producer.send(DeadLetters.of(route.deadLetterTopic(), route.name(), record, d.failure())));
                deadLettered++;
                log.debug("Route {} dead-lettered {}-{}@{}: {}", route.name(), record.topic(), record.partition(),
                        record.offset(), d.failure().getMessage());
            }
            else {
                filtered++;
            }
            next.put(partition, new OffsetAndMetadata(record.offset() + 1));
        }
        try {
            if (!sends.isEmpty()) {
                // The batch is waited for anyway: send it now rather than after the producer's linger.
                producer.flush();
            }
            for (Future<RecordMetadata> send : sends) {
                send.get();
            }
        }
        catch (ExecutionException ex) {
            log.warn("Route {}: Kafka did not acknowledge a record ({}); the batch is read again in {} ms",
                    route.name(), ex.getCause().toString(), backoffMillis);
            unacknowledged = true;
            enter(RouteStatus.State.RETRYING, "Kafka did not acknowledge a record: " + ex.getCause());
            rewind(c, next.keySet());
            sleep();
            return;
        }
        if (!next.isEmpty()) {
            // Asynchronously: a synchronous commit waited for the group coordinator's write on every batch,
            // which at moderate rates was most of the latency the router added. Each commit names only
            // acknowledged records, so one that fails or is overtaken costs a re-route with the same ids.
            acked.putAll(next);
            c.commitAsync(next, (offsets, error) -> {
                if (error != null) {
                    log.debug("Route {}: a commit failed ({}); a later one covers it", route.name(), error.toString());
                }
            });
        }
        metrics.in.increment(in);
        metrics.routed.increment(routed);
        metrics.filtered.increment(filtered);
        metrics.deadLettered.increment(deadLettered);
        metrics.notifications.increment(notifications);
        if (held.isEmpty()) {
            backoffMillis = MIN_BACKOFF.toMillis();
        }
        unacknowledged = false;
    }

    private void hold(KafkaConsumer<byte[], byte[]> c, TopicPartition partition, long offset,
            SourceUnavailableException ex) {
        metrics.sourceUnavailable.increment();
        log.warn("Route {}: {} is paused at offset {} for {} ms: {}", route.name(), partition, offset, backoffMillis,
                ex.getMessage());
        waiting.add(partition);
        enter(RouteStatus.State.WAITING_FOR_SOURCE, partition + " at offset " + offset + ": " + ex.getMessage());
        c.seek(partition, offset);
        c.pause(List.of(partition));
        pausedUntil.put(partition, System.currentTimeMillis() + backoffMillis);
        backoffMillis = Math.min(MAX_BACKOFF.toMillis(), backoffMillis * 2);
    }

    private void resumeDue(KafkaConsumer<byte[], byte[]> c) {
        if (pausedUntil.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        List<TopicPartition> due = new ArrayList<>();
        pausedUntil.forEach((partition, until) -> {
            if (until <= now) {
                due.add(partition);
            }
        });
        due.forEach(pausedUntil::remove);
        c.resume(due);
    }

    /** Back to the first record not acknowledged: this instance's own position, else the committed one. */
    private void rewind(KafkaConsumer<byte[], byte[]> c, Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = c.committed(partitions);
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = acked.containsKey(partition) ? acked.get(partition) : committed.get(partition);
            if (offset != null) {
                c.seek(partition, offset);
            }
        }
    }

    /** Commits what was acknowledged of partitions this instance gives up, so their next owner starts there. */
    private void commitBeforeHandingOver(KafkaConsumer<byte[], byte[]> c, Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> handed = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = acked.remove(partition);
            if (offset != null) {
                handed.put(partition, offset);
            }
        }
        if (!handed.isEmpty()) {
            try {
                c.commitSync(handed);
            }
            catch (RuntimeException ex) {
                log.debug("Route {}: the commit before a rebalance failed ({}); the next owner re-routes with the "
                        + "same ids", route.name(), ex.toString());
            }
        }
    }

    private void measureLag(KafkaConsumer<byte[], byte[]> c) {
        long lag = 0;
        for (TopicPartition partition : c.assignment()) {
            lag += c.currentLag(partition).orElse(0);
        }
        metrics.lag.set(lag);
    }

    /** Whether the route's consumer group has committed no offset at all: the route runs for the first time. */
    private boolean newRoute() {
        try (Admin admin = Admin.create(adminConfig)) {
            return admin.listConsumerGroupOffsets(route.consumerGroup()).partitionsToOffsetAndMetadata().get()
                    .isEmpty();
        }
        catch (ExecutionException ex) {
            throw new IllegalStateException("cannot read the committed offsets of " + route.consumerGroup(),
                    ex.getCause());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private Set<TopicPartition> existingPartitions(KafkaConsumer<byte[], byte[]> c) {
        Set<TopicPartition> existing = new HashSet<>();
        for (Map.Entry<String, List<PartitionInfo>> topic : c.listTopics().entrySet()) {
            if (route.topics().matcher(topic.getKey()).matches()) {
                topic.getValue().forEach(info -> existing.add(new TopicPartition(info.topic(), info.partition())));
            }
        }
        return existing;
    }

    private void sleep() {
        try {
            Thread.sleep(backoffMillis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            running = false;
        }
        backoffMillis = Math.min(MAX_BACKOFF.toMillis(), backoffMillis * 2);
    }
}
