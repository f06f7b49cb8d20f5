package dev.tidings.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.tidings.common.auth.Principal;
import dev.tidings.gateway.config.GatewayProperties;
import dev.tidings.gateway.protocol.CloseReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindMethod;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.web.reactive.socket.CloseStatus;

/** A session's write path on Netty's in-memory channel: what reaches the wire, in which order, and when it is cut. */
class ClientSessionTest {

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final SessionRegistry registry = new SessionRegistry(properties(Map.of(
            "tidings.gateway.max-queued-bytes", "4096", "tidings.gateway.max-queued-frames", "50")), meters);
    final Counter delivered = meters.counter("delivered");
    /** A record's Kafka timestamp where the test does not look at latency. */
    static final long NOW = System.currentTimeMillis();
    final List<CloseStatus> closes = new ArrayList<>();

    @AfterEach
    void stopRegistry() {
        registry.stop();
    }

    @Test
    void everyAddressedSessionGetsTheSameEncodedBytesAsATextFrameAndOthersGetNothing() {
        EmbeddedChannel alice = new EmbeddedChannel();
        EmbeddedChannel bob = new EmbeddedChannel();
        EmbeddedChannel carol = new EmbeddedChannel();
        register(alice, "alice", "Class:201901");
        register(bob, "bob", "Class:201901");
        register(carol, "carol");
        byte[] frame = "{\"type\":\"notification\",\"id\":\"n1\",\"payload\":{\"é\":1}}".getBytes(StandardCharsets.UTF_8);

        registry.dispatch(registry.ofGroup("Class:201901"), frame, 0, 7, NOW, delivered);
        registry.handOff();
        List.of(alice, bob, carol).forEach(EmbeddedChannel::runPendingTasks);

        assertThat(texts(alice)).containsExactly(new String(frame, StandardCharsets.UTF_8));
        assertThat(texts(bob)).containsExactly(new String(frame, StandardCharsets.UTF_8));
        assertThat(texts(carol)).as("not a member").isEmpty();
        assertThat(delivered.count()).isEqualTo(2);
    }

    @Test
    void aBroadcastReachesEverySessionAndIsFlushedOncePerBurst() {
        EmbeddedChannel alice = new EmbeddedChannel();
        register(alice, "alice");

        for (int i = 0; i < 3; i++) {
            registry.broadcast(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), 0, i, NOW, delivered);
        }
        registry.handOff();
        alice.runPendingTasks();

