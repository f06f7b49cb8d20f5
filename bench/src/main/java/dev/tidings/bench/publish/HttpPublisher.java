package dev.tidings.bench.publish;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.tidings.bench.population.PublishPlan;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * Publishes through {@code POST /api/v1/notifications} (and, for throughput tests, the batch
 * endpoint) over HTTP/1.1 keep-alive connections, one request at a time on each, as a service's
 * pooled HTTP client does: at most {@code maxInFlight} connections, opened when first needed; a
 * request that finds none free waits for the first to be.
 *
 * <p>Plain Netty on one event loop, which owns every connection and the queue of waiting requests:
 * the load generator shares the cores with what it measures, so its own cost per request is kept to
 * an encode, a write, a read and a decode. (A general reactive client built a chain of operators, a
 * pool borrow and a timeout per request, and took several times the CPU per request and most of the
 * load generator's JIT compilation.)
 *
 * <p>Each request is bounded as a whole, from waiting for a connection to the last byte of its
 * answer, by {@code timeout}: a sweep on the loop fails the late ones ({@code timeout}) and closes
 * a connection whose answer is late, since its next answer could be that one's.
 *
 * <p>Thread-safe: any thread may publish; the state lives on the event loop.
 */
public final class HttpPublisher implements Publisher {

    /** An HTTP answer: its status and body. */
    public record Response(int status, String body) {
    }

    /** How often the loop looks for requests past their timeout. */
    private static final long SWEEP_MILLIS = 100;

    private final String host;
    private final String basePath;
    private final String authorization;
    private final long timeoutNanos;
    private final int maxConnections;
    private final MultiThreadIoEventLoopGroup group;
    private final EventLoop loop;
    private final Bootstrap bootstrap;

    // Owned by the loop. A connection is busy while it has a current exchange.
    private final ArrayDeque<Exchange> waiting = new ArrayDeque<>();
    private final List<Connection> connected = new ArrayList<>();
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    private int opening;
    private boolean closed;
    private final ScheduledFuture<?> sweeper;

    /**
     * @param base the publisher API's base URL
     * @param token a bearer token with the publish scope
     * @param timeout bound of each request, from waiting for a free connection to the whole answer
     * @param maxInFlight the most requests the caller has in flight at once: the connections opened
     */
    public HttpPublisher(URI base, String token, Duration timeout, int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1");
        }
        int port = base.getPort() > 0 ? base.getPort() : 80;
        this.host = base.getHost() + ":" + port;
        this.basePath = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        this.authorization = "Bearer " + token;
        this.timeoutNanos = timeout.toNanos();
        this.maxConnections = maxInFlight;
        boolean epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("bench-http", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.loop = group.next();
        this.bootstrap = new Bootstrap().group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .remoteAddress(base.getHost(), port)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(16 << 20),
                                new Connection());
                    }
                });
        this.sweeper = loop.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The request body for notification {@code seq}. */
    public static String body(PublishPlan plan, int seq, String payloadJson) {
        return "{\"target\":" + plan.targetJson(seq) + ",\"event\":\"bench\",\"payload\":" + payloadJson + "}";
    }

    @Override
    public CompletableFuture<Void> publish(PublishPlan plan, int seq, String payloadJson) {
        return publishJson(body(plan, seq, payloadJson));
    }

    /** Posts one prepared notification to the single endpoint; completes once it was answered 202. */
    public CompletableFuture<Void> publishJson(String body) {
        return post("/api/v1/notifications", body).thenAccept(response -> {
            if (response.status() != 202) {
                throw new PublishException("http " + response.status(), response.body());
            }
        });
    }

    /** Posts {@code {"notifications":[items...]}} to the batch endpoint; completes with the raw response. */
    public CompletableFuture<Response> publishBatch(String itemsJoinedByComma) {
        return post("/api/v1/notifications:batch", "{\"notifications\":[" + itemsJoinedByComma + "]}");
    }

    private CompletableFuture<Response> post(String path, String body) {
        Exchange exchange = new Exchange(basePath + path, body.getBytes(StandardCharsets.UTF_8),
                System.nanoTime() + timeoutNanos);
        loop.execute(() -> dispatch(exchange));
        return exchange.result;
    }

    private void dispatch(Exchange exchange) {
        if (closed) {
            exchange.fail("closed", "the publisher client is closed");
            return;
        }
        Connection free = idle.pollFirst();
        if (free != null) {
            free.send(exchange);
            return;
        }
        waiting.addLast(exchange);
        if (connected.size() + opening < maxConnections) {
            open();
        }
    }

    private void open() {
        opening++;
        ChannelFuture connecting = bootstrap.connect();
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                opening--;
                // Nothing to serve the waiting requests with: fail them rather than retry in a loop.
                if (connected.isEmpty() && opening == 0) {
                    failWaiting(f.cause().getClass().getSimpleName(), String.valueOf(f.cause().getMessage()));
                }
            }
        });
    }

    private void failWaiting(String reason, String detail) {
        for (Exchange exchange; (exchange = waiting.pollFirst()) != null;) {
            exchange.fail(reason, detail);
        }
    }

    /** Fails requests past their deadline; a late answer closes its connection. */
    private void sweep() {
        long now = System.nanoTime();
        while (!waiting.isEmpty() && now - waiting.peekFirst().deadline > 0) {
            waiting.pollFirst().fail("timeout", "no connection free within the timeout");
        }
        for (Connection connection : List.copyOf(connected)) {
            Exchange current = connection.current;
            if (current != null && now - current.deadline > 0) {
                connection.current = null;
                current.fail("timeout", "no answer within the timeout");
                connection.channel.close();
            }
        }
    }

    @Override
    public String path() {
        return "http";
    }

    @Override
    public void close() {
        loop.execute(() -> {
            closed = true;
            sweeper.cancel(false);
            failWaiting("closed", "the publisher client is closed");
            List.copyOf(connected).forEach(c -> c.channel.close());
        });
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    /** One request and its answer. */
    private static final class Exchange {

        final String path;
        final byte[] body;
        final long deadline;
        final CompletableFuture<Response> result = new CompletableFuture<>();

        Exchange(String path, byte[] body, long deadline) {
            this.path = path;
            this.body = body;
            this.deadline = deadline;
        }

        void fail(String reason, String detail) {
            result.completeExceptionally(new PublishException(reason, detail));
        }
    }

    /** One keep-alive connection; its methods run on the loop. */
    private final class Connection extends SimpleChannelInboundHandler<FullHttpResponse> {

        Channel channel;
        @Nullable Exchange current;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            opening--;
            connected.add(this);
            next();
        }

        /** Sends {@code exchange} on this connection, which is not idle. */
        void send(Exchange exchange) {
            current = exchange;
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, exchange.path,
                    Unpooled.wrappedBuffer(exchange.body));
            request.headers()
                    .set(HttpHeaderNames.HOST, host)
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .set(HttpHeaderNames.AUTHORIZATION, authorization)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, exchange.body.length);
            channel.writeAndFlush(request, channel.voidPromise());
        }

        /** Takes the next waiting request, or becomes idle. */
        private void next() {
            Exchange exchange = waiting.pollFirst();
            if (exchange != null) {
                send(exchange);
            }
            else {
                idle.addFirst(this); // the most recently used first: the others may idle out
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            Exchange exchange = current;
            current = null;
            if (exchange != null) {
                exchange.result.complete(new Response(response.status().code(),
                        response.content().toString(StandardCharsets.UTF_8)));
            }
            if (!HttpUtil.isKeepAlive(response)) {
                ctx.close();
                return;
            }
            next();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            connected.remove(this);
            idle.remove(this);
            Exchange exchange = current;
            current = null;
            if (exchange != null) {
                exchange.fail("closed", "the connection closed before the answer");
            }
            if (!closed && !waiting.isEmpty() && connected.size() + opening < maxConnections) {
                open();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Exchange exchange = current;
            current = null;
            if (exchange != null) {
                exchange.fail(cause.getClass().getSimpleName(), String.valueOf(cause.getMessage()));
            }
            ctx.close();
        }
    }
}
