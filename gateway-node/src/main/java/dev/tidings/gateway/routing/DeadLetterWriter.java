package dev.tidings.gateway.routing;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

/**
 * Writes poison records to the dead-letter topic, keyed {@code <partition>:<offset>} of the origin
 * record (so a compacted topic keeps one copy even if a record is written twice, e.g. across a
 * rebalance), with spring-kafka's reason and origin headers, the origin's key in
 * {@value #ORIGINAL_KEY}, and the original bytes.
 *
 * <p>Asynchronous and bounded: a write takes one of {@code maxInFlight} permits and gives it back
 * when the broker answers, so the caller never waits for an acknowledgement. When every permit is
 * taken the caller waits at most {@code maxWait}; past it the record is dropped from the DLQ and
 * counted ({@code tidings.gateway.dead.letters.dropped}), with a sampled WARN line carrying the
 * counts. Failed writes are counted ({@code tidings.gateway.dead.letters.failed}) and logged the same
 * way; acknowledged ones are counted by {@code tidings.gateway.dead.letters}.
 *
 * <p>Thread-safe.
 */
public final class DeadLetterWriter extends DeadLetterPublishingRecoverer {

    /** Header with the origin record's key, as the DLQ record's own key is the origin's position. */
    public static final String ORIGINAL_KEY = "tidings-dlt-original-key";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterWriter.class);

    private final Semaphore inFlight;
    private final long maxWaitNanos;
    private final Counter written;
    private final Counter dropped;
    private final Counter failed;
    private final SampledLog droppedLog;
    private final SampledLog failedLog;

    DeadLetterWriter(KafkaOperations<Object, Object> template, String deadLetterTopic, int maxInFlight,
            Duration maxWait, MeterRegistry meters, Duration logInterval) {
        super(template, (record, ex) -> new TopicPartition(deadLetterTopic, -1));
        // The reason is in the message; a stack trace per poison record would cost a flood far more.
        excludeHeader(HeaderNames.HeadersToAdd.EX_STACKTRACE);
        this.inFlight = new Semaphore(maxInFlight);
        this.maxWaitNanos = maxWait.toNanos();
        this.written = Counter.builder("tidings.gateway.dead.letters")
                .description("Poison records this node wrote to the dead-letter topic (acknowledged)").register(meters);
        this.dropped = Counter.builder("tidings.gateway.dead.letters.dropped")
                .description("Poison records not written to the dead-letter topic: too many writes in flight")
                .register(meters);
        this.failed = Counter.builder("tidings.gateway.dead.letters.failed")
                .description("Dead-letter writes the broker did not acknowledge").register(meters);
        Gauge.builder("tidings.gateway.dead.letters.in.flight", inFlight, s -> maxInFlight - s.availablePermits())
                .description("Dead-letter writes sent and not yet acknowledged").register(meters);
        this.droppedLog = new SampledLog(log,
                "Poison records dropped from the dead-letter topic: too many writes in flight", logInterval);
        this.failedLog = new SampledLog(log, "Dead-letter writes failed", logInterval);
    }

    @Override
    protected ProducerRecord<Object, Object> createProducerRecord(ConsumerRecord<?, ?> record,
            TopicPartition topicPartition, Headers headers, byte[] key, byte[] value) {
        if (record.key() instanceof byte[] originalKey) {
            headers.add(ORIGINAL_KEY, originalKey);
        }
        return new ProducerRecord<>(topicPartition.topic(),
                topicPartition.partition() < 0 ? null : topicPartition.partition(), origin(record),
                value != null ? value : record.value(), headers);
    }

    @Override
    protected void publish(ProducerRecord<Object, Object> outRecord, KafkaOperations<Object, Object> template,
            ConsumerRecord<?, ?> inRecord) {
        try {
            if (!inFlight.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS)) {
                dropped.increment();
                droppedLog.warn(describe(inRecord));
                return;
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            dropped.increment();
            return;
        }
        try {
            template.send(outRecord).whenComplete((result, error) -> {
                inFlight.release();
                if (error == null) {
                    written.increment();
                }
                else {
                    failed.increment();
                    failedLog.warn(describe(inRecord) + ": " + error);
                }
            });
        }
        catch (RuntimeException ex) {
            inFlight.release();
            failed.increment();
            failedLog.warn(describe(inRecord) + ": " + ex);
        }
    }

    /** Logs the drops and failures counted since the last lines, once their interval has passed. */
    void flushLogs() {
        droppedLog.flush();
        failedLog.flush();
    }

    /** The DLQ key of a record: {@code <partition>:<offset>} of the origin. */
    static String origin(ConsumerRecord<?, ?> record) {
        return record.partition() + ":" + record.offset();
    }

    private static String describe(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
