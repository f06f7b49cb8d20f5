package dev.tidings.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.tidings.common.auth.Principal;
import dev.tidings.common.cursor.Cursor;
import dev.tidings.common.cursor.CursorCodec;
import dev.tidings.gateway.protocol.FrameEncoder;
import dev.tidings.gateway.resume.NodePosition;
import dev.tidings.gateway.resume.RecoveryWindow;
import dev.tidings.gateway.session.NodeSessions;
import dev.tidings.schema.Notification;
import dev.tidings.schema.Target;
import dev.tidings.schema.TargetType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A poll's records through the router: what is delivered, windowed, skipped and counted. */
class NotificationRouterTest {

    static final String TOPIC = "tidings.notifications";

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final NodeSessions sessions = NodeSessions.of(NodeSessions.properties(Map.of()), meters);
    final NodePosition position = new NodePosition(CursorCodec.ofSecrets(List.of("a-cursor-key-of-32-bytes-or-more!!")));
    final RecoveryWindow window = new RecoveryWindow(1 << 20, Duration.ofMinutes(5));
    final PoisonRecords poison = new PoisonRecords(meters, Duration.ofSeconds(10));
    final NotificationRouter router = new NotificationRouter(sessions.index(), sessions.batcher(), new FrameEncoder(),
            position, window, poison, meters);

    @AfterEach
    void stopSessions() {
        sessions.close();
    }

    @Test
    void poisonRecordsInAPollAreSkippedAndCountedAndTheRecordsAroundThemAreDelivered() {
        position.reset(UUID.randomUUID(), new long[] {0});
        window.reset(new long[] {0});
        EmbeddedChannel alice = new EmbeddedChannel();
        sessions.registry().register(alice, status -> { }, new Principal("alice", Set.of(), Set.of(),
                Instant.now().plusSeconds(3600)), false);

        List<ConsumerRecord<String, Notification>> poll = new ArrayList<>();
        poll.add(record(0, toAlice("before", "{}")));
        poll.add(record(1, null)); // undecodable: the deserializer made it null
        poll.add(record(2, toAlice("not-json", "not a JSON object"))); // decodes, cannot be framed
        poll.add(record(3, toAlice("after", "{\"n\":1}")));
        router.onMessage(poll);
        alice.runPendingTasks();

        assertThat(meters.get("tidings.gateway.deliveries").tag("target", "user").counter().count())
                .as("the two deliverable records").isEqualTo(2);
        assertThat(meters.get("tidings.gateway.poison.records").counter().count())
                .as("the record that cannot be framed; the undecodable one is the deserializer's to count")
                .isEqualTo(1);
        Cursor past = position.snapshot();
        assertThat(past).isNotNull();
        assertThat(past.nextOffsets()).as("the position is past the whole poll").containsExactly(4L);
        assertThat(window.size()).as("only deliverable records are windowed").isEqualTo(2);
        alice.finishAndReleaseAll();
    }

    private static Notification toAlice(String id, String payload) {
        return Notification.newBuilder().setId(id).setEvent("test").setTarget(new Target(TargetType.USER,
                List.of("alice"))).setPayload(payload).setPublishedAt(Instant.now()).setExpiresAt(null)
                .setSource("test").setReplayOf(null).build();
    }

    private static ConsumerRecord<String, Notification> record(long offset, Notification value) {
        return new ConsumerRecord<>(TOPIC, 0, offset, value == null ? null : value.getId(), value);
    }
}
