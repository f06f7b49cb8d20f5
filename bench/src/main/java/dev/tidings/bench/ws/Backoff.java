package dev.tidings.bench.ws;

import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter, as the JS SDK's {@code fullJitterDelay}: the delay before
 * retry number {@code attempt} (0 = the first) is uniform in {@code [0, min(max, initial * 2^attempt)]},
 * so that clients cut off at the same moment do not all come back at the same moment.
 *
 * @param initialMillis ceiling of the first delay
 * @param maxMillis largest ceiling ever used
 */
public record Backoff(long initialMillis, long maxMillis) {

    public Backoff {
        if (initialMillis < 0 || maxMillis < initialMillis) {
            throw new IllegalArgumentException("backoff needs 0 <= initial <= max, got " + initialMillis + ", " + maxMillis);
        }
    }

    /** The ceiling of retry {@code attempt}: {@code min(max, initial * 2^attempt)}, never overflowing. */
    public long ceilingMillis(int attempt) {
        long ceiling = initialMillis;
        for (int i = 0; i < attempt && ceiling < maxMillis; i++) {
            ceiling *= 2;
        }
        return Math.min(maxMillis, ceiling);
    }

    /** The delay before retry {@code attempt}; {@code random} yields uniform values in [0, 1). */
    public long delayMillis(int attempt, DoubleSupplier random) {
        double unit = Math.min(1, Math.max(0, random.getAsDouble()));
        return Math.round(unit * ceilingMillis(attempt));
    }
}
