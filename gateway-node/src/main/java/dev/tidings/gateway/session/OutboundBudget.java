package dev.tidings.gateway.session;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The node's budget for bytes waiting in its connections ({@code tidings.gateway.max-outbound-bytes}),
 * as the event loops' sweeps last saw them ({@link EventLoopShard}): each sweep reports how the
 * bytes of its lagging sessions changed, and the part of them whose socket took nothing lately
 * (stalled). Bytes of sessions whose socket is taking them hold the consumer back when over budget
 * ({@link #awaitRoom}: an overloaded machine keeps its backlog in Kafka); bytes of stalled sessions
 * never do: past the budget the sweeps cut those sessions.
 *
 * <p>Publishes {@code tidings.gateway.outbound.bytes} and {@code tidings.gateway.outbound.pauses}.
 *
 * <p>Thread-safe: atomic sums, reported from the event loops and read by the consumer thread.
 */
final class OutboundBudget {

    private final long max;
    private final AtomicLong held = new AtomicLong();
    private final AtomicLong stalled = new AtomicLong();
    private final Counter pauses;

    OutboundBudget(long max, MeterRegistry meters) {
        this.max = max;
        Gauge.builder("tidings.gateway.outbound.bytes", held, AtomicLong::get)
                .description("Bytes written to this node's lagging connections and not yet taken by their sockets")
                .baseUnit("bytes").register(meters);
        this.pauses = Counter.builder("tidings.gateway.outbound.pauses")
                .description("Times the consumer waited because the node's reading connections held "
                        + "tidings.gateway.max-outbound-bytes")
                .register(meters);
    }

    /** From a sweep: how the bytes its sessions hold changed, and how the stalled part of them did. */
    void report(long heldChange, long stalledChange) {
        if (heldChange != 0) {
            held.addAndGet(heldChange);
        }
        if (stalledChange != 0) {
            stalled.addAndGet(stalledChange);
        }
    }

    /** Bytes waiting in the node's connections that hold more than {@link WriteProgress#LAGGING_BYTES}. */
    long held() {
        return held.get();
    }

    /** Bytes over the budget (0 or less: within it). */
    long excess() {
        return held() - max;
    }

    /** Whether the bytes of sessions still reading pass the budget: the consumer must wait for them. */
    boolean readersOverBudget() {
        return held.get() - stalled.get() > max;
    }

    /**
     * Waits, bounded only by the clients reading, while the bytes of sessions still reading pass the
     * budget; runs {@code beforeWaiting} first (the caller hands off what it gathered, which may be
     * what those clients wait for) and counts the pause. Returns at once when within the budget, or
     * when the calling thread is interrupted (stopping: it delivers what is in hand rather than hang).
     */
    void awaitRoom(Runnable beforeWaiting) {
        if (!readersOverBudget()) {
            return;
        }
        beforeWaiting.run();
        pauses.increment();
        while (readersOverBudget()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(EventLoopShard.SWEEP_MILLIS));
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }
}
