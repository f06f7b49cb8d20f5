package dev.tidings.bench.ws;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * N real WebSocket clients on Netty event loops, spread over the gateways: each connects with
 * its own token, counts as connected once the gateway's {@code welcome} frame arrives, pings
 * now and then so the gateway's idle timeout never cuts it, and hands every {@code notification}
 * frame to a {@link FrameSink} on its event loop thread.
 *
 * <p>Connecting is bounded: at most {@code connectConcurrency} handshakes in flight, each client
 * retried at most {@link #MAX_ATTEMPTS} times, and the whole phase ends at its deadline.
 *
 * <p>A {@link ConnectionListener} hears the other frames ({@code welcome}, {@code resumed}, ...)
 * and every connection that closes on its own; it may answer with a {@link Reconnect}: the client
 * then connects again after the given delay, to the given gateway, with the given cursor; after each
 * failed attempt the listener says what to try next (by default the same gateway with full-jitter
 * backoff, at most {@link #MAX_ATTEMPTS} attempts in all).
 *
 * <p>Thread-safe: the client table is written by the connecting thread before a channel exists
 * and read by event loops after; counters are atomic.
 */
public final class ClientFleet implements AutoCloseable {

    /** Connect attempts per client before it counts as failed. */
    public static final int MAX_ATTEMPTS = 5;

    private static final String PING = "{\"type\":\"ping\"}";

    /** How long an attempt waits for the answer to its WebSocket upgrade. */
    public static final long HANDSHAKE_TIMEOUT_MILLIS = 30_000;

    /**
     * How long a reconnect attempt waits for its {@code welcome} before it counts as failed and is dropped, unless
     * the settings say otherwise: the JS SDK's default {@code connectTimeoutMs}.
     */
    public static final long RECONNECT_WELCOME_TIMEOUT_MILLIS = 10_000;

    /** Delays between failed reconnect attempts, as the JS SDK's defaults: 500 ms doubling, full jitter. */
    public static final Backoff RETRY_BACKOFF = new Backoff(500, 8_000);

    /** Receives notification frames; called on the receiving client's event loop thread. */
    @FunctionalInterface
    public interface FrameSink {
        void onNotification(int client, ServerFrame frame, long nowNanos);
    }

    /**
     * How a client whose connection closed on its own comes back.
     *
     * @param gateway the WebSocket URL to connect to
     * @param cursor the cursor to resume from ({@code &cursor=...}), or null for a fresh session
     * @param delayMillis wait before the first attempt
     */
    public record Reconnect(URI gateway, @Nullable String cursor, long delayMillis) {
    }

    /** Hears about a client's connections beyond its notifications; called on the client's event loop thread. */
    public interface ConnectionListener {

        /** Hears nothing and never reconnects. */
        ConnectionListener NONE = new ConnectionListener() {
        };

        /** A frame other than a notification ({@code welcome}, {@code resumed}, {@code pong}, {@code error}). */
        default void onControlFrame(int client, ServerFrame frame, long nowNanos) {
        }

        /** A welcomed connection of {@code client} closed without the fleet closing it: how to reconnect, or null. */
        default @Nullable Reconnect onDisconnect(int client, long nowNanos) {
            return null;
        }

        /**
         * Attempt number {@code attempt} of a reconnect of {@code client} failed: what to try next, or null to give
         * up. By default the same gateway again after a {@link #RETRY_BACKOFF} delay, up to {@link #MAX_ATTEMPTS}
         * attempts in all.
         */
        default @Nullable Reconnect onReconnectFailed(int client, int attempt, Reconnect failed) {
            if (attempt >= MAX_ATTEMPTS) {
                return null;
            }
            return new Reconnect(failed.gateway(), failed.cursor(),
                    RETRY_BACKOFF.delayMillis(attempt - 1, ThreadLocalRandom.current()::nextDouble));
        }

        /** A reconnect of {@code client} gave up: {@link #onReconnectFailed} answered null. */
        default void onReconnectGaveUp(int client) {
        }
    }

    /**
     * How the fleet connects.
     *
     * @param gateways WebSocket URLs of the gateway nodes ({@code ws://host:port/ws})
     * @param connectConcurrency handshakes in flight at once
     * @param connectTimeout the longest the whole connect phase may take
     * @param sourceIps loopback source addresses to spread clients over (127.0.0.1..n), so that
     *     one process is never short of ephemeral ports; 1 lets the kernel choose
     * @param pingInterval how often each client pings
     * @param ioThreads event loop threads
     * @param readCursors whether frames' cursors are read (for a listener that resumes clients)
     * @param reconnectWelcomeTimeout how long a reconnect attempt waits for its {@code welcome} before it is
     *     dropped and counted as failed
     */
    public record Settings(List<URI> gateways, int connectConcurrency, Duration connectTimeout, int sourceIps,
            Duration pingInterval, int ioThreads, boolean readCursors, Duration reconnectWelcomeTimeout) {

        /** Settings whose reconnects wait {@link #RECONNECT_WELCOME_TIMEOUT_MILLIS} for their welcome. */
        public Settings(List<URI> gateways, int connectConcurrency, Duration connectTimeout, int sourceIps,
                Duration pingInterval, int ioThreads, boolean readCursors) {
            this(gateways, connectConcurrency, connectTimeout, sourceIps, pingInterval, ioThreads, readCursors,
                    Duration.ofMillis(RECONNECT_WELCOME_TIMEOUT_MILLIS));
        }

        /** Settings that do not read cursors. */
        public Settings(List<URI> gateways, int connectConcurrency, Duration connectTimeout, int sourceIps,
                Duration pingInterval, int ioThreads) {
            this(gateways, connectConcurrency, connectTimeout, sourceIps, pingInterval, ioThreads, false);
        }
    }

    /**
     * Outcome of a connect phase.
     *
     * @param requested clients asked to connect
     * @param welcomed clients that got their {@code welcome} frame
     * @param failed clients that gave up after {@link #MAX_ATTEMPTS}
     * @param elapsedMillis time from the first attempt to the last welcome (or the deadline)
     */
    public record ConnectResult(int requested, int welcomed, int failed, long elapsedMillis) {
    }

    private final Settings settings;
    private final IntFunction<String> tokens;
    private final FrameSink sink;
    private final ConnectionListener listener;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final Channel[] channels;
    private final AtomicInteger welcomed = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final LongAdder connectErrors = new LongAdder();
    private final LongAdder disconnects = new LongAdder();
    private final LongAdder badFrames = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final LongAdder reconnectErrors = new LongAdder();
    private final LongAdder reconnectsGivenUp = new LongAdder();
    private final LongAdder rewelcomed = new LongAdder();
    private final Map<Integer, LongAdder> closeCodes = new ConcurrentHashMap<>();
    private final AtomicInteger loggedErrors = new AtomicInteger();
    private final AtomicInteger loggedDisconnects = new AtomicInteger();
    /** Failed reconnect attempts by kind of failure (the reason up to its first colon). */
    private final Map<String, LongAdder> reconnectFailures = new ConcurrentHashMap<>();
    private volatile @Nullable Semaphore inFlight;
    private volatile boolean closing;

    /**
     * @param clients size of the client table (client indexes are {@code 0..clients-1})
     * @param tokens the access token of client {@code i}
     */
    public ClientFleet(Settings settings, int clients, IntFunction<String> tokens, FrameSink sink) {
        this(settings, clients, tokens, sink, ConnectionListener.NONE);
    }

    /**
     * @param clients size of the client table (client indexes are {@code 0..clients-1})
     * @param tokens the access token of client {@code i} (asked again for every attempt)
     * @param listener hears control frames and disconnects, and decides reconnects
     */
    public ClientFleet(Settings settings, int clients, IntFunction<String> tokens, FrameSink sink,
            ConnectionListener listener) {
        this.settings = settings;
        this.tokens = tokens;
        this.sink = sink;
        this.listener = listener;
        this.channels = new Channel[clients];
        // epoll where the native transport loads (Linux): the load generator's own CPU per frame is
        // part of every figure on a 2-core machine, and NIO's selector costs more per ready socket.
        boolean epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(settings.ioThreads(),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap().group(group).channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
    }

    /**
     * Connects clients {@code from..to-1} (client {@code i} to gateway {@code i mod gateways}) and
     * waits until each got its welcome, failed, or the connect deadline passed.
     */
    public ConnectResult connect(int from, int to) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + settings.connectTimeout().toNanos();
        int welcomedBefore = welcomed.get();
        int failedBefore = failed.get();
        Semaphore permits = new Semaphore(settings.connectConcurrency());
        inFlight = permits;
        for (int i = from; i < to; i++) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !permits.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                break;
            }
            attempt(i, 1, null);
        }
        int requested = to - from;
        while (System.nanoTime() < deadline
                && (welcomed.get() - welcomedBefore) + (failed.get() - failedBefore) < requested) {
            Thread.sleep(20);
        }
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        return new ConnectResult(requested, welcomed.get() - welcomedBefore, failed.get() - failedBefore, elapsed);
    }

    /**
     * The URL a client connects with: the gateway's, plus {@code access_token} and, when resuming,
     * {@code cursor}, both URL-encoded.
     */
    public static URI connectUri(URI gateway, String token, @Nullable String cursor) {
        StringBuilder uri = new StringBuilder(gateway.toString());
        uri.append(gateway.getRawQuery() == null ? '?' : '&').append("access_token=")
                .append(URLEncoder.encode(token, StandardCharsets.UTF_8));
        if (cursor != null && !cursor.isEmpty()) {
            uri.append("&cursor=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        }
        return URI.create(uri.toString());
    }

    /** Attempt number {@code attempt} of a first connect ({@code reconnect} null) or of a reconnect. */
    private void attempt(int client, int attempt, @Nullable Reconnect reconnect) {
        if (closing && reconnect != null) {
            return;
        }
        URI gateway = reconnect != null ? reconnect.gateway()
                : settings.gateways().get(client % settings.gateways().size());
        URI uri = connectUri(gateway, tokens.apply(client), reconnect == null ? null : reconnect.cursor());
        ClientHandler handler = new ClientHandler(client, attempt, reconnect);
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                        .webSocketUri(uri)
                        .version(WebSocketVersion.V13)
                        .allowExtensions(false)
                        .customHeaders(EmptyHttpHeaders.INSTANCE)
                        .maxFramePayloadLength(1 << 20)
                        .handshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS)
                        .handleCloseFrames(false)
                        .dropPongFrames(true)
                        // The gateway sends JSON it encoded itself; a frame that is not UTF-8 fails to parse
                        // and counts as a bad frame, so validating every byte first buys nothing here.
                        .withUTF8Validator(false)
                        .build();
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                        new WebSocketClientProtocolHandler(config), new WebSocketFrameAggregator(1 << 20), handler);
            }
        });
        int port = gateway.getPort() > 0 ? gateway.getPort() : 80;
        InetSocketAddress remote = new InetSocketAddress(gateway.getHost(), port);
        ChannelFuture connecting = localAddress(client, remote) == null ? b.connect(remote)
                : b.connect(remote, localAddress(client, remote));
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                handler.failedAttempt("connect: " + f.cause());
            }
        });
    }

    private @Nullable InetSocketAddress localAddress(int client, InetSocketAddress remote) {
        if (settings.sourceIps() <= 1) {
            return null;
        }
        InetAddress address = remote.getAddress();
        if (address == null || !address.isLoopbackAddress()) {
            return null;
        }
        return new InetSocketAddress("127.0.0." + (1 + client % settings.sourceIps()), 0);
    }

    private void retryOrGiveUp(int client, int attempt, String reason) {
        connectErrors.increment();
        if (loggedErrors.incrementAndGet() <= 5) {
            System.err.printf("[bench] client %d attempt %d failed: %s%n", client, attempt, reason);
        }
        if (closing) {
            return;
        }
        if (attempt < MAX_ATTEMPTS) {
            group.next().schedule(() -> attempt(client, attempt + 1, null), 1000, TimeUnit.MILLISECONDS);
        }
        else {
            failed.incrementAndGet();
            release();
        }
    }

    private void retryReconnect(int client, int attempt, Reconnect reconnect, String reason) {
        reconnectErrors.increment();
        int colon = reason.indexOf(':');
        reconnectFailures.computeIfAbsent(colon < 0 ? reason : reason.substring(0, colon), k -> new LongAdder())
                .increment();
        if (loggedErrors.incrementAndGet() <= 5) {
            System.err.printf("[bench] client %d reconnect attempt %d to %s failed: %s%n", client, attempt,
                    reconnect.gateway(), reason);
        }
        if (closing) {
            return;
        }
        Reconnect next = listener.onReconnectFailed(client, attempt, reconnect);
        if (next != null) {
            group.next().schedule(() -> attempt(client, attempt + 1, next), Math.max(0, next.delayMillis()),
                    TimeUnit.MILLISECONDS);
        }
        else {
            reconnectsGivenUp.increment();
            listener.onReconnectGaveUp(client);
        }
    }

    private void scheduleReconnect(int client, Reconnect reconnect) {
        reconnects.increment();
        group.next().schedule(() -> attempt(client, 1, reconnect), Math.max(0, reconnect.delayMillis()),
                TimeUnit.MILLISECONDS);
    }

    private void release() {
        Semaphore permits = inFlight;
        if (permits != null) {
            permits.release();
        }
    }

    /** Clients that got their welcome. */
    public int welcomed() {
        return welcomed.get();
    }

    /** Failed connect or handshake attempts (each retried up to {@link #MAX_ATTEMPTS}). */
    public long connectErrors() {
        return connectErrors.sum();
    }

    /** Welcomed clients whose connection closed before the fleet closed it. */
    public long disconnects() {
        return disconnects.sum();
    }

    /** Reconnects started (each of as many attempts as the listener asks for). */
    public long reconnects() {
        return reconnects.sum();
    }

    /** Failed reconnect attempts (connect, handshake, or closed before welcome). */
    public long reconnectErrors() {
        return reconnectErrors.sum();
    }

    /** Reconnects that failed every attempt. */
    public long reconnectsGivenUp() {
        return reconnectsGivenUp.sum();
    }

    /** Reconnects that got their welcome. */
    public long rewelcomed() {
        return rewelcomed.sum();
    }

    /** Text frames that were not JSON objects. */
    public long badFrames() {
        return badFrames.sum();
    }

    /**
     * Failed reconnect attempts by kind: {@code connect}, {@code handshake}, {@code handshake timeout},
     * {@code welcome timeout before upgrade} (no answer to the upgrade yet), {@code welcome timeout after upgrade}
     * (upgraded, no {@code welcome} yet), {@code closed before welcome}.
     */
    public Map<String, Long> reconnectFailures() {
        return sums(reconnectFailures);
    }

    /** Close codes sent by the gateways, with counts. */
    public Map<Integer, Long> closeCodes() {
        return sums(closeCodes);
    }

    /** The counters' sums, by key in order. */
    private static <K> Map<K, Long> sums(Map<K, LongAdder> counters) {
        Map<K, Long> sums = new java.util.TreeMap<>();
        counters.forEach((key, count) -> sums.put(key, count.sum()));
        return sums;
    }

    /** Closes every connection and stops the event loops (bounded wait). */
    @Override
    public void close() {
        closing = true;
        for (Channel channel : channels) {
            if (channel != null) {
                channel.close();
            }
        }
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(15, TimeUnit.SECONDS);
    }

    /** Per event loop: a frame is copied out of its direct buffer here to be parsed (nothing keeps the array). */
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[16 * 1024];
        }
    };

    /** One client's connection: welcome, notifications, pings and close codes. */
    private final class ClientHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

        private final int client;
        private final int attempt;
        private final @Nullable Reconnect reconnect;
        private boolean welcomedHere;
        /** The server answered the upgrade (101). */
        private boolean upgraded;
        private boolean settled;
        private @Nullable ScheduledFuture<?> pinger;

        ClientHandler(int client, int attempt, @Nullable Reconnect reconnect) {
            this.client = client;
            this.attempt = attempt;
            this.reconnect = reconnect;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            long now = System.nanoTime();
            if (frame instanceof TextWebSocketFrame text) {
                ByteBuf content = text.content();
                ServerFrame parsed;
                try {
                    if (content.hasArray()) {
                        parsed = ServerFrame.parse(content.array(), content.arrayOffset() + content.readerIndex(),
                                content.readableBytes(), settings.readCursors());
                    }
                    else {
                        int length = content.readableBytes();
                        byte[] scratch = SCRATCH.get();
                        byte[] bytes = scratch.length >= length ? scratch : new byte[length];
                        content.getBytes(content.readerIndex(), bytes, 0, length);
                        parsed = ServerFrame.parse(bytes, 0, length, settings.readCursors());
                    }
                }
                catch (IllegalArgumentException ex) {
                    badFrames.increment();
                    return;
                }
                if (parsed.isNotification()) {
                    sink.onNotification(client, parsed, now);
                    return;
                }
                if ("welcome".equals(parsed.type()) && !welcomedHere) {
                    onWelcome(ctx.channel());
                }
                listener.onControlFrame(client, parsed, now);
            }
            else if (frame instanceof CloseWebSocketFrame close) {
                closeCodes.computeIfAbsent(close.statusCode(), c -> new LongAdder()).increment();
                ctx.close();
            }
        }

        private void onWelcome(Channel channel) {
            welcomedHere = true;
            settled = true;
            channels[client] = channel;
            if (reconnect == null) {
                welcomed.incrementAndGet();
                release();
            }
            else {
                rewelcomed.increment();
            }
            long interval = settings.pingInterval().toMillis();
            pinger = channel.eventLoop().scheduleAtFixedRate(
                    () -> channel.writeAndFlush(new TextWebSocketFrame(PING)),
                    ThreadLocalRandom.current().nextLong(interval) + 1, interval, TimeUnit.MILLISECONDS);
        }

        void failedAttempt(String reason) {
            if (!settled) {
                settled = true;
                if (reconnect == null) {
                    retryOrGiveUp(client, attempt, reason);
                }
                else {
                    retryReconnect(client, attempt, reconnect, reason);
                }
            }
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            if (reconnect != null) {
                long timeout = settings.reconnectWelcomeTimeout().toMillis();
                ctx.executor().schedule(() -> {
                    if (!welcomedHere) {
                        failedAttempt((upgraded ? "welcome timeout after upgrade" : "welcome timeout before upgrade")
                                + ": none within " + timeout + " ms");
                        ctx.close();
                    }
                }, timeout, TimeUnit.MILLISECONDS);
            }
            super.channelActive(ctx);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                upgraded = true;
            }
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                failedAttempt("handshake timeout: no answer within " + HANDSHAKE_TIMEOUT_MILLIS + " ms");
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!welcomedHere) {
                failedAttempt("handshake: " + cause);
            }
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (pinger != null) {
                pinger.cancel(false);
            }
            if (!welcomedHere) {
                failedAttempt("closed before welcome");
            }
            else if (!closing) {
                disconnects.increment();
                if (loggedDisconnects.incrementAndGet() <= 5) {
                    System.err.printf("[bench] client %d disconnected (close codes so far %s)%n", client, closeCodes());
                }
                Reconnect next = listener.onDisconnect(client, System.nanoTime());
                if (next != null) {
                    scheduleReconnect(client, next);
                }
            }
        }
    }
}