        assertThat(texts(alice)).containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
    }

    @Test
    void eachEventLoopRecordsARecordsAgeFromItsKafkaTimestampOnceItsFrameIsWrittenToTheLoopsSessions() {
        EmbeddedChannel alice = new EmbeddedChannel();
        EmbeddedChannel bob = new EmbeddedChannel();
        register(alice, "alice", "Class:201901");
        register(bob, "bob", "Class:201901");
        Timer written = meters.get("tidings.gateway.latency").tag("stage", "written").timer();

        long fiveSecondsAgo = System.currentTimeMillis() - 5000;
        registry.dispatch(registry.ofGroup("Class:201901"), bytes("{\"n\":1}"), 0, 1, fiveSecondsAgo, delivered);
        registry.handOff();
        assertThat(written.count()).as("not before the loops have written it").isZero();
        List.of(alice, bob).forEach(EmbeddedChannel::runPendingTasks);

        assertThat(texts(alice)).containsExactly("{\"n\":1}");
        assertThat(written.count()).as("once per event loop, not per session").isEqualTo(2);
        assertThat(written.max(TimeUnit.MILLISECONDS)).isBetween(5000.0, 60_000.0);

        registry.dispatch(registry.ofUser("alice"), bytes("{\"n\":2}"), 0, 2, -1, delivered);
        registry.handOff();
        alice.runPendingTasks();
        assertThat(texts(alice)).as("delivered all the same").containsExactly("{\"n\":2}");
        assertThat(written.count()).as("a record without a timestamp is not timed").isEqualTo(2);
    }

    @Test
    void deliveriesWaitForTheHandOffAndThenReachTheSessionInTheOrderTheyWereDispatched() {
        EmbeddedChannel alice = new EmbeddedChannel();
        register(alice, "alice");

        for (int i = 0; i < 3; i++) {
            registry.dispatch(registry.ofUser("alice"), bytes("{\"n\":" + i + "}"), 0, i, NOW, delivered);
        }
        alice.runPendingTasks();
        assertThat(texts(alice)).as("gathered, not yet handed to the loop").isEmpty();

        registry.handOff();
        alice.runPendingTasks();
        assertThat(texts(alice)).containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
        assertThat(delivered.count()).isEqualTo(3);
    }

    @Test
    void aLongPollIsHandedOffEveryFewHundredDeliveriesWithoutWaitingForItsEnd() {
        EmbeddedChannel alice = new EmbeddedChannel();
        register(alice, "alice");

        for (int i = 0; i < SessionRegistry.HAND_OFF_AFTER + 2; i++) {
            registry.dispatch(registry.ofUser("alice"), bytes("{\"n\":" + i + "}"), 0, i, NOW, delivered);
        }
        alice.runPendingTasks();
        assertThat(texts(alice)).hasSize(SessionRegistry.HAND_OFF_AFTER);

        registry.handOff();
        alice.runPendingTasks();
        assertThat(texts(alice)).containsExactly("{\"n\":" + SessionRegistry.HAND_OFF_AFTER + "}",
                "{\"n\":" + (SessionRegistry.HAND_OFF_AFTER + 1) + "}");
    }

    @Test
    void aPollLargerThanTheDispatchBacklogHandsOffWhatItGatheredInsteadOfWaitingOnItself() throws Exception {
        SessionRegistry small = new SessionRegistry(properties(Map.of("tidings.gateway.max-dispatch-backlog", "2")),
                meters);
        DefaultEventLoopGroup loops = new DefaultEventLoopGroup(1);
        try {
            // A real event loop and an in-VM connection: the loop runs what it is handed while the consumer waits.
            List<String> received = new CopyOnWriteArrayList<>();
            CompletableFuture<Channel> serverSide = new CompletableFuture<>();
            LocalAddress address = new LocalAddress("dispatch-backlog-" + System.nanoTime());
            Channel server = new ServerBootstrap().group(loops).channel(LocalServerChannel.class)
                    .childHandler(new ChannelInitializer<LocalChannel>() {
                        @Override
                        protected void initChannel(LocalChannel channel) {
                            channel.pipeline().addLast(new WebSocket08FrameEncoder(false));
                            serverSide.complete(channel);
                        }
                    }).bind(address).sync().channel();
            Channel client = new Bootstrap().group(loops).channel(LocalChannel.class)
                    .handler(new ChannelInitializer<LocalChannel>() {
                        @Override
                        protected void initChannel(LocalChannel channel) {
                            channel.pipeline().addLast(clientDecoder(), new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                                @Override
                                protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
                                    received.add(frame.text());
                                }
                            });
                        }
                    }).connect(address).sync().channel();
            small.register(serverSide.get(5, TimeUnit.SECONDS), closes::add, principal("alice"), false);

            Thread consumer = new Thread(() -> {
                for (int i = 0; i < 5; i++) {
                    small.dispatch(small.ofUser("alice"), bytes("{\"n\":" + i + "}"), 0, i, NOW, delivered);
                }
                small.handOff();
            });
            consumer.setDaemon(true); // should it hang, it must not keep the test JVM alive
            consumer.start();
            consumer.join(10_000);

            assertThat(consumer.isAlive()).as("the consumer never waits on permits its own gathered deliveries hold")
                    .isFalse();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(received)
                    .containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}"));
            client.close().sync();
            server.close().sync();
        }
        finally {
            small.stop();
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void aClientWhoseUnsentBytesPassTheLimitIsCutWith4408AndGetsNothingMore() {
        // A client that stops reading: nothing written ever leaves the connection's outbound buffer.
        EmbeddedChannel slow = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
            }
        });
        ClientSession session = register(slow, "slow");
        byte[] kilobyte = ("\"" + "x".repeat(1022) + "\"").getBytes(StandardCharsets.UTF_8);

        int accepted = 0;
        while (accepted < 10 && session.deliver(kilobyte, 0, accepted)) {
            accepted++;
        }

        // Netty counts its own bookkeeping per waiting frame too, so three 1 KiB frames fit in 4 KiB, not four.
        assertThat(accepted).as("frames taken before the 4 KiB limit").isEqualTo(3);
        assertThat(closes).extracting(CloseStatus::getCode).containsExactly(4408);
        assertThat(session.isClosed()).isTrue();
        assertThat(session.deliver(kilobyte, 0, 5)).isFalse();
        assertThat(meters.counter("tidings.gateway.slow.client.cuts").count()).isEqualTo(1);
    }

    @Test
    void aClientWhoseSocketTakesNothingForTheSendTimeoutIsCutWith4408EvenWhenNothingNewIsWrittenToIt() {
        SessionRegistry quick = new SessionRegistry(properties(Map.of("tidings.gateway.send-timeout", "100ms")), meters);
        try {
            EmbeddedChannel stalled = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
                @Override
                public void flush(ChannelHandlerContext ctx) {
                }
            });
            ClientSession session = quick.register(stalled, closes::add, principal("stalled"), false).session();
            byte[] kilobyte = ("\"" + "x".repeat(1022) + "\"").getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 12; i++) { // 12 KiB: past the bytes at which the shard starts watching
                assertThat(session.deliver(kilobyte, 0, i)).isTrue();
            }
            long stalledAt = System.nanoTime();

            // Nothing more is written: the shard's sweep alone finds it.
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> {
                stalled.runScheduledPendingTasks();
                return !closes.isEmpty();
            });

            assertThat(closes).extracting(CloseStatus::getCode).containsExactly(4408);
            assertThat(Duration.ofNanos(System.nanoTime() - stalledAt)).as("cut after the 100 ms send timeout")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(100));
        }
        finally {
            quick.stop();
        }
    }

    @Test
    void aClientThatKeepsReadingIsNeverCutHoweverLongItsTrafficLasts() {
        SessionRegistry quick = new SessionRegistry(properties(Map.of("tidings.gateway.send-timeout", "100ms")), meters);
        try {
            EmbeddedChannel reading = new EmbeddedChannel();
            Principal principal = new Principal("reader", Set.of(), Set.of(), Instant.now().plusSeconds(3600));
            ClientSession session = quick.register(reading, closes::add, principal, false).session();
            long until = System.nanoTime() + Duration.ofMillis(300).toNanos();
            int written = 0;

            while (System.nanoTime() < until) {
                assertThat(session.deliver(bytes("{\"tick\":" + written + "}"), 0, written++)).isTrue();
                reading.runPendingTasks(); // flushed: the socket takes everything
                texts(reading);
            }

            assertThat(closes).isEmpty();
        }
        finally {
            quick.stop();
        }
    }

    @Test
    void aNodeWhoseConnectionsTogetherHoldItsByteBudgetDispatchesNothingNewUntilTheyRead() throws Exception {
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        // Clients that have not read for a minute still count as reading: this node is merely overloaded.
        SessionRegistry budgeted = new SessionRegistry(properties(Map.of("tidings.gateway.max-queued-bytes", "16384",
                "tidings.gateway.max-outbound-bytes", "16384")), own, Duration.ofMinutes(1));
        try {
            GatedFlush gateA = new GatedFlush();
            GatedFlush gateB = new GatedFlush();
            EmbeddedChannel a = new EmbeddedChannel(gateA);
            EmbeddedChannel b = new EmbeddedChannel(gateB);
            ClientSession first = registerHolding10KiB(budgeted, a, "a");
            ClientSession second = registerHolding10KiB(budgeted, b, "b");
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> {
                a.runScheduledPendingTasks(); // each loop's sweep publishes what its sessions hold
                b.runScheduledPendingTasks();
                return own.get("tidings.gateway.outbound.bytes").gauge().value() > 16384;
            });

            Thread consumer = new Thread(() -> {
                budgeted.broadcast(bytes("{\"next\":1}"), 0, 10, NOW, delivered);
                budgeted.handOff();
            });
            consumer.start();
            consumer.join(300);
            assertThat(consumer.isAlive()).as("the consumer waits while both clients hold 10 KiB unread each").isTrue();

            gateA.open(a);
            gateB.open(b);
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> {
                a.runScheduledPendingTasks();
                b.runScheduledPendingTasks();
                return !consumer.isAlive();
            });
            a.runPendingTasks();
            assertThat(texts(a)).hasSize(11).last().isEqualTo("{\"next\":1}");
            assertThat(closes).as("nobody was cut").isEmpty();
            assertThat(own.counter("tidings.gateway.outbound.pauses").count()).isEqualTo(1);
        }
        finally {
            budgeted.stop();
        }
    }

    /** A client that does not read until told to: its bytes stay in the connection's outbound buffer. */
    private static final class GatedFlush extends ChannelOutboundHandlerAdapter {
        private volatile boolean reading;

        void open(EmbeddedChannel channel) {
            reading = true;
            channel.flush();
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (reading) {
                ctx.flush();
            }
        }
    }

    @Test
    void stalledClientsOverTheNodesBudgetAreCutInsteadOfHoldingTheConsumer() throws Exception {
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        SessionRegistry budgeted = new SessionRegistry(properties(Map.of("tidings.gateway.max-queued-bytes", "16384",
                "tidings.gateway.max-outbound-bytes", "16384")), own, Duration.ofMillis(100));
        try {
            EmbeddedChannel a = new EmbeddedChannel(new GatedFlush());
            EmbeddedChannel b = new EmbeddedChannel(new GatedFlush());
            ClientSession first = registerHolding10KiB(budgeted, a, "a");
            ClientSession second = registerHolding10KiB(budgeted, b, "b");

            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> {
                a.runScheduledPendingTasks();
                b.runScheduledPendingTasks();
                return first.isClosed() && second.isClosed();
            });

            assertThat(closes).extracting(CloseStatus::getCode).containsExactly(4408, 4408);
            assertThat(a.isOpen()).as("closed at once: its bytes are what the node needs back").isFalse();
            Thread consumer = new Thread(() -> {
                budgeted.broadcast(bytes("{\"next\":1}"), 0, 10, NOW, delivered);
                budgeted.handOff();
            });
            consumer.start();
            consumer.join(5000);
            assertThat(consumer.isAlive()).as("the consumer never waited on clients that do not read").isFalse();
        }
        finally {
            budgeted.stop();
        }
    }

    @Test
    void aResumeSendsTheReplayThenTheHeldFramesItDidNotCoverEachOnce() {
        EmbeddedChannel channel = new EmbeddedChannel();
        ClientSession session = register(channel, "dave");
        assertThat(session.beginResume()).isTrue();
        assertThat(session.beginResume()).as("a second resume at once").isFalse();

        session.deliver(bytes("live-5"), 0, 5); // held: the replay below covers it
        session.deliver(bytes("live-9"), 0, 9); // held: newer than the replay
        session.catchUp(new ListCatchUp(List.of("replay-4", "replay-5"), "resumed", new long[] {6}));
        channel.runPendingTasks();
        session.deliver(bytes("live-5-again"), 0, 5); // below the floor: never twice
        session.deliver(bytes("live-10"), 0, 10);
        channel.runPendingTasks();

        assertThat(texts(channel)).containsExactly("replay-4", "replay-5", "resumed", "live-9", "live-10");
    }

    @Test
    void aReplayIsWrittenPageByPageAsTheSocketDrainsAndLiveFramesWaitBehindIt() {
        GatedFlush gate = new GatedFlush();
        EmbeddedChannel channel = new EmbeddedChannel(gate);
        ClientSession session = register(channel, "frank");
        assertThat(session.beginResume()).isTrue();
        List<String> replay = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            replay.add("{\"n\":" + i + ",\"pad\":\"" + "x".repeat(1000) + "\"}");
        }
        ListCatchUp catchUp = new ListCatchUp(replay, "resumed", new long[] {1000});

        session.catchUp(catchUp);
        channel.runPendingTasks();
        session.deliver(bytes("live-1000"), 0, 1000);

        assertThat(catchUp.taken).as("frames written before the client read anything: about one page")
                .isBetween(50, 200);
        gate.open(channel);
        for (int turn = 0; turn < 100 && !catchUp.closed; turn++) {
            channel.runPendingTasks();
            channel.flush();
        }
        assertThat(texts(channel)).as("the whole replay, then its end, then the live frame held meanwhile")
                .hasSize(1002).endsWith("resumed", "live-1000").startsWith(replay.get(0), replay.get(1));
        assertThat(catchUp.closed).isTrue();
        assertThat(closes).as("nobody was cut").isEmpty();
    }

    @Test
    void aSessionRemembersWhatItGotLiveSoAResumeReplaysOnlyWhatItDidNotGetYet() {
        ClientSession session = register(new EmbeddedChannel(), "erin");

        session.deliver(bytes("a"), 1, 40);
        session.deliver(bytes("b"), 1, 41);
        assertThat(session.beginResume()).isTrue();
        LiveDeliveries live = session.liveDeliveries();

        assertThat(live.covers(1, 40)).isTrue();
        assertThat(live.covers(1, 41)).isTrue();
        assertThat(live.covers(1, 42)).as("routed after 41 but not yet written to the session: must be replayed")
                .isFalse();
        assertThat(live.covers(1, 39)).as("before it connected").isFalse();
        assertThat(live.covers(0, 40)).as("nothing live on partition 0").isFalse();
    }

    @Test
    void aSessionMaySendOnlySoManyResumeFramesAMinute() {
        ClientSession session = register(new EmbeddedChannel(), "gina");

        List<Boolean> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            answers.add(session.allowResumeFrame(3));
        }

        assertThat(answers).containsExactly(true, true, true, false, false);
    }

    @Test
    void aSessionIsClosedOnceWithTheStatusOfTheFirstReasonAndThenTakesNoFrames() {
        ClientSession session = register(new EmbeddedChannel(), "ivan");

        assertThat(session.close(CloseReason.IDLE)).isTrue();
        assertThat(session.close(CloseReason.TOO_SLOW, "too late")).as("already closed").isFalse();

        assertThat(closes).containsExactly(new CloseStatus(1001, "idle timeout"));
        assertThat(session.send("{\"type\":\"pong\"}")).isFalse();
        assertThat(meters.counter("tidings.gateway.slow.client.cuts").count()).as("not a slow cut").isZero();
    }

    @Test
    void aClosedSessionsExpiryTimerLeavesTheQueueAtOnceInsteadOfWaitingForItsTokensExp() {
        for (int i = 0; i < 100; i++) {
            EmbeddedChannel channel = new EmbeddedChannel();
            Principal longLived = new Principal("user-" + i, Set.of(), Set.of(), Instant.now().plus(Duration.ofDays(10)));
            ClientSession session = registry.register(channel, closes::add, longLived, false).session();
            registry.unregister(session);
        }

        assertThat(meters.get("tidings.gateway.session.timers").gauge().value()).as("expiry timers still queued")
                .isZero();
    }

    @Test
    void aSessionOnATokenValidForLongerThanTheCapIsClosedWith1008AtTheCap() {
        SessionRegistry capped = new SessionRegistry(properties(Map.of("tidings.gateway.max-token-lifetime", "1s")),
                new SimpleMeterRegistry());
        try {
            EmbeddedChannel channel = new EmbeddedChannel();
            Principal longLived = new Principal("hank", Set.of(), Set.of(), Instant.now().plus(Duration.ofDays(365)));
            ClientSession session = capped.register(channel, closes::add, longLived, false).session();

            await().atMost(Duration.ofSeconds(5)).until(session::isClosed);

            assertThat(closes).extracting(CloseStatus::getCode).containsExactly(1008);
            assertThat(closes.get(0).getReason()).contains("max-token-lifetime");
        }
        finally {
            capped.stop();
        }
    }

    /** Registers a session of {@code user} on {@code channel} and writes it ten frames of 1 KiB. */
    private ClientSession registerHolding10KiB(SessionRegistry on, EmbeddedChannel channel, String user) {
        ClientSession session = on.register(channel, closes::add, principal(user), false).session();
        byte[] kilobyte = ("\"" + "x".repeat(1022) + "\"").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 10; i++) {
            assertThat(session.deliver(kilobyte, 0, i)).isTrue();
        }
        return session;
    }

    /** A catch-up of fixed frames that counts what the session took from it. */
    private static final class ListCatchUp implements CatchUp {
        private final List<String> frames;
        private final String end;
        private final long[] floor;
        int taken;
        boolean closed;

        ListCatchUp(List<String> frames, String end, long[] floor) {
            this.frames = frames;
            this.end = end;
            this.floor = floor;
        }

        @Override
        public byte[] next() {
            return taken < frames.size() ? bytes(frames.get(taken++)) : null;
        }

        @Override
        public byte[] end() {
            return bytes(end);
        }

        @Override
        public long[] floor() {
            return floor.clone();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static Principal principal(String user) {
        return new Principal(user, Set.of(), Set.of(), Instant.now().plusSeconds(3600));
    }

    private ClientSession register(EmbeddedChannel channel, String user, String... groups) {
        Principal principal = new Principal(user, Set.of(groups), Set.of(), Instant.now().plusSeconds(3600));
        return registry.register(channel, closes::add, principal, false).session();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The text frames written to the connection, in order: frames given to Netty's encoder as they are,
     * frames already put on the wire ({@link WireFrame}) as a client's decoder reads them.
     */
    private static List<String> texts(EmbeddedChannel channel) {
        List<String> texts = new ArrayList<>();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            if (out instanceof ByteBuf wire) {
                EmbeddedChannel client = new EmbeddedChannel(clientDecoder());
                client.writeInbound(wire);
                out = client.readInbound();
                assertThat(client.finishAndReleaseAll()).as("one whole frame, nothing else").isFalse();
            }
            TextWebSocketFrame frame = (TextWebSocketFrame) out;
            texts.add(frame.text());
            frame.release();
        }
        return texts;
    }

    private static WebSocket08FrameDecoder clientDecoder() {
        return new WebSocket08FrameDecoder(WebSocketDecoderConfig.newBuilder().expectMaskedFrames(false).build());
    }

    private static GatewayProperties properties(Map<String, String> extra) {
        Map<String, String> all = new java.util.HashMap<>(extra);
        all.put("tidings.gateway.node-id", "gw-test");
        return new Binder(new MapConfigurationPropertySource(all))
                .bindOrCreate("tidings.gateway", Bindable.of(GatewayProperties.class).withBindMethod(BindMethod.VALUE_OBJECT));
    }
}
