package dev.tidings.gateway.session;

import java.util.concurrent.Semaphore;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The node's bound on record deliveries gathered or handed to the event loops and not yet run
 * ({@code tidings.gateway.max-dispatch-backlog}, one delivery per event loop per record): past it the
 * dispatching thread waits, so a backlog stays in Kafka as consumer lag, not in the loops' task
 * queues. Publishes {@code tidings.gateway.dispatch.backlog}.
 *
 * <p>Thread-safe: a semaphore, taken by the dispatching thread and given back by the event loops.
 */
final class DispatchBacklog {

    private final Semaphore room;

    DispatchBacklog(int max, MeterRegistry meters) {
        this.room = new Semaphore(max);
        Gauge.builder("tidings.gateway.dispatch.backlog", room, r -> max - r.availablePermits())
                .description("Record deliveries (one per event loop per record) handed to the event loops and not yet run")
                .register(meters);
    }

    /**
     * Takes room for one delivery; when there is none, runs {@code beforeWaiting} first (the caller
     * hands off what it gathered: the room it holds comes back only once the loops run it), then waits.
     */
    void acquire(Runnable beforeWaiting) {
        if (!room.tryAcquire()) {
            beforeWaiting.run();
            room.acquireUninterruptibly();
        }
    }

    /** Gives back the room of {@code deliveries} that ran, or that no loop will run. */
    void release(int deliveries) {
        room.release(deliveries);
    }
}
