package dev.tidings.gateway.session;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;

import dev.tidings.common.auth.Principal;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * One connected client: who it is, and its bounded outbound queue.
 *
 * <p>The Kafka consumer thread and WebSocket threads only enqueue. Frames are written by a small
 * writer pool, one drain task per session at a time (as Spring's own STOMP broker relay does),
 * with the container's blocking send bounded by the send timeout: a client that stops reading
 * holds one writer thread for at most that long, then is cut with 4408. (Tomcat's asynchronous
 * send was measured to corrupt frames when the next send starts from another thread while the
 * previous completion is still unwinding, so it is not used.) A session
 * whose queue passes its frame or byte limit, or whose write takes longer than the send
 * timeout, is cut with 4408 and its queue dropped.
 *
 * <p>Thread-safe: {@link #send} may be called from the consumer thread and WebSocket I/O
 * threads at once; the queue is concurrent, counters are atomic, and the {@code sending} flag
 * guarantees a single writer.
 */
public final class ClientSession {

    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    /** Queue bytes allowed per replayed frame on top of the live limit. */
    private static final int REPLAY_BYTES_PER_FRAME = 2048;

    /** Frames one writer turn writes before yielding the thread to other sessions. */
    private static final int DRAIN_BATCH = 64;

    private static final String BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

    private final WebSocketSession webSocket;
    private final RemoteEndpoint.Basic remote;
    private final Principal principal;
    private final SessionLimits limits;
    private final Executor closer;
    private final Executor writer;
    private final Consumer<ClientSession> onSlow;
    private final AtomicLong nodeQueuedFrames;
    private final Queue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedFrames = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean sending = new AtomicBoolean();
    /** Replayed frames (and their bytes) queued and not yet written; they decay as frames are written. */
    private final AtomicInteger replayCredit = new AtomicInteger();
    private final AtomicLong replayBytesCredit = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile @Nullable ScheduledFuture<?> expiry;

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
     * Written by the dispatching thread while not holding; read by a resume once holding.
     */
    private volatile long @Nullable [] firstLive;

    private record Held(String frame, int partition, long offset) {
    }

    ClientSession(WebSocketSession webSocket, Principal principal, SessionLimits limits, Executor closer,
            Executor writer, Consumer<ClientSession> onSlow, boolean holding, AtomicLong nodeQueuedFrames) {
        this.nodeQueuedFrames = nodeQueuedFrames;
        this.writer = writer;
        this.holding = holding;
        this.webSocket = webSocket;
        this.principal = principal;
        this.limits = limits;
        this.closer = closer;
        this.onSlow = onSlow;
        Session nativeSession = ((NativeWebSocketSession) webSocket).getNativeSession(Session.class);
        if (nativeSession == null) {
            throw new IllegalStateException("gateway needs a JSR-356 (jakarta.websocket) container");
        }
        this.remote = nativeSession.getBasicRemote();
        // Tomcat's per-session bound on one blocking write: past it the client counts as too slow.
        nativeSession.getUserProperties().put(BLOCKING_SEND_TIMEOUT, limits.sendTimeoutMillis());
    }

    /** The WebSocket session id. */
    public String id() {
        return webSocket.getId();
    }

    /** Who is connected. */
    public Principal principal() {
        return principal;
    }

    /** Frames waiting to be written. */
    public int queuedFrames() {
        return queuedFrames.get();
    }

    /** Whether the session was closed (or is closing). */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Queues the frame of the record at {@code partition}/{@code offset}: skipped when the
     * client's cursor says it has it already, held back while a resume is replaying, else sent.
     * Returns whether the frame was queued or held.
     */
    public boolean deliver(String frame, int partition, long offset) {
        if (holding) {
            synchronized (held) {
                if (holding) {
                    // A node still catching up on a backlog may dispatch many records during a
                    // resume: hold as many as a replay may send, on top of the live limit.
                    if (held.size() >= limits.maxQueuedFrames() + limits.maxReplay()) {
                        log.info("Session {} of {} cut (4408): {} live frames held during a resume", id(),
                                principal.userId(), held.size());
                        onSlow.accept(this);
                        close(CloseCodes.TOO_SLOW);
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
        return send(frame);
    }

    private void noteLive(int partition, long offset) {
        long[] live = firstLive;
        if (live != null && partition < live.length && live[partition] >= 0) {
            return;
        }
        long[] grown = new long[Math.max(partition + 1, live == null ? 0 : live.length)];
        java.util.Arrays.fill(grown, -1);
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
     * including those the consumer thread had not yet delivered live when the replay read them.
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
                    sendReplayed(h.frame()); // part of the catch-up, like the replay itself
                }
            }
            held.clear();
            holding = false;
            resuming = false;
        }
    }

    /**
     * Queues a frame that is not subject to holding (control frames and replayed notifications).
     * Returns false, and cuts the session with 4408, when the queue is over its limits; returns
     * false when the session is already closed.
     */
    public boolean send(String frame) {
        // Replayed frames still waiting are a catch-up, not a client falling behind: they do not
        // count against the live limit.
        return offer(frame, limits.maxQueuedFrames() + replayCredit.get(),
                limits.maxQueuedBytes() + replayBytesCredit.get());
    }

    /**
     * Queues one replayed notification of a resume. A resume may replay up to
     * {@code tidings.gateway.max-replay} frames at once, so the queue may hold that many on top of
     * the live limits; a client that does not read them is still cut with 4408.
     */
    public boolean sendReplayed(String frame) {
        boolean queued = offer(frame, limits.maxQueuedFrames() + limits.maxReplay(),
                limits.maxQueuedBytes() + (long) limits.maxReplay() * REPLAY_BYTES_PER_FRAME);
        if (queued) {
            replayCredit.incrementAndGet();
            replayBytesCredit.addAndGet(frame.length());
        }
        return queued;
    }

    private boolean offer(String frame, int maxFrames, long maxBytes) {
        if (closed.get()) {
            return false;
        }
        int frames = queuedFrames.incrementAndGet();
        long bytes = queuedBytes.addAndGet(frame.length());
        if (frames > maxFrames || bytes > maxBytes) {
            queuedFrames.decrementAndGet();
            queuedBytes.addAndGet(-frame.length());
            log.info("Session {} of {} cut (4408): {} frames / {} bytes queued, over {} / {}", id(),
                    principal.userId(), frames, bytes, maxFrames, maxBytes);
            onSlow.accept(this);
            close(CloseCodes.TOO_SLOW);
            return false;
        }
        queue.add(frame);
        nodeQueuedFrames.incrementAndGet();
        if (closed.get()) {
            dropQueue(); // closed while we queued: nobody will write it
            return false;
        }
        pump();
        return true;
    }

    private void pump() {
        if (!closed.get() && sending.compareAndSet(false, true)) {
            writer.execute(this::drain);
        }
    }

    /**
     * Writes queued frames on a writer thread, a bounded batch per turn so that one busy session
     * cannot starve the others, then hands the session back to the pool if frames remain.
     */
    private void drain() {
        try {
            for (int i = 0; i < DRAIN_BATCH && !closed.get(); i++) {
                String frame = queue.poll();
                if (frame == null) {
                    break;
                }
                queuedFrames.decrementAndGet();
                queuedBytes.addAndGet(-frame.length());
                nodeQueuedFrames.decrementAndGet();
                if (replayCredit.get() > 0) {
                    replayCredit.decrementAndGet();
                    replayBytesCredit.accumulateAndGet(frame.length(), (credit, len) -> Math.max(0, credit - len));
                }
                remote.sendText(frame);
            }
        }
        catch (IOException | RuntimeException ex) {
            // The blocking send timed out (the client stopped reading) or the socket is gone.
            boolean timeout = ex instanceof java.net.SocketTimeoutException
                    || String.valueOf(ex.getMessage()).contains("imeout")
                    || ex.getCause() instanceof java.util.concurrent.TimeoutException;
            if (timeout) {
                log.info("Session {} of {} cut (4408): a write took longer than the send timeout", id(),
                        principal.userId());
                onSlow.accept(this);
            }
            else {
                log.debug("Send to session {} failed: {}", id(), ex.toString());
            }
            close(timeout ? CloseCodes.TOO_SLOW : CloseStatus.GOING_AWAY);
            return;
        }
        sending.set(false);
        if (!queue.isEmpty()) {
            pump();
        }
    }

    /** Closes the session with the status, once; the close itself runs off the caller's thread. */
    public void close(CloseStatus status) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        dropQueue();
        synchronized (held) {
            held.clear();
        }
        ScheduledFuture<?> pending = expiry;
        if (pending != null) {
            pending.cancel(false);
        }
        closer.execute(() -> {
            try {
                webSocket.close(status);
            }
            catch (IOException | RuntimeException ex) {
                log.debug("Closing session {} failed: {}", id(), ex.toString());
            }
        });
    }

    /** Marks the session closed after the client or the container closed it. */
    void markClosed() {
        closed.set(true);
        dropQueue();
        ScheduledFuture<?> pending = expiry;
        if (pending != null) {
            pending.cancel(false);
        }
    }

    private void dropQueue() {
        int dropped = 0;
        while (queue.poll() != null) {
            dropped++;
        }
        nodeQueuedFrames.addAndGet(-dropped);
    }

    void expireWith(ScheduledFuture<?> task) {
        this.expiry = task;
    }
}
