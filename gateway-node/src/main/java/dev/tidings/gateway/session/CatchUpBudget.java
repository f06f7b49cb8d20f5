package dev.tidings.gateway.session;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The node's budget for replayed bytes waiting in connections
 * ({@code tidings.gateway.resume-buffer-bytes}): a session writes a replayed frame only once it
 * took the frame's bytes from the budget, and gives them back when the socket took the frame (or
 * the connection closed). Sessions that find the budget spent wait in arrival order and are woken
 * as bytes come back, so a reconnect storm of thousands of resumes costs at most the budget in
 * memory, whatever each client missed. Publishes {@code tidings.gateway.resume.buffer.bytes} and
 * {@code tidings.gateway.resume.waiting}.
 *
 * <p>Thread-safe: one lock; sessions are woken on their own event loops.
 */
final class CatchUpBudget {

    /** Room assumed per woken session, so that a release wakes as many as it can serve. */
    private static final long WAKE_SHARE = CatchUpPump.PAGE_BYTES / 2;

    private final long max;
    /** Sessions waiting for room, in arrival order, each once. */
    private final LinkedHashSet<ClientSession> waiting = new LinkedHashSet<>();
    private long used;

    CatchUpBudget(long max, MeterRegistry meters) {
        this.max = max;
        Gauge.builder("tidings.gateway.resume.buffer.bytes", this, CatchUpBudget::used)
                .description("Replayed bytes waiting in this node's connections (tidings.gateway.resume-buffer-bytes)")
                .baseUnit("bytes").register(meters);
        Gauge.builder("tidings.gateway.resume.waiting", this, CatchUpBudget::waiting)
                .description("Resumes waiting for room in tidings.gateway.resume-buffer-bytes").register(meters);
    }

    /**
     * Takes {@code bytes} for {@code session}; when the budget is spent, queues the session to be
     * woken ({@link ClientSession#wakeCatchUp}) and answers false. A single frame larger than the
     * whole budget is let through when nothing else is out, so it can never wait forever.
     */
    synchronized boolean tryAcquire(ClientSession session, int bytes) {
        if (used + bytes <= max || used == 0) {
            used += bytes;
            return true;
        }
        waiting.add(session);
        return false;
    }

    /** Gives back {@code bytes} and wakes the sessions the room now serves, oldest first. */
    void release(int bytes) {
        List<ClientSession> wake = null;
        synchronized (this) {
            used -= bytes;
            long room = max - used;
            Iterator<ClientSession> oldestFirst = waiting.iterator();
            while (room > 0 && oldestFirst.hasNext()) {
                ClientSession next = oldestFirst.next();
                oldestFirst.remove();
                if (wake == null) {
                    wake = new ArrayList<>();
                }
                wake.add(next);
                room -= WAKE_SHARE;
            }
        }
        if (wake != null) {
            wake.forEach(ClientSession::wakeCatchUp);
        }
    }

    /** Replayed bytes waiting in connections now. */
    synchronized long used() {
        return used;
    }

    /** Sessions waiting for room. */
    synchronized int waiting() {
        return waiting.size();
    }
}
