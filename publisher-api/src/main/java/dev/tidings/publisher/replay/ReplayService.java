package dev.tidings.publisher.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import dev.tidings.publisher.config.PublisherProperties;
import dev.tidings.publisher.problem.InvalidFieldException;
import dev.tidings.schema.Notification;
import dev.tidings.schema.NotificationDeserializer;
import dev.tidings.schema.TopicScan;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Service;

/**
 * Finds notifications by publish time, target and event and either counts them (dry run) or
 * re-publishes them with their original id, key and payload and {@code replayOf} set, so clients
 * that already have one drop it by id. Records that are themselves replays are never replayed.
 * Bounded by {@code tidings.publisher.max-replay-records}, cancellable, one replay at a time.
 * A real replay re-publishes at most {@code tidings.publisher.replay-records-per-second}, evenly
 * spaced, and one without a target must say {@code "all": true}. Only the last
 * {@code tidings.publisher.replay-keep-finished} finished jobs are kept.
 *
 * <p>Thread-safe: jobs run on a single thread; the job table and the finished list are concurrent.
 */
@Service
public class ReplayService {

    private static final Logger log = LoggerFactory.getLogger(ReplayService.class);

    /** A replay reads its whole range however long that takes: it ends when read or cancelled. */
    private static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE);

    private final KafkaTemplate<String, Notification> kafka;
    private final PublisherProperties properties;
    private final Map<String, Object> consumerConfig;
    private final Map<String, ReplayJob> jobs = new ConcurrentHashMap<>();
    private final Queue<String> finished = new ConcurrentLinkedQueue<>();
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "replay");
        thread.setDaemon(true);
        return thread;
    });

    ReplayService(KafkaTemplate<String, Notification> kafka, PublisherProperties properties, KafkaProperties boot) {
        this.kafka = kafka;
        this.properties = properties;
        this.consumerConfig = TopicScan.readerConfig(boot.buildConsumerProperties(), "tidings-replay");
    }

    /** Validates and starts a replay; a dry run is also started here and may be awaited. */
    public ReplayJob start(ReplayRequest request) {
        Instant from = request.from();
        if (from == null) {
            throw new InvalidFieldException("from", "is required (ISO-8601 instant)");
        }
        Instant to = request.to() == null ? Instant.now() : request.to();
        if (!to.isAfter(from)) {
            throw new InvalidFieldException("to", "must be after from");
        }
        ReplayFilter filter = ReplayFilter.of(request);
        boolean dryRun = request.dryRun() == null || request.dryRun();
        if (!dryRun && request.target() == null && !Boolean.TRUE.equals(request.all())) {
            throw new InvalidFieldException("all", "must be true for a replay without a target: it re-publishes to "
                    + "every client; give a target, or \"all\":true (a dry run first says how many)");
        }
        ReplayJob job = new ReplayJob(UUID.randomUUID().toString(), dryRun, from, to);
        jobs.put(job.getId(), job);
        runner.execute(() -> run(job, filter));
        return job;
    }

    /** A job by id. */
    public Optional<ReplayJob> job(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** Asks a running job to stop; returns the job. */
    public Optional<ReplayJob> cancel(String id) {
        ReplayJob job = jobs.get(id);
        if (job != null) {
            job.requestCancel();
        }
        return Optional.ofNullable(job);
    }

    /** Waits up to {@code timeout} for the job to leave RUNNING. */
    public ReplayJob await(ReplayJob job, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (job.getStatus() == ReplayJob.Status.RUNNING && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return job;
    }

    /** Ends a job; before anyone can see it ended, drops the oldest finished ones beyond {@code replay-keep-finished}. */
    private void finish(ReplayJob job, ReplayJob.Status status, @Nullable String error) {
        retire(job);
        job.finish(status, error);
    }

    private void retire(ReplayJob job) {
        finished.add(job.getId());
        while (finished.size() > properties.replayKeepFinished()) {
            String oldest = finished.poll();
            if (oldest != null) {
                jobs.remove(oldest);
            }
        }
    }

    private void run(ReplayJob job, ReplayFilter filter) {
        try (KafkaConsumer<String, Notification> consumer = new KafkaConsumer<>(consumerConfig,
                new StringDeserializer(), new LenientDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(properties.topic(), Duration.ofSeconds(10))) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
            Map<TopicPartition, Long> start = offsetsAt(consumer, partitions, job.getFrom());
            Map<TopicPartition, Long> end = offsetsAt(consumer, partitions, job.getTo());
            Republisher republisher = new Republisher(job, filter);
            TopicScan.scan(consumer, start, end, FOREVER, job::cancelRequested, republisher::visit);
            republisher.finishPending();
            if (job.cancelRequested()) {
                finish(job, ReplayJob.Status.CANCELLED, null);
                return;
            }
            finish(job, ReplayJob.Status.COMPLETED, null);
            log.info("Replay {} {}: scanned {}, matched {}, published {}", job.getId(),
                    job.isDryRun() ? "(dry run)" : "", job.getScanned(), job.getMatched(), job.getPublished());
        }
        catch (Exception ex) {
            log.warn("Replay {} failed", job.getId(), ex);
            finish(job, ReplayJob.Status.FAILED, ex.getMessage());
        }
    }

    /** One job's pass over its range: counts, matches, and re-publishes each match at the paced rate. */
    private final class Republisher {

        private final ReplayJob job;
        private final ReplayFilter filter;
        private final List<CompletableFuture<SendResult<String, Notification>>> pending = new ArrayList<>();
        private final long spacing = TimeUnit.SECONDS.toNanos(1) / properties.replayRecordsPerSecond();
        private long next = System.nanoTime();

        Republisher(ReplayJob job, ReplayFilter filter) {
            this.job = job;
            this.filter = filter;
        }

        /** Takes one record of the range; false ends the scan (the job was cancelled or hit its maximum). */
        boolean visit(ConsumerRecord<String, Notification> record) {
            job.scannedOne();
            Notification n = record.value();
            if (n == null || !filter.matches(n)) {
                return true;
            }
            if (job.getMatched() >= properties.maxReplayRecords()) {
                job.truncate();
                return false;
            }
            job.matchedOne();
            if (job.isDryRun()) {
                return true;
            }
            next = paced(next, spacing, job);
            if (job.cancelRequested()) {
                return false;
            }
            Notification copy = Notification.newBuilder(n)
                    .setReplayOf(record.partition() + ":" + record.offset()).build();
            pending.add(kafka.send(new ProducerRecord<>(properties.topic(), record.key(), copy)));
            if (pending.size() >= 500) {
                finishPending();
            }
            return true;
        }

        /** Waits for Kafka to take every copy sent so far; a copy it refused fails the job. */
        void finishPending() {
            try {
                for (CompletableFuture<SendResult<String, Notification>> send : pending) {
                    send.get(properties.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
                    job.publishedOne();
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Kafka", ex);
            }
            catch (ExecutionException | TimeoutException ex) {
                throw new IllegalStateException("Kafka did not take a replayed record: " + ex.getMessage(), ex);
            }
            pending.clear();
        }
    }

    /**
     * Waits until {@code next}, the earliest time the next record may leave, or until the job is
     * cancelled; returns the time the record after it may leave.
     */
    private static long paced(long next, long spacing, ReplayJob job) {
        long now = System.nanoTime();
        while (now < next && !job.cancelRequested()) {
            LockSupport.parkNanos(Math.min(next - now, TimeUnit.MILLISECONDS.toNanos(100)));
            now = System.nanoTime();
        }
        // An idle spell (nothing matched for a while) earns no burst.
        return Math.max(next, now) + spacing;
    }

    private static Map<TopicPartition, Long> offsetsAt(KafkaConsumer<String, Notification> consumer,
            List<TopicPartition> partitions, Instant instant) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, instant.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, Duration.ofSeconds(10));
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
        Map<TopicPartition, Long> result = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp at = found.get(tp);
            result.put(tp, at == null ? ends.get(tp) : at.offset());
        }
        return result;
    }

    /** Skips undecodable records instead of failing the scan: they are the gateways' DLQ's business. */
    private static final class LenientDeserializer extends NotificationDeserializer {
        @Override
        public @Nullable Notification deserialize(String topic, byte @Nullable [] data) {
            try {
                return super.deserialize(topic, data);
            }
            catch (RuntimeException ex) {
                return null;
            }
        }
    }

    @PreDestroy
    void stop() {
        jobs.values().forEach(ReplayJob::requestCancel);
        runner.shutdown();
    }
}
