package dev.tidings.gateway.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;

/**
 * The sessions whose connections live on one Netty event loop: that loop's flush batching and its
 * sweep of sessions with unread bytes.
 *
 * <p>The router hands each shard the records of a poll in one task ({@link DeliveryBatcher#handOff}).
 * Writes on the loop are not flushed one by one: the first write of a session in a turn puts it on
 * the dirty list and, if none is pending, queues one flush task behind everything already queued on
 * the loop, so a burst of records ends in one flush per session.
 *
 * <p>A session whose unread bytes pass {@link WriteProgress#LAGGING_BYTES} joins the shard's sweep,
 * which runs every {@value #SWEEP_MILLIS} ms while any session is on it: each session is cut once its
 * socket took nothing for the send timeout; the shard reports to the node's {@link OutboundBudget} the
 * bytes its sessions hold, and the part of them whose socket took nothing in the last
 * {@value #STALLED_MILLIS} ms; and while the node's connections together hold more than their budget,
 * the shard cuts its stalled sessions, largest first, so clients that do not read never hold the
 * node's memory or its consumer.
 *
 * <p>Thread-safe: {@code sessions} is a concurrent set (registered and read from any thread); the
 * dirty and sweep lists and the byte counts last reported are confined to the event loop.
 */
final class EventLoopShard {

    static final long SWEEP_MILLIS = 20;
    /** Time without progress after which a session's bytes count as stalled for the node's budget. */
    static final long STALLED_MILLIS = 500;

    private final EventLoop loop;
    private final OutboundBudget budget;
    private final long stalledAfterNanos;
    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();
    private final Collection<ClientSession> sessionsView = Collections.unmodifiableSet(sessions);
    private final List<ClientSession> dirty = new ArrayList<>();
    private final Runnable flushTask = this::flushDirty;
    private boolean flushQueued;
    private final List<ClientSession> watched = new ArrayList<>();
    private boolean sweepScheduled;
    /** Bytes waiting in this loop's watched sessions at the last sweep, and the part of them stalled. */
    private long heldBytes;
    private long stalledBytes;

    EventLoopShard(EventLoop loop, OutboundBudget budget, long stalledAfterNanos) {
        this.loop = loop;
        this.budget = budget;
        this.stalledAfterNanos = stalledAfterNanos;
    }

    EventLoop loop() {
        return loop;
    }

    /** The loop's open sessions (a live view, for a broadcast). */
    Collection<ClientSession> sessions() {
        return sessionsView;
    }

    /** Whether no open session lives on the loop. */
    boolean isEmpty() {
        return sessions.isEmpty();
    }

    void add(ClientSession session) {
        sessions.add(session);
    }

    void remove(ClientSession session) {
        sessions.remove(session);
    }

    /** Queues the flush of a session with unflushed writes; must run on the loop. */
    void flushLater(ClientSession session) {
        if (!session.markForFlush()) {
            return;
        }
        dirty.add(session);
        if (!flushQueued) {
            flushQueued = true;
            loop.execute(flushTask);
        }
    }

    private void flushDirty() {
        flushQueued = false;
        for (int i = 0; i < dirty.size(); i++) {
            dirty.get(i).flush();
        }
        dirty.clear();
    }

    /** Puts a session with unread bytes on the sweep; must run on the loop. */
    void watch(ClientSession session) {
        watched.add(session);
        if (!sweepScheduled) {
            sweepScheduled = true;
            loop.schedule(this::sweep, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        long held = 0;
        long stalled = 0;
        List<ClientSession> stalledSessions = null;
        for (int i = watched.size() - 1; i >= 0; i--) {
            ClientSession session = watched.get(i);
            long pending = session.sweep(now);
            if (pending < 0) {
                watched.set(i, watched.get(watched.size() - 1));
                watched.remove(watched.size() - 1);
                continue;
            }
            held += pending;
            if (session.stalledNanos(now) >= stalledAfterNanos && !session.isClosed()) {
                stalled += pending;
                if (stalledSessions == null) {
                    stalledSessions = new ArrayList<>();
                }
                stalledSessions.add(session);
            }
        }
        report(held, stalled);
        long excess = budget.excess();
        if (excess > 0 && stalledSessions != null) {
            stalledSessions.sort(Comparator.comparingLong(ClientSession::queuedBytes).reversed());
            for (ClientSession session : stalledSessions) {
                if (excess <= 0) {
                    break;
                }
                long pending = session.queuedBytes();
                session.cutForNodeBudget(pending);
                excess -= pending;
            }
        }
        if (watched.isEmpty()) {
            sweepScheduled = false;
            report(0, 0);
        }
        else {
            loop.schedule(this::sweep, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Tells the node's budget what this loop's sessions hold now, and how much of it is stalled. */
    private void report(long held, long stalled) {
        budget.report(held - heldBytes, stalled - stalledBytes);
        heldBytes = held;
        stalledBytes = stalled;
    }
}
