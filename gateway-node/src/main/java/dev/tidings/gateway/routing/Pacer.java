package dev.tidings.gateway.routing;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Holds its caller to at most {@code perSecond} permits a second, by parking it once it is ahead:
 * work that may wait (writing dead letters) thereby leaves the CPU to work that may not (live
 * delivery) during a flood, and the backlog stays in Kafka.
 *
 * <p>Confined to one thread.
 */
final class Pacer {

    private final long nanosPerPermit;
    private final LongSupplier clock;
    private long next;

    Pacer(int perSecond) {
        this(perSecond, System::nanoTime);
    }

    Pacer(int perSecond, LongSupplier clock) {
        this.nanosPerPermit = 1_000_000_000L / perSecond;
        this.clock = clock;
        this.next = clock.getAsLong();
    }

    /** Takes one permit, parking until it is due; a caller that was idle may take a second's worth at once. */
    void acquire() {
        long now = clock.getAsLong();
        next = Math.max(next, now - 1_000_000_000L) + nanosPerPermit;
        long ahead = next - now;
        if (ahead > 0) {
            LockSupport.parkNanos(ahead);
        }
    }
}
