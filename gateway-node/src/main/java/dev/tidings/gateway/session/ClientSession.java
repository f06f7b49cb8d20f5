package dev.tidings.gateway.session;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tidings.common.auth.Principal;
import dev.tidings.gateway.protocol.CloseReason;
import dev.tidings.gateway.protocol.PerMinuteLimit;
import dev.tidings.gateway.resume.CatchUp;
import dev.tidings.gateway.resume.ResumeGate;
import dev.tidings.gateway.resume.ResumingSession;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;

/**
 * One connected client: who it is, and how frames reach its socket.
 *
 * <p>Frames are written on the session's own Netty event loop, never blocking: a notification's
 * frame is encoded once per node, put on the wire once per event loop ({@link WireFrame}), and every
 * addressed session of that loop writes a duplicate of the same buffer. Writes of one event-loop
 * turn are flushed together ({@link EventLoopShard}). What the socket cannot take yet waits in
 * Netty's outbound buffer; a session whose buffer passes its frame or byte limit is cut with 4408,
 * and so is one whose socket took nothing for the send timeout while bytes waited — found by its
 * shard's sweep, whether or not anything new is written to it.
 *
 * <p>Which live frames go out, wait for a resume or are dropped as covered is the session's
 * {@link ResumeGate}'s to say; {@link #catchUp} sends a resume's replay page by page as the socket
 * drains, within the node's {@link CatchUpBudget}, then the frames the gate held meanwhile: never a
 * whole replay in memory at once.
 *
 * <p>One class, past the usual size, because the write path, its limits and the close are one state
 * machine on the event loop: a write can cut, a cut closes, a close drops what the gate and the pump
 * hold. The resume state ({@link ResumeGate}), the catch-up ({@link CatchUpPump}) and the stall
 * bookkeeping ({@link WriteProgress}) are classes of their own.
 *
 * <p>Thread-safe: {@link #deliver}, {@link #send} and {@link #catchUp} may be called from any
 * thread; a call off the event loop (or behind submitted writes) is submitted to it, so frames
 * reach the socket in the order they were given. Write progress and the catch-up pump are confined
 * to the event loop.
 */
public final class ClientSession implements ResumingSession {

    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    /** How long a closing session may take to finish the close handshake before its socket is closed. */
    private static final long CLOSE_GRACE_MILLIS = 1000;

    private final Channel channel;
    private final Framing framing;
    private final EventLoop loop;
    private final EventLoopShard shard;
    private final SessionHooks hooks;
    /** Who is connected: replaced by a {@code refresh} for the same user. */
    private volatile Principal principal;
    /** The client's recent refresh frames; event-loop confined. */
    private final PerMinuteLimit refreshes = new PerMinuteLimit();
    private final SessionLimits limits;
    private final String id;
    private final long sendTimeoutNanos;
    /** Writes submitted to the event loop from elsewhere and not yet run. */
    private final AtomicInteger submitted = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The timer that ends the session with its token, and which arming of it is current; guarded by itself. */
    private final Object expiryLock = new Object();
    private @Nullable ScheduledFuture<?> expiry;
    private int expiryGeneration;

    /** Whether the socket takes what is written; event-loop confined. */
    private final WriteProgress progress = new WriteProgress();
    /** Whether the session has writes its shard will flush; event-loop confined. */
    private boolean dirty;

    /** Which live frames go out now, wait for a resume, or are covered already. */
    private final ResumeGate gate;
    private final CatchUpPump pump;

    ClientSession(Channel channel, Framing framing, EventLoopShard shard, SessionHooks hooks, Principal principal,
            SessionLimits limits, boolean holding) {
        this.channel = channel;
        this.framing = framing;
        this.loop = channel.eventLoop();
        this.shard = shard;
        this.hooks = hooks;
        this.principal = principal;
        this.limits = limits;
        this.gate = new ResumeGate(holding, limits.maxQueuedFrames() + limits.maxReplay());
        this.pump = new CatchUpPump(this, channel, hooks.budget(), limits.maxQueuedFrames());
        this.id = channel.id().asShortText();
        this.sendTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(limits.sendTimeoutMillis());
    }

    /** The session id (its connection's id). */
    public String id() {
        return id;
    }

    /** Who is connected: the principal of its latest token. */
    @Override
    public Principal principal() {
        return principal;
    }

    /** Goes on with the principal of a refreshed token ({@link SessionRegistry#refresh}). */
    void principal(Principal fresh) {
        this.principal = fresh;
    }

