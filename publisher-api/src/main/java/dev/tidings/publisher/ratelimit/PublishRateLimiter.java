package dev.tidings.publisher.ratelimit;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tidings.publisher.config.PublisherProperties;
import dev.tidings.publisher.problem.PayloadTooLargeException;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * One token bucket per caller (the token's {@code sub}): {@code tidings.publisher.rate-limit-burst}
 * tokens, refilled at {@code tidings.publisher.rate-limit-per-second}. A publish request takes one
 * token per record it writes (one per user or group id of each notification, one per broadcast),
 * after validation and before anything is sent; a request of more records than the bucket holds
 * is refused with 413, since no wait would let it through. Buckets live in a bounded cache ({@code rate-limit-max-callers}); a bucket idle long
 * enough to have refilled completely is dropped, which changes nothing for its caller.
 *
 * <p>Thread-safe: Bucket4j's local buckets are lock-free (compare-and-swap on their state) and
 * the Caffeine cache is concurrent; the cache creates each caller's bucket once.
 */
@Component
public class PublishRateLimiter {

    private final Cache<String, Bucket> buckets;
    private final int perSecond;
    private final int burst;
    private final Counter limited;

    PublishRateLimiter(PublisherProperties properties, MeterRegistry meters) {
        this.perSecond = properties.rateLimitPerSecond();
        this.burst = properties.rateLimitBurst();
        // After this long idle a bucket is full again: forgetting it is then exact.
        long refillMillis = Math.max(1000L, (long) Math.ceil(burst * 1000.0 / perSecond));
        this.buckets = Caffeine.newBuilder()
                .maximumSize(properties.rateLimitMaxCallers())
                .expireAfterAccess(Duration.ofMillis(refillMillis))
                .build();
        this.limited = Counter.builder("tidings.publisher.rate.limited")
                .description("Publish requests refused with 429 because their caller was over its rate limit in records")
                .register(meters);
    }

    /**
     * Takes {@code records} tokens from the caller's bucket or refuses the request.
     *
     * @throws PayloadTooLargeException when {@code records} is more than the bucket holds (413)
     * @throws RateLimitExceededException when the caller must wait (429)
     */
    public void acquire(String caller, long records) {
        if (records > burst) {
            throw new PayloadTooLargeException("this request writes " + records + " records, more than the "
                    + burst + " one caller may write at once (tidings.publisher.rate-limit-burst); split it");
        }
        if (records <= 0) {
            return;
        }
        Decision decision = tryAcquire(caller, records);
        if (!decision.allowed()) {
            throw new RateLimitExceededException("caller " + caller + " is over its publish rate limit of " + perSecond
                    + " records per second (burst " + burst + "; tidings.publisher.rate-limit-per-second and "
                    + "tidings.publisher.rate-limit-burst raise it); this request writes " + records
                    + " records; retry after " + decision.retryAfterSeconds() + " s", decision.retryAfterSeconds());
        }
    }

    /**
     * Takes {@code records} tokens from the caller's bucket, or none.
     *
     * @return the decision: allowed, or refused with how long until that many tokens are available
     */
    Decision tryAcquire(String caller, long records) {
        Bucket bucket = buckets.get(caller, c -> newBucket());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(records);
        if (probe.isConsumed()) {
            return new Decision(true, Duration.ZERO);
        }
        limited.increment();
        return new Decision(false, Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)))
                .build();
    }

    /**
     * Result of {@link #tryAcquire}.
     *
     * @param allowed whether the request may go on
     * @param retryAfter when refused, how long until the next token
     */
    record Decision(boolean allowed, Duration retryAfter) {

        /** {@link #retryAfter} in whole seconds, rounded up and at least 1, for {@code Retry-After}. */
        long retryAfterSeconds() {
            long millis = retryAfter.toMillis();
            return Math.max(1, (millis + 999) / 1000);
        }
    }
}
