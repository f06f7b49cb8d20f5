package dev.tidings.gateway.session;

import static dev.tidings.gateway.session.NodeSessions.properties;
import static dev.tidings.gateway.session.Wire.KILOBYTE;
import static dev.tidings.gateway.session.Wire.bytes;
import static dev.tidings.gateway.session.Wire.clientDecoder;
import static dev.tidings.gateway.session.Wire.texts;
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
import dev.tidings.schema.Address;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.socket.CloseStatus;

/**
 * A poll's deliveries from the consumer thread to the event loops: gathered per loop, handed off in
 * one task per loop, and held back while the node is over either bound.
 */
class DeliveryBatcherTest {

    /** A record's Kafka timestamp where the test does not look at latency. */
    static final long NOW = System.currentTimeMillis();

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final NodeSessions node = NodeSessions.of(properties(Map.of()), meters);
    final SessionIndex index = node.index();
    final DeliveryBatcher batcher = node.batcher();
    final Counter delivered = meters.counter("delivered");
    final List<CloseStatus> closes = new ArrayList<>();

    @AfterEach
    void stopNode() {
        node.close();
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

        batcher.dispatch(index.at(Address.group("Class:201901")), frame, 0, 7, NOW, delivered);
        batcher.handOff();
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
            batcher.broadcast(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), 0, i, NOW, delivered);
        }
        batcher.handOff();
        alice.runPendingTasks();

        assertThat(texts(alice)).containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
    }

    @Test
    void aBroadcastSkipsTheLoopsOfSessionsThatLeft() {
        EmbeddedChannel alice = new EmbeddedChannel();
        EmbeddedChannel bob = new EmbeddedChannel();
        register(alice, "alice");
        node.registry().unregister(register(bob, "bob"));

        batcher.broadcast(bytes("{\"n\":1}"), 0, 1, NOW, delivered);
        batcher.handOff();

        assertThat(meters.get("tidings.gateway.dispatch.backlog").gauge().value())
                .as("one delivery: for the one loop with a session").isEqualTo(1);
        List.of(alice, bob).forEach(EmbeddedChannel::runPendingTasks);
        assertThat(texts(alice)).containsExactly("{\"n\":1}");
        assertThat(texts(bob)).isEmpty();
        assertThat(meters.get("tidings.gateway.dispatch.backlog").gauge().value()).as("and it ran").isZero();
    }

    @Test
    void eachEventLoopRecordsARecordsAgeFromItsKafkaTimestampOnceItsFrameIsWrittenToTheLoopsSessions() {
        EmbeddedChannel alice = new EmbeddedChannel();
        EmbeddedChannel bob = new EmbeddedChannel();
        register(alice, "alice", "Class:201901");
        register(bob, "bob", "Class:201901");
        Timer written = meters.get("tidings.gateway.latency").tag("stage", "written").timer();

        long fiveSecondsAgo = System.currentTimeMillis() - 5000;
        batcher.dispatch(index.at(Address.group("Class:201901")), bytes("{\"n\":1}"), 0, 1, fiveSecondsAgo, delivered);
        batcher.handOff();
        assertThat(written.count()).as("not before the loops have written it").isZero();
        List.of(alice, bob).forEach(EmbeddedChannel::runPendingTasks);

        assertThat(texts(alice)).containsExactly("{\"n\":1}");
        assertThat(written.count()).as("once per event loop, not per session").isEqualTo(2);
        assertThat(written.max(TimeUnit.MILLISECONDS)).isBetween(5000.0, 60_000.0);

        batcher.dispatch(index.at(Address.user("alice")), bytes("{\"n\":2}"), 0, 2, -1, delivered);
        batcher.handOff();
        alice.runPendingTasks();
        assertThat(texts(alice)).as("delivered all the same").containsExactly("{\"n\":2}");
        assertThat(written.count()).as("a record without a timestamp is not timed").isEqualTo(2);
    }

    @Test
    void deliveriesWaitForTheHandOffAndThenReachTheSessionInTheOrderTheyWereDispatched() {
        EmbeddedChannel alice = new EmbeddedChannel();
        register(alice, "alice");

        for (int i = 0; i < 3; i++) {
            batcher.dispatch(index.at(Address.user("alice")), bytes("{\"n\":" + i + "}"), 0, i, NOW, delivered);
        }
        alice.runPendingTasks();
        assertThat(texts(alice)).as("gathered, not yet handed to the loop").isEmpty();

        batcher.handOff();
        alice.runPendingTasks();
        assertThat(texts(alice)).containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
        assertThat(delivered.count()).isEqualTo(3);
    }

    @Test
    void aLongPollIsHandedOffEveryFewHundredDeliveriesWithoutWaitingForItsEnd() {
        EmbeddedChannel alice = new EmbeddedChannel();
        register(alice, "alice");

        for (int i = 0; i < DeliveryBatcher.HAND_OFF_AFTER + 2; i++) {
            batcher.dispatch(index.at(Address.user("alice")), bytes("{\"n\":" + i + "}"), 0, i, NOW, delivered);
        }
        alice.runPendingTasks();
        assertThat(texts(alice)).hasSize(DeliveryBatcher.HAND_OFF_AFTER);

        batcher.handOff();
        alice.runPendingTasks();
        assertThat(texts(alice)).containsExactly("{\"n\":" + DeliveryBatcher.HAND_OFF_AFTER + "}",
                "{\"n\":" + (DeliveryBatcher.HAND_OFF_AFTER + 1) + "}");
    }

    @Test
    void aPollLargerThanTheDispatchBacklogHandsOffWhatItGatheredInsteadOfWaitingOnItself() throws Exception {
        NodeSessions small = NodeSessions.of(properties(Map.of("tidings.gateway.max-dispatch-backlog", "2")),
                new SimpleMeterRegistry());
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
            small.registry().register(serverSide.get(5, TimeUnit.SECONDS), closes::add, principal("alice"), false);

            Thread consumer = new Thread(() -> {
                for (int i = 0; i < 5; i++) {
                    small.batcher().dispatch(small.index().at(Address.user("alice")), bytes("{\"n\":" + i + "}"), 0, i, NOW,
                            delivered);
                }
                small.batcher().handOff();
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
            small.close();
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void aNodeWhoseConnectionsTogetherHoldItsByteBudgetDispatchesNothingNewUntilTheyRead() throws Exception {
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        // Clients that have not read for a minute still count as reading: this node is merely overloaded.
        try (NodeSessions budgeted = NodeSessions.of(properties(Map.of("tidings.gateway.max-queued-bytes", "16384",
                "tidings.gateway.max-outbound-bytes", "16384")), own, Duration.ofMinutes(1))) {
            GatedFlush gateA = new GatedFlush();
            GatedFlush gateB = new GatedFlush();
            EmbeddedChannel a = new EmbeddedChannel(gateA);
            EmbeddedChannel b = new EmbeddedChannel(gateB);
            registerHolding10KiB(budgeted, a, "a");
            registerHolding10KiB(budgeted, b, "b");
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> {
                a.runScheduledPendingTasks(); // each loop's sweep publishes what its sessions hold
                b.runScheduledPendingTasks();
                return own.get("tidings.gateway.outbound.bytes").gauge().value() > 16384;
            });

            Thread consumer = new Thread(() -> {
                budgeted.batcher().broadcast(bytes("{\"next\":1}"), 0, 10, NOW, delivered);
                budgeted.batcher().handOff();
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
    }

    @Test
    void stalledClientsOverTheNodesBudgetAreCutInsteadOfHoldingTheConsumer() throws Exception {
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        try (NodeSessions budgeted = NodeSessions.of(properties(Map.of("tidings.gateway.max-queued-bytes", "16384",
                "tidings.gateway.max-outbound-bytes", "16384")), own, Duration.ofMillis(100))) {
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
                budgeted.batcher().broadcast(bytes("{\"next\":1}"), 0, 10, NOW, delivered);
                budgeted.batcher().handOff();
            });
            consumer.start();
            consumer.join(5000);
            assertThat(consumer.isAlive()).as("the consumer never waited on clients that do not read").isFalse();
        }
    }

    /** Registers a session of {@code user} on {@code channel} and writes it ten frames of 1 KiB. */
    private ClientSession registerHolding10KiB(NodeSessions on, EmbeddedChannel channel, String user) {
        ClientSession session = on.registry().register(channel, closes::add, principal(user), false).session();
        for (int i = 0; i < 10; i++) {
            assertThat(session.deliver(KILOBYTE, 0, i)).isTrue();
        }
        return session;
    }

    private static Principal principal(String user) {
        return new Principal(user, Set.of(), Set.of(), Instant.now().plusSeconds(3600));
    }

    private ClientSession register(EmbeddedChannel channel, String user, String... groups) {
        Principal principal = new Principal(user, Set.of(groups), Set.of(), Instant.now().plusSeconds(3600));
        return node.registry().register(channel, closes::add, principal, false).session();
    }
}
