package dev.tidings.gateway.session;

import static dev.tidings.gateway.session.NodeSessions.properties;
import static dev.tidings.gateway.session.Wire.KILOBYTE;
import static dev.tidings.gateway.session.Wire.bytes;
import static dev.tidings.gateway.session.Wire.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.tidings.common.auth.Principal;
import dev.tidings.gateway.protocol.CloseReason;
import dev.tidings.gateway.resume.CatchUp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.socket.CloseStatus;

/** A session's write path on Netty's in-memory channel: what reaches the wire, in which order, and when it is cut. */
class ClientSessionTest {

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final NodeSessions node = NodeSessions.of(properties(Map.of(
            "tidings.gateway.max-queued-bytes", "4096", "tidings.gateway.max-queued-frames", "50")), meters);
    final List<CloseStatus> closes = new ArrayList<>();

    @AfterEach
    void stopNode() {
        node.close();
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

        int accepted = 0;
        while (accepted < 10 && session.deliver(KILOBYTE, 0, accepted)) {
            accepted++;
        }

        // Netty counts its own bookkeeping per waiting frame too, so three 1 KiB frames fit in 4 KiB, not four.
        assertThat(accepted).as("frames taken before the 4 KiB limit").isEqualTo(3);
        assertThat(closes).extracting(CloseStatus::getCode).containsExactly(4408);
        assertThat(session.isClosed()).isTrue();
        assertThat(session.deliver(KILOBYTE, 0, 5)).isFalse();
        assertThat(meters.counter("tidings.gateway.slow.client.cuts").count()).isEqualTo(1);
    }

    @Test
    void aClientWhoseSocketTakesNothingForTheSendTimeoutIsCutWith4408EvenWhenNothingNewIsWrittenToIt() {
        try (NodeSessions quick = NodeSessions.of(properties(Map.of("tidings.gateway.send-timeout", "100ms")), meters)) {
            EmbeddedChannel stalled = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
                @Override
                public void flush(ChannelHandlerContext ctx) {
                }
            });
            ClientSession session = quick.registry().register(stalled, closes::add, principal("stalled"), false)
                    .session();
            for (int i = 0; i < 12; i++) { // 12 KiB: past the bytes at which the shard starts watching
                assertThat(session.deliver(KILOBYTE, 0, i)).isTrue();
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
    }

    @Test
    void aClientThatKeepsReadingIsNeverCutHoweverLongItsTrafficLasts() {
        try (NodeSessions quick = NodeSessions.of(properties(Map.of("tidings.gateway.send-timeout", "100ms")), meters)) {
            EmbeddedChannel reading = new EmbeddedChannel();
            Principal principal = new Principal("reader", Set.of(), Set.of(), Instant.now().plusSeconds(3600));
            ClientSession session = quick.registry().register(reading, closes::add, principal, false).session();
            long until = System.nanoTime() + Duration.ofMillis(300).toNanos();
            int written = 0;

            while (System.nanoTime() < until) {
                assertThat(session.deliver(bytes("{\"tick\":" + written + "}"), 0, written++)).isTrue();
                reading.runPendingTasks(); // flushed: the socket takes everything
                texts(reading);
            }

            assertThat(closes).isEmpty();
        }
    }

    @Test
    void aResumeSendsTheReplayThenTheHeldFramesItDidNotCoverEachOnce() {
        EmbeddedChannel channel = new EmbeddedChannel();
        ClientSession session = register(channel, "dave");
        assertThat(session.gate().begin()).isTrue();
        assertThat(session.gate().begin()).as("a second resume at once").isFalse();

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
        assertThat(session.gate().begin()).isTrue();
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
    void aSessionIsClosedOnceWithTheStatusOfTheFirstReasonAndThenTakesNoFrames() {
        ClientSession session = register(new EmbeddedChannel(), "ivan");

        assertThat(session.close(CloseReason.IDLE)).isTrue();
        assertThat(session.close(CloseReason.TOO_SLOW, "too late")).as("already closed").isFalse();

        assertThat(closes).containsExactly(new CloseStatus(1001, "idle timeout"));
        assertThat(session.send("{\"type\":\"pong\"}")).isFalse();
        assertThat(meters.counter("tidings.gateway.slow.client.cuts").count()).as("not a slow cut").isZero();
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
        return node.registry().register(channel, closes::add, principal, false).session();
    }
}
