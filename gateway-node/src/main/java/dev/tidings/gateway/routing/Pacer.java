package dev.tidings.gateway.routing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Holds its caller to at most {@code perSecond} permits a second, by parking it once it is more than
 * {@code burst} ahead: work that may wait (writing dead letters) thereby leaves the CPU to work that
 * may not (live delivery) during a flood, and the backlog stays in Kafka. Permits come in bursts of
 * up to {@code burst}'s worth with a park between them, not one park per permit, so that the work
 * they pace reaches Kafka in a few full batches a second rather than a request per permit.
 *
 * <p>Confined to one thread.
 */
final class Pacer {

    /** A caller that was idle may take this much time's worth of permits at once. */
    private static final long IDLE_CREDIT_NANOS = 1_000_000_000L;

    private final long nanosPerPermit;
    private final long burstNanos;
    private final LongSupplier clock;
    private final LongConsumer parker;
    private long next;

    Pacer(int perSecond, Duration burst) {
        this(perSecond, burst, System::nanoTime, LockSupport::parkNanos);
    }

    Pacer(int perSecond, Duration burst, LongSupplier clock, LongConsumer parker) {
        if (perSecond < 1 || burst.isNegative()) {
            throw new IllegalArgumentException("a pacer needs at least one permit a second and a burst of zero or more");
        }
        this.nanosPerPermit = 1_000_000_000L / perSecond;
        this.burstNanos = burst.toNanos();
        this.clock = clock;
        this.parker = parker;
        this.next = clock.getAsLong();
    }

    /** Takes one permit; once the caller is more than a burst ahead, parks it until it is back on schedule. */
    void acquire() {
        long now = clock.getAsLong();
        next = Math.max(next, now - IDLE_CREDIT_NANOS) + nanosPerPermit;
        long ahead = next - now;
        if (ahead > burstNanos) {
            parker.accept(ahead);
        }
    }
}