    /**
     * Whether the client may send another {@code refresh} frame: at most {@code perMinute} in any
     * minute. Call on the event loop, as frames are read.
     */
    public boolean allowRefreshFrame(int perMinute) {
        return refreshes.allow(perMinute);
    }

    @Override
    public ResumeGate gate() {
        return gate;
    }

    /** How the session's frames go on its connection. */
    Framing framing() {
        return framing;
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
     * client has it already (its cursor or a replay covered it), held back while a resume is
     * running, else sent. Returns whether the frame was written or held.
     */
    public boolean deliver(byte[] frame, int partition, long offset) {
        return deliver(frame, null, partition, offset);
    }

    /**
     * {@link #deliver(byte[], int, long)} with the frame already encoded for the wire ({@link WireFrame}),
     * shared by the sessions of one event loop: this session writes a duplicate of it and the caller keeps
     * its own reference. Held frames keep only {@code frame}.
     */
    boolean deliver(byte[] frame, @Nullable ByteBuf wire, int partition, long offset) {
        if (!framing.takesWireFrames()) {
            wire = null;
        }
        switch (gate.admit(frame, partition, offset)) {
            case HELD -> {
                return true;
            }
            case COVERED -> {
                return false;
            }
            case OVERFLOW -> {
                // A node catching up on a backlog may dispatch many records during a resume: the gate
                // holds as many as a replay may send, on top of the live limit.
                cutAsSlow("over " + gate.maxHeld() + " live frames held during a resume");
                return false;
            }
            case SEND -> {
                if (loop.inEventLoop()) {
                    gate.sentLive(partition, offset);
                }
                return write(frame, wire);
            }
        }
        throw new IllegalStateException();
    }

    /**
     * Sends a resume's catch-up, from any thread ({@link CatchUpPump}): its replayed frames as the
     * socket drains and the node's {@link CatchUpBudget} allows, then its end frame, then the live
     * frames held since the resume began that it did not cover. Live delivery goes on once the held
     * frames are sent.
     */
    @Override
    public void catchUp(CatchUp source) {
        pump.start(source);
    }

    /** Wakes a catch-up that waited for the node's budget; from any thread. */
    void wakeCatchUp() {
        pump.wake();
    }

    /**
     * Sends a frame that is not subject to holding (control frames). Returns false, and cuts the
     * session with 4408, when its outbound buffer is over its limits; false when it is closed.
     */
    @Override
    public boolean send(String frame) {
        return write(frame.getBytes(StandardCharsets.UTF_8), null);
    }

    /** Writes {@code frame}, or when given its {@code wire} encoding (shared: a duplicate is written). */
    private boolean write(byte[] frame, @Nullable ByteBuf wire) {
        if (closed.get()) {
            return false;
        }
        ByteBuf own = wire == null ? null : wire.retainedDuplicate();
        if (loop.inEventLoop() && submitted.get() == 0) {
            return writeLive(frame, own);
        }
        submitted.incrementAndGet();
        try {
            loop.execute(() -> {
                submitted.decrementAndGet();
                writeLive(frame, own);
            });
        }
        catch (RuntimeException rejected) { // the loop is shutting down, and its connections with it
            submitted.decrementAndGet();
            release(own);
            return false;
        }
        return true;
    }

    /** Writes a live or control frame on the event loop, within the session's limits. */
    private boolean writeLive(byte[] frame, @Nullable ByteBuf wire) {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        if (closed.get() || out == null) {
            release(wire);
            return false;
        }
        int frames = out.size();
        long bytes = out.totalPendingWriteBytes();
        if (frames >= limits.maxQueuedFrames() || bytes + frame.length > limits.maxQueuedBytes()) {
            release(wire);
            cutAsSlow(frames + " frames / " + bytes + " bytes waiting, over " + limits.maxQueuedFrames() + " / "
                    + limits.maxQueuedBytes());
            return false;
        }
        writeOnLoop(wire != null ? wire : framing.message(frame), channel.voidPromise());
        return true;
    }

    /** Writes {@code message} on the event loop, keeps count of what the socket takes, and queues the flush. */
    void writeOnLoop(Object message, ChannelPromise promise) {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        long before = out == null ? 0 : out.totalPendingWriteBytes();
        channel.write(message, promise);
        long after = out == null ? 0 : out.totalPendingWriteBytes();
        if (out != null && progress.wrote(before, after, out.currentProgress(), System.nanoTime())) {
            shard.watch(this);
        }
        shard.flushLater(this);
    }

    /**
     * Looks at a watched session's outbound buffer (on the event loop, from its shard's sweep): notes
     * whether the socket took anything since the last look, cuts the session with 4408 when it took
     * nothing for the send timeout, and answers the bytes still waiting, or -1 once the session is
     * healthy again (or closed) and leaves the sweep.
     */
    long sweep(long now) {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        if (out == null || !channel.isOpen()) {
            progress.unwatched();
            return -1;
        }
        long pending = out.totalPendingWriteBytes();
        long stalled = progress.stalledFor(pending, out.currentProgress(), now);
        if (stalled > sendTimeoutNanos && !closed.get()) {
            cutAsSlow("its socket took nothing for " + TimeUnit.NANOSECONDS.toMillis(stalled) + " ms with " + pending
                    + " bytes waiting");
        }
        if (pending <= WriteProgress.LAGGING_BYTES && !closed.get()) {
            progress.unwatched();
            return -1;
        }
        return pending;
    }

    /** How long the socket has taken nothing, as of the last sweep. */
    long stalledNanos(long now) {
        return progress.stalledNanos(now);
    }

    private static void release(@Nullable ByteBuf wire) {
        if (wire != null) {
            wire.release();
        }
    }

    /**
     * Notes that the session has writes for its shard to flush; false when that was noted already
     * and the flush is still to come. On the event loop.
     */
    boolean markForFlush() {
        if (dirty) {
            return false;
        }
        dirty = true;
        return true;
    }

    /** Flushes the connection; called by the shard at the end of an event-loop turn. */
    void flush() {
        dirty = false;
        channel.flush();
    }

    private void cutAsSlow(String why) {
        if (close(CloseReason.TOO_SLOW, why)) {
            hooks.slowCut().run();
        }
    }

    /**
     * Cuts a session whose socket took nothing for a while, to give the node its bytes back: the
     * connection is closed at once (its close frame could not get past the bytes already waiting).
     */
    void cutForNodeBudget(long pending) {
        if (closed.get()) {
            return;
        }
        cutAsSlow(pending + " bytes unread while the node's connections held over tidings.gateway.max-outbound-bytes");
        channel.close();
    }

    /** {@link #close(CloseReason, String)} where the reason says it all. */
    public boolean close(CloseReason reason) {
        return close(reason, "");
    }

    /**
     * Closes the session for the reason, once, from any thread, and logs it with {@code detail}
     * ({@link CloseReason#closing}): the close frame goes out after what was already written, and if
     * the client has not completed the close handshake within a second the connection is closed,
     * which frees whatever was still waiting for it. Returns false when the session was closed already.
     */
    public boolean close(CloseReason reason, String detail) {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        gate.clear();
        cancelExpiry();
        CloseStatus status = reason.closing(id, principal.userId(), detail);
        try {
            hooks.closeHandshake().accept(status);
        }
        catch (RuntimeException ex) {
            log.debug("Closing session {} failed: {}", id, ex.toString());
        }
        try {
            loop.schedule(() -> {
                if (channel.isOpen()) {
                    channel.close();
                }
            }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        }
        catch (RuntimeException rejected) {
            channel.close();
        }
        return true;
    }

    /** Marks the session closed after the client or the connection closed it. */
    void markClosed() {
        closed.set(true);
        cancelExpiry();
        gate.clear();
        if (loop.inEventLoop()) {
            pump.abandon();
        }
        else {
            pump.wake(); // the pump sees the session closed and releases its catch-up
        }
    }

    private void cancelExpiry() {
        synchronized (expiryLock) {
            if (expiry != null) {
                expiry.cancel(false);
            }
        }
    }

    /**
     * Starts a new arming of the session's expiry (its first token, or a refreshed one): the timers
     * of earlier armings stand down. Answers the arming's number, for {@link #expireWith}.
     */
    int armExpiry() {
        synchronized (expiryLock) {
            return ++expiryGeneration;
        }
    }

    /**
     * Makes {@code task} the timer of arming {@code generation}, in place of the one before; false, and
     * {@code task} cancelled, when a later arming superseded it or the session is closed.
     */
    boolean expireWith(int generation, ScheduledFuture<?> task) {
        synchronized (expiryLock) {
            if (generation != expiryGeneration || closed.get()) {
                task.cancel(false);
                return false;
            }
            if (expiry != null) {
                expiry.cancel(false);
            }
            expiry = task;
            return true;
        }
    }
}
