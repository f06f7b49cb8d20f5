package dev.tidings.gateway.session;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.tidings.common.auth.Principal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;

/**
 * One connected client: who it is, and how frames reach its socket.
 *
 * <p>Frames are written on the session's own Netty event loop, never blocking: a notification's
 * frame is encoded once per node ({@code byte[]}, UTF-8 JSON), put on the wire as a WebSocket frame
 * once per event loop ({@link WireFrame}), and every addressed session of that loop writes a
 * duplicate of the same buffer: no per-session JSON, UTF-8, frame encoding or copy. Writes
 * of one event-loop turn are flushed together ({@link EventLoopShard}), so a burst of records costs
 * each socket one system call. What the socket cannot take yet waits in Netty's outbound buffer;
 * a session whose buffer passes its frame or byte limit, or whose socket has taken nothing for
 * longer than the send timeout while bytes wait, is cut with 4408 and its connection closed, which
 * frees that buffer.
 *
 * <p>Thread-safe: {@link #deliver}, {@link #send} and {@link #sendReplayed} may be called from any
 * thread. A call on the event loop with nothing submitted before it writes at once; any other is
 * submitted to the event loop, and {@code submitted} makes later calls on the loop queue behind
 * it, so frames reach the socket in the order they were given. The write state (replay credit,
 * stall clock) is confined to the event loop; the resume state is guarded by {@code held}.
 */
public final class ClientSession {

    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    /** Queue bytes allowed per replayed frame on top of the live limit. */
    private static final int REPLAY_BYTES_PER_FRAME = 2048;

    /**
     * Unread bytes past which a session counts towards the node's outbound budget: sessions under
     * it (every healthy one) are never visited by the budget's sampler.
     */
    static final long LAGGING_BYTES = 8192;

    /** How long a closing session may take to finish the close handshake before its socket is closed. */
    private static final long CLOSE_GRACE_MILLIS = 1000;

    private final Channel channel;
    private final EventLoop loop;
    private final EventLoopShard shard;
    private final Consumer<CloseStatus> closeHandshake;
    private final Principal principal;
    private final SessionLimits limits;
    private final Consumer<ClientSession> onSlow;
    private final Consumer<ClientSession> onLagging;
    private final String id;
    private final long sendTimeoutNanos;
    /** Writes submitted to the event loop from elsewhere and not yet run. */
    private final AtomicInteger submitted = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile @Nullable ScheduledFuture<?> expiry;

    /** Replayed frames written and not yet on the wire; event-loop confined. */
    private int replayCredit;
    /**
     * Since when the socket has taken nothing from the outbound buffer (0: it took bytes since the
     * previous write), and what the buffer held right after the previous write; event-loop confined.
     * A client that reads slowly but steadily is bounded by the frame and byte limits, not by this.
     */
    private long stalledSince;
    private long pendingAfterLastWrite;
    /** Whether the session has writes its shard will flush; event-loop confined. */
    boolean dirty;
    /** Whether the session is on the node's list of sessions with more than {@link #LAGGING_BYTES} unread. */
    volatile boolean lagging;

    /** Live frames held back while a resume replays what the client missed; guarded by itself. */
    private final List<Held> held = new ArrayList<>();
    private volatile boolean holding;
    private boolean resuming;
    /** Per partition, offsets below this were already seen by the client (from its cursor). */
    private volatile long @Nullable [] floor;
    /**
     * Per partition, the offset of the first record delivered live to this session (-1: none yet).
     * Records of a partition are dispatched in offset order, so every record addressed to the
     * session at or past it was delivered live: a later resume must not replay those.
     * Written by the dispatching event loop while not holding; read by a resume once holding.
     */
    private volatile long @Nullable [] firstLive;

    private record Held(byte[] frame, int partition, long offset) {
    }

    ClientSession(Channel channel, EventLoopShard shard, Consumer<CloseStatus> closeHandshake, Principal principal,
            SessionLimits limits, Consumer<ClientSession> onSlow, Consumer<ClientSession> onLagging, boolean holding) {
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.shard = shard;
        this.closeHandshake = closeHandshake;
        this.principal = principal;
        this.limits = limits;
        this.onSlow = onSlow;
        this.onLagging = onLagging;
        this.holding = holding;
        this.id = channel.id().asShortText();
        this.sendTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(limits.sendTimeoutMillis());
    }

    /** The session id (its connection's id). */
    public String id() {
        return id;
    }

