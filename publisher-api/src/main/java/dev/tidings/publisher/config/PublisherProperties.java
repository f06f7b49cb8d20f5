package dev.tidings.publisher.config;

import java.time.Duration;
import java.util.List;

import dev.tidings.schema.Topics;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits and Kafka settings of the publisher, bound from {@code tidings.publisher.*}.
 *
 * @param maxPayloadBytes largest accepted payload (JSON text, UTF-8 bytes); larger → 413
 * @param maxBodyBytes largest accepted request body; larger → 413
 * @param maxBatchSize most notifications in one batch request; more → 413
 * @param maxTtl longest accepted {@code ttlSeconds}
 * @param sendTimeout how long a request waits for Kafka's acknowledgement before answering 503; the
 *     publisher refuses to start unless it is at least the producer's {@code max.block.ms} plus
 *     {@code delivery.timeout.ms}, so the producer has settled every record before it is reached
 * @param dedupeWindow how long a caller's idempotency key ({@code sub} and id) is remembered
 * @param dedupeMaxEntries most keys remembered at once by each replica (oldest forgotten first)
 * @param idempotencyTopic the compacted topic every replica shares its idempotency claims on; empty
 *     for {@code tidings.publisher.idempotency} (or {@code <topic>.idempotency} beside a topic of another name)
 * @param maxReplayRecords most records one replay matches; it stops there and says it was truncated
 * @param corsAllowedOrigins browser origins (patterns) allowed to call {@code /api/**}; none by default
 * @param rateLimitPerSecond records per second one caller (token {@code sub}) may have written on
 *     average; more → 429 with {@code Retry-After}. A request costs one per record it writes: one per
 *     user or group id of each notification, one per broadcast.
 * @param rateLimitBurst records one caller may have written at once after being idle (token bucket
 *     capacity); a single request of more records is a 413
 * @param replayRecordsPerSecond pace of a real replay's re-publishing, records per second
 * @param replayKeepFinished most finished replay jobs kept for {@code GET}; the oldest are dropped
 * @param rateLimitMaxCallers most callers whose buckets are kept at once (least recently used dropped)
 */
@ConfigurationProperties("tidings.publisher")
public record PublisherProperties(
        @DefaultValue("65536") int maxPayloadBytes,
        @DefaultValue("1048576") int maxBodyBytes,
        @DefaultValue("1000") int maxBatchSize,
        @DefaultValue("7d") Duration maxTtl,
        @DefaultValue("10s") Duration sendTimeout,
        @DefaultValue("10m") Duration dedupeWindow,
        @DefaultValue("100000") long dedupeMaxEntries,
        @DefaultValue("") String idempotencyTopic,
        @DefaultValue("100000") long maxReplayRecords,
        @DefaultValue({}) List<String> corsAllowedOrigins,
        @DefaultValue("5000") int rateLimitPerSecond,
        @DefaultValue("10000") int rateLimitBurst,
        @DefaultValue("100000") int rateLimitMaxCallers,
        @DefaultValue("100") int replayRecordsPerSecond,
        @DefaultValue("100") int replayKeepFinished) {

    /** The idempotency topic beside the default notifications topic. */
    public static final String DEFAULT_IDEMPOTENCY_TOPIC = "tidings.publisher.idempotency";

    public PublisherProperties {
        require(maxPayloadBytes >= 16, "tidings.publisher.max-payload-bytes must be at least 16");
        require(maxBodyBytes >= maxPayloadBytes, "tidings.publisher.max-body-bytes must be >= max-payload-bytes");
        require(maxBatchSize >= 1, "tidings.publisher.max-batch-size must be at least 1");
        require(!sendTimeout.isNegative() && !sendTimeout.isZero(), "tidings.publisher.send-timeout must be positive");
        require(!dedupeWindow.isNegative(), "tidings.publisher.dedupe-window must not be negative");
        require(maxReplayRecords >= 1, "tidings.publisher.max-replay-records must be at least 1");
        require(dedupeMaxEntries >= 0, "tidings.publisher.dedupe-max-entries must not be negative");
        require(maxBodyBytes <= 64 * 1024 * 1024, "tidings.publisher.max-body-bytes must be at most 64 MiB");
        require(rateLimitPerSecond >= 1, "tidings.publisher.rate-limit-per-second must be at least 1");
        require(rateLimitBurst >= 1, "tidings.publisher.rate-limit-burst must be at least 1");
        require(rateLimitMaxCallers >= 1, "tidings.publisher.rate-limit-max-callers must be at least 1");
        require(replayRecordsPerSecond >= 1, "tidings.publisher.replay-records-per-second must be at least 1");
        require(replayKeepFinished >= 1, "tidings.publisher.replay-keep-finished must be at least 1");
    }

    /**
     * The idempotency topic of the publishers of {@code notificationsTopic}: the one configured, else
     * {@link #DEFAULT_IDEMPOTENCY_TOPIC} beside the default notifications topic and
     * {@code <topic>.idempotency} beside any other.
     */
    public String idempotencyTopicOf(String notificationsTopic) {
        if (!idempotencyTopic.isBlank()) {
            return idempotencyTopic;
        }
        return notificationsTopic.equals(Topics.NOTIFICATIONS) ? DEFAULT_IDEMPOTENCY_TOPIC
                : notificationsTopic + ".idempotency";
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
