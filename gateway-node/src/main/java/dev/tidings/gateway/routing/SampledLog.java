package dev.tidings.gateway.routing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;

/**
 * A WARN line at most once per interval for an event that can happen a hundred thousand times a
 * second (a poison-record flood): the first event logs at once, later ones are counted, and the next
 * line, once the interval has passed, says how many happened since the previous line. Nothing is
 * silent: every event is counted, and {@link #flush} logs a count left over when the events stop.
 *
 * <p>Thread-safe: lock-free counters; under a race two threads may both log, never lose a count, and the
 * line's last detail may join the parts of two events.
 */
final class SampledLog {

    private final Logger log;
    private final String what;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final AtomicLong unlogged = new AtomicLong();
    private final AtomicLong nextLineAt;
    private volatile String last = "";
    private volatile String lastWhere = "";

    SampledLog(Logger log, String what, Duration interval) {
        this(log, what, interval, System::nanoTime);
    }

    SampledLog(Logger log, String what, Duration interval, LongSupplier clock) {
        this.log = log;
        this.what = what;
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
    boolean warn(String detail) {
        unlogged.incrementAndGet();
        lastWhere = "";
        last = detail;
        return logIfDue();
    }

    /**
     * {@link #warn(String)} with the detail {@code "<where>: <what>"}, joined only when the line is
     * written: a flood of events with constant parts allocates nothing per event.
     */
    boolean warn(String where, String what) {
        unlogged.incrementAndGet();
        lastWhere = where;
        last = what;
        return logIfDue();
    }

    /** Logs the events counted since the last line, if any and the interval has passed; cheap otherwise. */
    boolean flush() {
        return unlogged.get() > 0 && logIfDue();
    }

    private boolean logIfDue() {
        long now = clock.getAsLong();
        long due = nextLineAt.get();
        if (now - due < 0 || !nextLineAt.compareAndSet(due, now + intervalNanos)) {
            return false;
        }
        long count = unlogged.getAndSet(0);
        if (count > 0) {
            String where = lastWhere;
            log.warn("{} ({} since the last line; last: {})", what, count, where.isEmpty() ? last : where + ": " + last);
        }
        return true;
    }
}
