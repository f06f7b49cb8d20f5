package dev.tidings.gateway.routing;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;

/**
 * A WARN line at most once per interval for an event that can happen a hundred thousand times a
 * second (a poison-record flood): the first event logs at once, later ones are counted, and the next
 * line, once the interval has passed, says how many happened since the previous line. Nothing is
 * silent: every event is counted, and every count is logged on the next line.
 *
 * <p>Thread-safe: lock-free counters; under a race two threads may both log, never lose a count.
 */
final class SampledLog {

    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final AtomicLong unlogged = new AtomicLong();
    private final AtomicLong nextLineAt;

    SampledLog(Logger log, java.time.Duration interval) {
        this(log, interval, System::nanoTime);
    }

    SampledLog(Logger log, java.time.Duration interval, LongSupplier clock) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
        this.clock = clock;
        this.nextLineAt = new AtomicLong(clock.getAsLong());
    }

    /**
     * Counts one event and logs {@code "<what> (<n> since the last line; last: <detail>)"} when the
     * interval has passed since the previous line.
     *
     * @return whether this call logged
     */
    boolean warn(String what, String detail) {
        unlogged.incrementAndGet();
        long now = clock.getAsLong();
        long due = nextLineAt.get();
        if (now - due < 0 || !nextLineAt.compareAndSet(due, now + intervalNanos)) {
            return false;
        }
        log.warn("{} ({} since the last line; last: {})", what, unlogged.getAndSet(0), detail);
        return true;
    }
}
