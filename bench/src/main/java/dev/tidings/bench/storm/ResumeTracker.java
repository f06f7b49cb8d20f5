package dev.tidings.bench.storm;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

import dev.tidings.bench.ws.Backoff;
import dev.tidings.bench.ws.ClientFleet;
import dev.tidings.bench.ws.ServerFrame;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * Follows every client through a reconnect storm: remembers the cursor of the last frame each one
 * received ({@code welcome}, {@code notification} or {@code resumed}); when a connection closes,
 * sends the client to the survivor with that cursor after a uniform random wait of
 * {@code 0..jitter} ms (the JS SDK's full-jitter first retry); and times each client from the kill
 * to its first {@code resumed} frame, split into kill to closed connection and first reconnect
 * attempt to {@code resumed}. A client that had no cursor to give reconnects without one: its
 * {@code welcome} ends its resume, as not recovered. A client reconnects at most
 * {@link #MAX_RECONNECTS} times; past that it stays away and counts as given up.
 *
 * <p>Thread-safe: a client's cursor and flags are touched only by the event loop thread that
 * currently runs its connection (connections of one client follow each other, each started from
 * the close of the previous one, so each hand-over is ordered); counters and resume times are
 * atomic; {@link #killed} is volatile. Read {@link #stats()} once the fleet has stopped, or from
 * the thread that recorded (tests).
 */
public final class ResumeTracker implements ClientFleet.ConnectionListener {

    /** Reconnects per client at most (each of up to {@link ClientFleet#MAX_ATTEMPTS} attempts). */
    public static final int MAX_RECONNECTS = 10;

    private final int clients;
    private final URI survivor;
    private final Backoff jitter;
    private final DoubleSupplier random;
    private final @Nullable String[] cursors;
    private final boolean[] orphaned;
    private final boolean[] resumingWithoutCursor;
    private final long[] closedAtNanos;
    private final long[] reconnectAtNanos;
    private final int[] reconnectsOf;
    private final AtomicLongArray resumedAtNanos;
    private final AtomicInteger resumed = new AtomicInteger();
    private final AtomicInteger gaveUp = new AtomicInteger();
    private final AtomicInteger orphans = new AtomicInteger();
    private final LongAdder disconnectsBeforeKill = new LongAdder();
    private final LongAdder recoveredFalse = new LongAdder();
    private final LongAdder withoutCursor = new LongAdder();
    private final LongAdder replayed = new LongAdder();
    private volatile long killNanos;

    /**
     * @param clients clients that were on the victim (indexes {@code 0..clients-1})
     * @param survivor the WebSocket URL every client reconnects to
     * @param jitterMillis the longest wait before a client's first reconnect attempt
     * @param random uniform values in [0, 1)
     */
    public ResumeTracker(int clients, URI survivor, long jitterMillis, DoubleSupplier random) {
        this.clients = clients;
        this.survivor = survivor;
        this.jitter = new Backoff(jitterMillis, jitterMillis);
        this.random = random;
        this.cursors = new String[clients];
        this.orphaned = new boolean[clients];
        this.resumingWithoutCursor = new boolean[clients];
        this.closedAtNanos = new long[clients];
        this.reconnectAtNanos = new long[clients];
        this.reconnectsOf = new int[clients];
        this.resumedAtNanos = new AtomicLongArray(clients);
    }

    /** The victim was killed at {@code nanoTime}: resume times count from here. */
    public void killed(long nanoTime) {
        killNanos = nanoTime;
    }

    /** A notification frame reached {@code client}: its cursor is the client's position now. */
    public void onNotification(int client, ServerFrame frame) {
        remember(client, frame);
    }

    @Override
    public void onControlFrame(int client, ServerFrame frame, long nowNanos) {
        remember(client, frame);
        if (frame.isResumed()) {
            replayed.add(Math.max(0, frame.replayed()));
            markResumed(client, nowNanos, frame.recovered());
        }
        else if ("welcome".equals(frame.type()) && resumingWithoutCursor[client]) {
            resumingWithoutCursor[client] = false;
            withoutCursor.increment();
            markResumed(client, nowNanos, false);
        }
    }

    private void remember(int client, ServerFrame frame) {
        String cursor = frame.cursor();
        if (cursor != null && !cursor.isEmpty()) {
            cursors[client] = cursor;
        }
    }

    private void markResumed(int client, long nowNanos, boolean recovered) {
        if (resumedAtNanos.compareAndSet(client, 0, Math.max(1, nowNanos))) {
            resumed.incrementAndGet();
            if (!recovered) {
                recoveredFalse.increment();
            }
        }
    }

    @Override
    public ClientFleet.@Nullable Reconnect onDisconnect(int client, long nowNanos) {
        if (killNanos == 0) {
            disconnectsBeforeKill.increment();
        }
        else if (!orphaned[client]) {
            orphaned[client] = true;
            orphans.incrementAndGet();
        }
        if (++reconnectsOf[client] > MAX_RECONNECTS) {
            if (resumedAtNanos.get(client) == 0) {
                gaveUp.incrementAndGet();
            }
            return null;
        }
        String cursor = cursors[client];
        resumingWithoutCursor[client] = cursor == null;
        long delay = jitter.delayMillis(0, random);
        if (orphaned[client] && closedAtNanos[client] == 0) {
            closedAtNanos[client] = nowNanos;
            reconnectAtNanos[client] = nowNanos + delay * 1_000_000;
        }
        return new ClientFleet.Reconnect(survivor, cursor, delay);
    }

    @Override
    public void onReconnectGaveUp(int client) {
        if (resumedAtNanos.get(client) == 0) {
            gaveUp.incrementAndGet();
        }
    }

    /** The cursor of the last frame {@code client} received, or null. */
    public @Nullable String cursor(int client) {
        return cursors[client];
    }

    /** Clients that got their {@code resumed} frame (or, without a cursor, their welcome) back. */
    public int resumed() {
        return resumed.get();
    }

    /** Clients that stopped trying before they resumed: every attempt failed, or too many reconnects. */
    public int gaveUp() {
        return gaveUp.get();
    }

    /** Whether every client resumed or gave up: nothing more will happen. */
    public boolean settled() {
        return resumed.get() + gaveUp.get() >= clients;
    }

    /** The storm in numbers; call once the fleet stopped. */
    public ResumeStats stats() {
        long kill = killNanos;
        Histogram micros = newHistogram();
        Histogram closedMicros = newHistogram();
        Histogram reconnectMicros = newHistogram();
        long last = 0;
        for (int c = 0; c < clients; c++) {
            long at = resumedAtNanos.get(c);
            if (closedAtNanos[c] != 0) {
                record(closedMicros, closedAtNanos[c] - kill);
            }
            if (at != 0 && kill != 0) {
                long took = Math.max(0, at - kill);
                record(micros, took);
                last = Math.max(last, took);
                if (reconnectAtNanos[c] != 0) {
                    record(reconnectMicros, at - reconnectAtNanos[c]);
                }
            }
        }
        int done = resumed.get();
        return new ResumeStats(clients, orphans.get(), done, clients - done, gaveUp.get(),
                recoveredFalse.sum(), withoutCursor.sum(), replayed.sum(), disconnectsBeforeKill.sum(),
                done == clients && kill != 0 ? (Long) Math.round(last / 1e6) : null, micros, closedMicros,
                reconnectMicros);
    }

    private static Histogram newHistogram() {
        return new Histogram(3_600_000_000L, 3);
    }

    private static void record(Histogram micros, long nanos) {
        micros.recordValue(Math.min(Math.max(0, nanos) / 1000, micros.getHighestTrackableValue()));
    }
}
