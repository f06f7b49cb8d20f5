package dev.tidings.client;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How the client retries a notification the publisher did not take: a 429 (over the caller's rate
 * limit), a 503 (Kafka did not acknowledge) or no answer at all. Nothing else is retried: every
 * other 4xx is the request's own fault, and a 500 is the publisher's.
 *
 * <p>A retry waits the {@code Retry-After} the publisher asked for (plus up to a tenth of it more,
 * so that callers refused together do not come back together), or else an exponential backoff
 * with jitter: before retry {@code n} (1 for the first), a random delay between half and all of
 * {@code min(maxBackoff, initialBackoff * multiplier^(n-1))}. The client gives up, and throws the
 * last failure, once {@code maxAttempts} attempts were made or when the next wait would end past
 * {@code maxElapsed} after the first attempt started: a caller is never held much longer than
 * {@code maxElapsed} plus one request timeout.
 *
 * <p>Every attempt of a notification carries the same id, so however many are made, it is written
 * once (within the publisher's dedupe window, 10 minutes by default).
 *
 * @param maxAttempts attempts in all, the first one included; 1 turns retries off
 * @param maxElapsed the longest time from the first attempt's start to the last retry's start
 * @param initialBackoff the backoff before the first retry, when the publisher gave no {@code Retry-After}
 * @param maxBackoff the longest backoff (a {@code Retry-After} may ask for more, and is honoured)
 * @param multiplier how much the backoff grows from one retry to the next, at least 1
 */
public record RetryPolicy(int maxAttempts, Duration maxElapsed, Duration initialBackoff, Duration maxBackoff,
        double multiplier) {

    /** 5 attempts within 30 s, backoff from 200 ms doubling up to 10 s. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(30), Duration.ofMillis(200),
            Duration.ofSeconds(10), 2.0);

    /** One attempt: every failure is thrown at once. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ofMillis(200),
            Duration.ofSeconds(10), 2.0);

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException when one is out of range
     */
    public RetryPolicy {
        require(maxAttempts >= 1, "maxAttempts must be at least 1, got " + maxAttempts);
        require(!maxElapsed.isNegative(), "maxElapsed must not be negative, got " + maxElapsed);
        require(!initialBackoff.isNegative(), "initialBackoff must not be negative, got " + initialBackoff);
        require(maxBackoff.compareTo(initialBackoff) >= 0,
                "maxBackoff (" + maxBackoff + ") must be at least initialBackoff (" + initialBackoff + ")");
        require(multiplier >= 1.0 && Double.isFinite(multiplier), "multiplier must be at least 1, got " + multiplier);
    }

    /** This policy with {@code maxAttempts}. */
    public RetryPolicy withMaxAttempts(int maxAttempts) {
        return new RetryPolicy(maxAttempts, maxElapsed, initialBackoff, maxBackoff, multiplier);
    }

    /** This policy with {@code maxElapsed}. */
    public RetryPolicy withMaxElapsed(Duration maxElapsed) {
        return new RetryPolicy(maxAttempts, maxElapsed, initialBackoff, maxBackoff, multiplier);
    }

    /** This policy with {@code initialBackoff} and {@code maxBackoff}. */
    public RetryPolicy withBackoff(Duration initialBackoff, Duration maxBackoff) {
        return new RetryPolicy(maxAttempts, maxElapsed, initialBackoff, maxBackoff, multiplier);
    }

    /** This policy with {@code multiplier}. */
    public RetryPolicy withMultiplier(double multiplier) {
        return new RetryPolicy(maxAttempts, maxElapsed, initialBackoff, maxBackoff, multiplier);
    }

    /**
     * The backoff before retry {@code retry} when the publisher asked for no particular wait: between
     * half and all of {@code min(maxBackoff, initialBackoff * multiplier^(retry-1))}.
     *
     * @param retry 1 for the first retry
     * @param random a number in {@code [0, 1)}, where in that range the backoff falls
     */
    public Duration backoff(int retry, double random) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry counts from 1, got " + retry);
        }
        double ceiling = Math.min(maxBackoff.toNanos(), initialBackoff.toNanos() * Math.pow(multiplier, retry - 1.0));
        return Duration.ofNanos((long) (ceiling / 2 + clamp(random) * ceiling / 2));
    }

    /**
     * The wait before retry {@code retry}: {@code retryAfter} plus up to a tenth of it when the
     * publisher asked for one, {@link #backoff} otherwise.
     *
     * @param retry 1 for the first retry
     * @param retryAfter the failure's {@code Retry-After}, or {@code null}
     * @param random a number in {@code [0, 1)}, the jitter
     */
    public Duration delay(int retry, @Nullable Duration retryAfter, double random) {
        if (retryAfter == null) {
            return backoff(retry, random);
        }
        Duration wait = retryAfter.isNegative() ? Duration.ZERO : retryAfter;
        return wait.plusNanos((long) (wait.toNanos() / 10.0 * clamp(random)));
    }

    private static double clamp(double random) {
        return Math.max(0.0, Math.min(random, 1.0));
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
