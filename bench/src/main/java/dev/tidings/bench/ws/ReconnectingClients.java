package dev.tidings.bench.ws;

import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.function.LongUnaryOperator;

import org.HdrHistogram.AtomicHistogram;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * Clients that come back as the JS SDK does when their gateway closes them (a rolling restart's
 * 1013, or a dropped connection): after a full-jitter wait ({@link ClientFleet#RETRY_BACKOFF}'s first
 * step) each connects to the next gateway of the list with the cursor of the last frame it
 * received, and resumes. An attempt that fails moves on to the next gateway after the SDK's
 * full-jitter backoff ({@link ClientFleet#RETRY_BACKOFF}), and, as the SDK, the client never gives
 * up on its own. Client {@code i} starts on gateway {@code i mod gateways}, as
 * {@link ClientFleet#connect} places it.
 *
 * <p>Tells live deliveries from catch-up: from the moment a client's connection closes until its
 * {@code resumed} frame (or, when it had no cursor to give, its {@code welcome}), and for every
 * notification published before that frame arrived, what the client receives is what it missed or
 * what its new node held back during the resume. A run measures the gateways' live latency on the
 * rest ({@link #isLive}) and the catch-up apart.
 *
 * <p>Thread-safe: a client's cursor, gateway and live mark are touched only by the event loop thread
 * that runs its current connection, and the fleet starts each connection of a client from the close
 * of the one before, so each hand-over is ordered; the counters are atomic.
 */
public final class ReconnectingClients implements ClientFleet.ConnectionListener {

    /** Reconnects per client at most; past that it stays away. */
    public static final int MAX_RECONNECTS = 10;

    private static final long NOT_LIVE = Long.MAX_VALUE;

    private final List<URI> gateways;
    private final DoubleSupplier random;
    /** The full-jitter wait before a closed client's first attempt. */
    private final Backoff firstJitter;
    private final @Nullable String[] cursors;
    private final int[] gatewayOf;
    private final int[] reconnectsOf;
    private final boolean[] withoutCursor;
    /** Per client, the publish time (epoch microseconds) from which its deliveries are live. */
    private final long[] liveFromMicros;
    /** Per client, when its latest connection closed ({@link System#nanoTime()}). */
    private final long[] closedAtNanos;
    /** From a connection's close to the end of the client's resume, in microseconds. */
    private final AtomicHistogram awayMicros = new AtomicHistogram(3_600_000_000L, 3);
    private final LongAdder disconnects = new LongAdder();
    private final LongAdder resumes = new LongAdder();
    private final LongAdder notRecovered = new LongAdder();
    private final LongAdder replayed = new LongAdder();
    private final AtomicInteger gaveUp = new AtomicInteger();
    /** A {@link System#nanoTime()} in the load generator's wall clock, epoch microseconds. */
    private final LongUnaryOperator epochMicros;

    /**
     * @param clients size of the client table
     * @param gateways the WebSocket URLs, in the fleet's order
     * @param epochMicros a receipt's {@link System#nanoTime()} in the publish times' clock (epoch microseconds)
     * @param random uniform values in [0, 1), for the jitter
     */
    public ReconnectingClients(int clients, List<URI> gateways, LongUnaryOperator epochMicros, DoubleSupplier random) {
        this(clients, gateways, epochMicros, random, ClientFleet.RETRY_BACKOFF.ceilingMillis(0));
    }

    /**
     * @param clients size of the client table
     * @param gateways the WebSocket URLs, in the fleet's order
     * @param epochMicros a receipt's {@link System#nanoTime()} in the publish times' clock (epoch microseconds)
     * @param random uniform values in [0, 1), for the jitter
     * @param firstJitterMillis ceiling of the full-jitter wait before a closed client's first attempt (the SDK's:
     *     its backoff's first step, 500 ms); the later attempts follow the SDK's backoff
     */
    public ReconnectingClients(int clients, List<URI> gateways, LongUnaryOperator epochMicros, DoubleSupplier random,
            long firstJitterMillis) {
        if (firstJitterMillis < 0) {
            throw new IllegalArgumentException("negative jitter: " + firstJitterMillis);
        }
        this.firstJitter = new Backoff(firstJitterMillis, firstJitterMillis);
        if (gateways.isEmpty()) {
            throw new IllegalArgumentException("no gateway to reconnect to");
        }
        this.gateways = List.copyOf(gateways);
        this.epochMicros = epochMicros;
        this.random = random;
        this.cursors = new String[clients];
        this.gatewayOf = new int[clients];
        this.reconnectsOf = new int[clients];
        this.withoutCursor = new boolean[clients];
        this.liveFromMicros = new long[clients];
        this.closedAtNanos = new long[clients];
        for (int c = 0; c < clients; c++) {
            gatewayOf[c] = c % this.gateways.size();
        }
    }

    /**
     * A notification reached {@code client}: remembers its cursor, and tells whether the delivery is
     * live (published after the client's latest resume ended) rather than catch-up.
     */
    public boolean isLive(int client, ServerFrame frame) {
        remember(client, frame);
        return frame.publishedMicros() >= liveFromMicros[client];
    }

    @Override
    public void onControlFrame(int client, ServerFrame frame, long nowNanos) {
        remember(client, frame);
        if (frame.isResumed()) {
            replayed.add(Math.max(0, frame.replayed()));
            if (!frame.recovered()) {
                notRecovered.increment();
            }
            live(client, nowNanos);
        }
        else if ("welcome".equals(frame.type()) && withoutCursor[client]) {
            withoutCursor[client] = false;
            notRecovered.increment();
            live(client, nowNanos);
        }
    }

    private void live(int client, long nowNanos) {
        if (liveFromMicros[client] == NOT_LIVE) {
            liveFromMicros[client] = epochMicros.applyAsLong(nowNanos);
            resumes.increment();
            awayMicros.recordValue(Math.min(Math.max(0, nowNanos - closedAtNanos[client]) / 1000,
                    awayMicros.getHighestTrackableValue()));
        }
    }

    private void remember(int client, ServerFrame frame) {
        String cursor = frame.cursor();
        if (cursor != null && !cursor.isEmpty()) {
            cursors[client] = cursor;
        }
    }

    @Override
    public ClientFleet.@Nullable Reconnect onDisconnect(int client, long nowNanos) {
        disconnects.increment();
        liveFromMicros[client] = NOT_LIVE;
        closedAtNanos[client] = nowNanos;
        if (++reconnectsOf[client] > MAX_RECONNECTS) {
            gaveUp.incrementAndGet();
            return null;
        }
        String cursor = cursors[client];
        withoutCursor[client] = cursor == null;
        return new ClientFleet.Reconnect(nextGateway(client), cursor, firstJitter.delayMillis(0, random));
    }

    /** Never gives up, as the SDK: the next gateway, the same cursor, the SDK's backoff for this attempt. */
    @Override
    public ClientFleet.Reconnect onReconnectFailed(int client, int attempt, ClientFleet.Reconnect failed) {
        return new ClientFleet.Reconnect(nextGateway(client), failed.cursor(),
                ClientFleet.RETRY_BACKOFF.delayMillis(attempt, random));
    }

    /** Moves {@code client} on to the gateway after the one it last went to. */
    private URI nextGateway(int client) {
        int next = (gatewayOf[client] + 1) % gateways.size();
        gatewayOf[client] = next;
        return gateways.get(next);
    }

    /** Connections the gateways closed. */
    public long disconnects() {
        return disconnects.sum();
    }

    /** Resumes that ended ({@code resumed}, or a welcome for a client without a cursor). */
    public long resumes() {
        return resumes.sum();
    }

    /** Resumes that could not fill the gap ({@code recovered:false}, or no cursor to give). */
    public long notRecovered() {
        return notRecovered.sum();
    }

    /** Notifications the resumes replayed, as their {@code resumed} frames count them. */
    public long replayed() {
        return replayed.sum();
    }

    /** Per resume, the time from the connection's close to the resume's end, in microseconds (a copy). */
    public Histogram awayMicros() {
        return awayMicros.copy();
    }

    /** Clients that stopped reconnecting: more than {@link #MAX_RECONNECTS} reconnects. */
    public int gaveUp() {
        return gaveUp.get();
    }
}
