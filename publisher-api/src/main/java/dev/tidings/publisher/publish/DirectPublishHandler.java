package dev.tidings.publisher.publish;

import java.util.ArrayDeque;

import dev.tidings.common.auth.Principal;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * One connection's direct route ({@link DirectPublishRoute}): sits between the HTTP codec and Reactor Netty's
 * handlers, takes each request the route serves and answers it itself, and hands every other request on, message
 * by message, untouched.
 *
 * <p>Answers go out in the order their requests came, as HTTP/1.1 requires of a pipelining client: a request the
 * route could take waits for Reactor Netty when it still owes an answer on the connection (it is then handed on
 * too), and whatever arrives while the route's own answer is pending is held, and read once that answer is written.
 * A close asked for while an answer is pending (a graceful shutdown closing the connection) waits for that answer.
 *
 * <p>Not thread-safe: one per connection, confined to its event loop; the publish completes elsewhere and its
 * answer is written from the loop.
 */
final class DirectPublishHandler extends ChannelDuplexHandler {

    /** Messages held while an answer is pending past which the connection stops reading until it is written. */
    static final int HELD_BEFORE_PAUSING = 64;

    private enum State {
        /** Between requests. */
        IDLE,
        /** Handing the current request's messages on to Reactor Netty. */
        PASSING,
        /** Reading the body of a request the route took. */
        TAKING,
        /** Waiting for the publish to answer the request the route took. */
        ANSWERING,
        /** Closing after a body the decoder could not read: whatever still arrives is dropped. */
        CLOSING
    }

    /** What the handler asks of the route it serves; {@link DirectPublishRoute} in the service. */
    interface Route {

        /**
         * The caller of a request the route takes, decided on the request's head alone; null when the request
         * goes on to Reactor Netty.
         */
        @Nullable Principal take(HttpRequest request);

        /** The answer to a taken request's body, once it is known. Never fails. */
        Mono<FullHttpResponse> answer(byte[] body, Principal caller);

        /** Counts an answer written, {@code startNanos} being when its request's head arrived. */
        void answered(int status, long startNanos);
    }

    private final Route route;
    private State state = State.IDLE;
    /** Requests handed on whose answers Reactor Netty has not written in full yet. */
    private int owedByReactor;
    private byte @Nullable [] body;
    private int bodyRead;
    private @Nullable Principal caller;
    private long startNanos;
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private boolean paused;
    private @Nullable ChannelPromise closeAfterAnswer;

    DirectPublishHandler(Route route) {
        this.route = route;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (state) {
            case ANSWERING -> hold(ctx, msg);
            case PASSING -> {
                if (msg instanceof LastHttpContent) {
                    state = State.IDLE;
                }
                ctx.fireChannelRead(msg);
            }
            case TAKING -> take(ctx, msg);
            case IDLE -> begin(ctx, msg);
            case CLOSING -> ReferenceCountUtil.release(msg);
        }
    }

    private void begin(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            Principal principal = owedByReactor == 0 ? route.take(request) : null;
            if (principal != null) {
                startNanos = System.nanoTime();
                caller = principal;
                body = new byte[Integer.parseInt(request.headers().get(HttpHeaderNames.CONTENT_LENGTH))];
                bodyRead = 0;
                state = State.TAKING;
                take(ctx, msg);
                return;
            }
            owedByReactor++;
            if (!(msg instanceof LastHttpContent)) {
                state = State.PASSING;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void take(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpContent content) {
                if (!content.decoderResult().isSuccess()) {
                    abandon(ctx);
                    return;
                }
                ByteBuf bytes = content.content();
                byte[] into = body;
                int length = Math.min(bytes.readableBytes(), into.length - bodyRead);
                bytes.readBytes(into, bodyRead, length);
                bodyRead += length;
                if (msg instanceof LastHttpContent) {
                    if (bodyRead < into.length) { // the decoder ends a body early only on a failure
                        abandon(ctx);
                        return;
                    }
                    publish(ctx);
                }
            }
        }
        finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void abandon(ChannelHandlerContext ctx) {
        state = State.CLOSING;
        body = null;
        ctx.close();
    }

    private void publish(ChannelHandlerContext ctx) {
        state = State.ANSWERING;
        byte[] taken = body;
        Principal principal = caller;
        body = null;
        caller = null;
        route.answer(taken, principal).subscribe(response -> {
            if (ctx.executor().inEventLoop()) {
                respond(ctx, response);
            }
            else {
                ctx.executor().execute(() -> respond(ctx, response));
            }
        });
    }

    private void respond(ChannelHandlerContext ctx, FullHttpResponse response) {
        if (!ctx.channel().isActive()) {
            response.release();
            return;
        }
        int status = response.status().code();
        long started = startNanos;
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) written -> {
            if (written.isSuccess()) {
                route.answered(status, started);
            }
        });
        state = State.IDLE;
        ChannelPromise close = closeAfterAnswer;
        if (close != null) {
            closeAfterAnswer = null;
            releaseHeld();
            ctx.close(close);
            return;
        }
        if (!held.isEmpty()) {
            while (state != State.ANSWERING && !held.isEmpty()) {
                channelRead(ctx, held.poll());
            }
            ctx.fireChannelReadComplete();
        }
        if (paused && state != State.ANSWERING) {
            paused = false;
            ctx.channel().config().setAutoRead(true);
        }
        readOn(ctx);
    }

    private void hold(ChannelHandlerContext ctx, Object msg) {
        held.add(msg);
        if (held.size() >= HELD_BEFORE_PAUSING && !paused && ctx.channel().config().isAutoRead()) {
            paused = true;
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        readOn(ctx);
        ctx.fireChannelReadComplete();
    }

    /**
     * Asks for the next read where Reactor Netty left auto-read off and would itself ask only for the requests it
     * sees: while the route reads a body it took, and once its answer is written and nothing else is owed.
     */
    private void readOn(ChannelHandlerContext ctx) {
        if (!ctx.channel().config().isAutoRead()
                && (state == State.TAKING || state == State.IDLE && owedByReactor == 0 && !paused)) {
            ctx.read();
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        // Reactor Netty's answers pass through here on their way to the codec (this handler's own do not).
        if (msg instanceof LastHttpContent && owedByReactor > 0
                && !(msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL)) {
            owedByReactor--;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (state == State.ANSWERING && ctx.channel().isActive()) {
            closeAfterAnswer = promise;
            return;
        }
        ctx.close(promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseHeld();
        body = null;
        ChannelPromise close = closeAfterAnswer;
        if (close != null) { // the answer will not be written: the close asked for is done
            closeAfterAnswer = null;
            ctx.close(close);
        }
        ctx.fireChannelInactive();
    }

    private void releaseHeld() {
        Object msg;
        while ((msg = held.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }
}