    /** Who is connected. */
    public Principal principal() {
        return principal;
    }

    /** The event-loop shard the session's connection belongs to. */
    EventLoopShard shard() {
        return shard;
    }

    /** Frames written to the connection and not yet taken by the socket. */
    public int queuedFrames() {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return out == null ? 0 : out.size();
    }

    /** Bytes written to the connection and not yet taken by the socket (with Netty's bookkeeping). */
    public long queuedBytes() {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    /** Whether the session was closed (or is closing). */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Writes the frame of the record at {@code partition}/{@code offset}: skipped when the
     * client's cursor says it has it already, held back while a resume is replaying, else sent.
     * Returns whether the frame was written or held.
     */
    public boolean deliver(byte[] frame, int partition, long offset) {
        return deliver(frame, null, partition, offset);
    }

    /**
     * {@link #deliver(byte[], int, long)} with the frame already encoded for the wire ({@link WireFrame}),
     * shared by the sessions of one event loop: this session writes a duplicate of it and the caller keeps
     * its own reference. Held frames, during a resume, keep only {@code frame}.
     */
    boolean deliver(byte[] frame, @Nullable ByteBuf wire, int partition, long offset) {
        if (holding) {
            synchronized (held) {
                if (holding) {
                    // A node still catching up on a backlog may dispatch many records during a
                    // resume: hold as many as a replay may send, on top of the live limit.
                    if (held.size() >= limits.maxQueuedFrames() + limits.maxReplay()) {
                        cutAsSlow(held.size() + " live frames held during a resume");
                        return false;
                    }
                    held.add(new Held(frame, partition, offset));
                    return true;
                }
            }
        }
        // Read the floor only after seeing holding == false: finishHolding writes the floor before
        // it clears holding, so a resume that just ended is always seen here with its floor.
        long[] seen = floor;
        if (seen != null && partition < seen.length && offset < seen[partition]) {
            return false;
        }
        noteLive(partition, offset);
        return write(frame, wire, false);
    }

    private void noteLive(int partition, long offset) {
        long[] live = firstLive;
        if (live != null && partition < live.length && live[partition] >= 0) {
            return;
        }
        long[] grown = new long[Math.max(partition + 1, live == null ? 0 : live.length)];
        Arrays.fill(grown, -1);
        if (live != null) {
            System.arraycopy(live, 0, grown, 0, live.length);
        }
        grown[partition] = offset;
        firstLive = grown;
    }

    /**
     * Whether the record at {@code partition}/{@code offset} was (or, being later in its
     * partition, certainly will have been) delivered live to this session before its current
     * resume began: replaying it would send it twice.
     */
    public boolean deliveredLive(int partition, long offset) {
        long[] live = firstLive;
        return live != null && partition < live.length && live[partition] >= 0 && offset >= live[partition];
    }

    /**
     * Starts a resume: live frames are held back from now on (if they were not already since
     * registration). Returns false when a resume is already running for this session.
     */
    public boolean beginResume() {
        synchronized (held) {
            if (resuming) {
                return false;
            }
            resuming = true;
            holding = true;
            return true;
        }
    }

    /** Whether live frames are being held back for a resume. */
    public boolean isHolding() {
        return holding;
    }

    /**
     * Ends a resume that replayed everything addressed to the client below {@code replayedUpTo}
     * (per partition). From now on, records below that are skipped: the replay covered them,
     * including those the consumer had not yet delivered live when the replay read them.
     * Then the held frames the replay did not cover are sent, in order.
     */
    public void finishHolding(long[] replayedUpTo) {
        synchronized (held) {
            long[] current = floor;
            long[] merged = replayedUpTo.clone();
            if (current != null) {
                for (int p = 0; p < Math.min(current.length, merged.length); p++) {
                    merged[p] = Math.max(merged[p], current[p]);
                }
            }
            floor = merged;
            for (Held h : held) {
                if (h.partition() >= merged.length || h.offset() >= merged[h.partition()]) {
                    write(h.frame(), null, true); // part of the catch-up, like the replay itself
                }
            }
            held.clear();
            holding = false;
            resuming = false;
        }
    }

    /**
     * Sends a frame that is not subject to holding (control frames). Returns false, and cuts the
     * session with 4408, when its outbound buffer is over its limits; false when it is closed.
     */
    public boolean send(String frame) {
        return write(frame.getBytes(StandardCharsets.UTF_8), null, false);
    }

    /**
     * Sends one replayed notification of a resume. A resume may replay up to
     * {@code tidings.gateway.max-replay} frames at once, so the buffer may hold that many on top
     * of the live limits until they are on the wire; a client that does not read them is still
     * cut with 4408.
     */
    public boolean sendReplayed(byte[] frame) {
        return write(frame, null, true);
    }

    /** Writes {@code frame}, or when given its {@code wire} encoding (shared: a duplicate is written). */
    private boolean write(byte[] frame, @Nullable ByteBuf wire, boolean replayed) {
        if (closed.get()) {
            return false;
        }
        ByteBuf own = wire == null ? null : wire.retainedDuplicate();
        if (loop.inEventLoop() && submitted.get() == 0) {
            return writeOnLoop(frame, own, replayed);
        }
        submitted.incrementAndGet();
        try {
            loop.execute(() -> {
                submitted.decrementAndGet();
                writeOnLoop(frame, own, replayed);
            });
        }
        catch (RuntimeException rejected) { // the loop is shutting down, and its connections with it
            submitted.decrementAndGet();
            release(own);
            return false;
        }
        return true;
    }

    /** Writes on the event loop; {@code wire}, when given, is this write's own reference, released if not written. */
    private boolean writeOnLoop(byte[] frame, @Nullable ByteBuf wire, boolean replayed) {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        if (closed.get() || out == null) {
            release(wire);
            return false;
        }
        int allowance = replayed ? limits.maxReplay() : replayCredit;
        int frames = out.size();
        long bytes = out.totalPendingWriteBytes();
        if (frames >= limits.maxQueuedFrames() + allowance
                || bytes + frame.length > limits.maxQueuedBytes() + (long) allowance * REPLAY_BYTES_PER_FRAME) {
            release(wire);
            cutAsSlow(frames + " frames / " + bytes + " bytes waiting, over " + limits.maxQueuedFrames() + " / "
                    + limits.maxQueuedBytes());
            return false;
        }
        if (bytes == 0 || bytes < pendingAfterLastWrite) {
            stalledSince = 0; // the socket took bytes since our last write: the client is reading
        }
        else {
            long now = System.nanoTime();
            if (stalledSince == 0) {
                stalledSince = now;
            }
            else if (now - stalledSince > sendTimeoutNanos) {
                release(wire);
                cutAsSlow("its socket took nothing for longer than the send timeout");
                return false;
            }
        }
        ChannelPromise promise;
        if (replayed) {
            replayCredit++;
            promise = channel.newPromise();
            promise.addListener(done -> replayCredit--);
        }
        else {
            promise = channel.voidPromise();
        }
        channel.write(wire != null ? wire : new TextWebSocketFrame(Unpooled.wrappedBuffer(frame)), promise);
        pendingAfterLastWrite = out.totalPendingWriteBytes();
        if (pendingAfterLastWrite > LAGGING_BYTES && !lagging) {
            lagging = true;
            onLagging.accept(this);
        }
        shard.flushLater(this);
        return true;
    }

    private static void release(@Nullable ByteBuf wire) {
        if (wire != null) {
            wire.release();
        }
    }

    /** Flushes the connection; called by the shard at the end of an event-loop turn. */
    void flush() {
        dirty = false;
        channel.flush();
    }

    private void cutAsSlow(String why) {
        log.info("Session {} of {} cut (4408): {}", id, principal.userId(), why);
        onSlow.accept(this);
        close(CloseCodes.TOO_SLOW);
    }

    /**
     * Closes the session with the status, once, from any thread: the close frame goes out after
     * what was already written, and if the client has not completed the close handshake within a
     * second the connection is closed, which frees whatever was still waiting for it.
     */
    public void close(CloseStatus status) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (held) {
            held.clear();
        }
        cancelExpiry();
        try {
            closeHandshake.accept(status);
        }
        catch (RuntimeException ex) {
            log.debug("Closing session {} failed: {}", id, ex.toString());
        }
        loop.schedule(() -> {
            if (channel.isOpen()) {
                channel.close();
            }
        }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Marks the session closed after the client or the connection closed it. */
    void markClosed() {
        closed.set(true);
        cancelExpiry();
    }

    private void cancelExpiry() {
        ScheduledFuture<?> pending = expiry;
        if (pending != null) {
            pending.cancel(false);
        }
    }

    void expireWith(ScheduledFuture<?> task) {
        this.expiry = task;
    }
}
