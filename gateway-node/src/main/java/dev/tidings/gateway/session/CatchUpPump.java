package dev.tidings.gateway.session;

import java.util.concurrent.TimeUnit;

import dev.tidings.gateway.resume.CatchUp;
import dev.tidings.gateway.resume.ResumeGate;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.jspecify.annotations.Nullable;

/**
 * Writes one session's resume catch-up to its connection as the socket drains: the replayed frames
 * within the node's {@link CatchUpBudget}, then the frame that ends the resume, then the live frames
 * its {@link ResumeGate} held meanwhile that the replay did not cover. At most a page
 * ({@link #PAGE_BYTES}) waits in the connection at a time, so a replay costs the node a page per
 * session, never the whole replay.
 *
 * <p>Confined to the session's event loop; {@link #start} and {@link #wake} may be called from any
 * thread and hop onto it.
 */
final class CatchUpPump {

    /** Bytes a catch-up keeps waiting in the connection; more are written once half of them were taken. */
    static final int PAGE_BYTES = 128 * 1024;

    private final ClientSession session;
    private final Channel channel;
    private final CatchUpBudget budget;
    private final int maxQueuedFrames;
    private @Nullable CatchUp catchUp;
    private byte @Nullable [] pendingReplay;
    private @Nullable ChannelFuture drainMark;
    private @Nullable ChannelFuture lastWrite;
    private boolean awaitingDrain;
    /** Whether every replayed frame and the end frame were written; the held frames follow. */
    private boolean sourceDone;

    CatchUpPump(ClientSession session, Channel channel, CatchUpBudget budget, int maxQueuedFrames) {
        this.session = session;
        this.channel = channel;
        this.budget = budget;
        this.maxQueuedFrames = maxQueuedFrames;
    }

    /** Starts sending the catch-up, from any thread; released at once when the loop is shutting down. */
    void start(CatchUp source) {
        try {
            channel.eventLoop().execute(() -> {
                catchUp = source;
                pump();
            });
        }
        catch (RuntimeException rejected) { // the loop is shutting down, and the connection with it
            source.close();
        }
    }

    /** Continues a catch-up that waited for the node's budget, or releases it once the session closed; any thread. */
    void wake() {
        try {
            channel.eventLoop().execute(this::pump);
        }
        catch (RuntimeException rejected) {
            // shutting down: the session's close released what the catch-up held
        }
    }

    /** Writes the catch-up until the connection holds a page or the budget is spent; on the event loop. */
    private void pump() {
        awaitingDrain = false;
        while (true) {
            ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
            if (session.isClosed() || out == null) {
                abandon();
                return;
            }
            if (catchUp == null) {
                return; // no resume, or its replay is still being prepared
            }
            if (out.totalPendingWriteBytes() >= PAGE_BYTES || out.size() >= maxQueuedFrames / 2) {
                awaitDrain();
                return;
            }
            if (!sendNext(out)) {
                return;
            }
        }
    }

    /**
     * Sends the next frame of the catch-up: a replayed frame, else its end, else a held frame.
     * Returns false when the pump must stop (budget spent, or the catch-up is complete).
     */
    private boolean sendNext(ChannelOutboundBuffer out) {
        CatchUp source = catchUp;
        if (source == null) {
            return false;
        }
        ResumeGate gate = session.gate();
        if (!sourceDone) {
            byte[] frame = pendingReplay != null ? pendingReplay : source.next();
            pendingReplay = null;
            if (frame != null) {
                if (!budget.tryAcquire(session, frame.length)) {
                    pendingReplay = frame; // woken by the budget
                    return false;
                }
                write(out, frame, frame.length);
                return true;
            }
            sourceDone = true;
            write(out, source.end(), 0);
            gate.replayed(source.floor());
            return true;
        }
        ResumeGate.HeldFrame next = gate.nextHeld();
        if (next == null) {
            // Live delivery goes on with the next frame.
            catchUp = null;
            sourceDone = false;
            source.close();
            return false;
        }
        write(out, next.frame(), 0);
        return true;
    }

    /** Writes a catch-up frame; {@code budgeted} bytes go back to the budget once the socket took it. */
    private void write(ChannelOutboundBuffer out, byte[] frame, int budgeted) {
        ChannelPromise promise = channel.newPromise();
        if (budgeted > 0) {
            promise.addListener(done -> budget.release(budgeted));
        }
        long before = out.totalPendingWriteBytes();
        session.writeOnLoop(new TextWebSocketFrame(Unpooled.wrappedBuffer(frame)), promise);
        if (drainMark == null && before >= PAGE_BYTES / 2) {
            drainMark = promise;
        }
        lastWrite = promise;
    }

    /** Continues the pump once the socket took about half a page. */
    private void awaitDrain() {
        if (awaitingDrain) {
            return;
        }
        awaitingDrain = true;
        ChannelFuture mark = drainMark != null ? drainMark : lastWrite;
        drainMark = null;
        if (mark != null && !mark.isDone()) {
            mark.addListener(done -> pump());
        }
        else {
            // The page is live frames written before the resume: look again shortly.
            channel.eventLoop().schedule(this::pump, 10, TimeUnit.MILLISECONDS);
        }
    }

    /** Releases the catch-up of a closed session; on the event loop. */
    void abandon() {
        CatchUp source = catchUp;
        catchUp = null;
        pendingReplay = null;
        if (source != null) {
            source.close();
        }
    }
}
