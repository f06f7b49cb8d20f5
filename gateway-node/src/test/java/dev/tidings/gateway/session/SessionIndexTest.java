package dev.tidings.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.tidings.common.auth.Principal;
import dev.tidings.gateway.protocol.CloseReason;
import dev.tidings.schema.Address;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.socket.CloseStatus;

/** Who is connected, found by user and by group, within the node's admission limits. */
class SessionIndexTest {

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** At most three sessions on the node, two per user. */
    final SessionIndex index = new SessionIndex(3, 2, meters);
    final List<CloseStatus> closes = new ArrayList<>();

    @Test
    void aSessionIsFoundByItsUserAndByEachOfItsGroupsAndNowhereElse() {
        ClientSession alice = session("alice", "Class:201901", "Club:chess");

        assertThat(index.admit(alice)).isNull();

        assertThat(index.at(Address.user("alice"))).containsExactly(alice);
        assertThat(index.at(Address.group("Class:201901"))).containsExactly(alice);
        assertThat(index.at(Address.group("Club:chess"))).containsExactly(alice);
        assertThat(index.at(Address.user("bob"))).isEmpty();
        assertThat(index.at(Address.group("Class:201902"))).isEmpty();
        assertThat(index.size()).isEqualTo(1);
        assertThat(meters.get("tidings.gateway.connections").gauge().value()).isEqualTo(1);
    }

    @Test
    void aUsersSessionsPastItsLimitAreRefusedWhileOtherUsersAreStillAdmitted() {
        assertThat(index.admit(session("alice"))).isNull();
        assertThat(index.admit(session("alice"))).isNull();

        ClientSession third = session("alice", "Class:201901");
        assertThat(index.admit(third)).isEqualTo(CloseReason.TOO_MANY_SESSIONS);
        assertThat(index.admit(session("bob"))).as("another user").isNull();

        assertThat(index.at(Address.user("alice"))).hasSize(2).doesNotContain(third);
        assertThat(index.at(Address.group("Class:201901"))).as("a refused session is indexed nowhere").isEmpty();
        assertThat(index.size()).isEqualTo(3);
    }

    @Test
    void aFullNodeRefusesEveryNewSessionUntilOneLeaves() {
        ClientSession first = session("alice");
        index.admit(first);
        index.admit(session("bob"));
        index.admit(session("carol"));

        assertThat(index.admit(session("dave"))).isEqualTo(CloseReason.NODE_FULL);
        assertThat(index.size()).as("a refusal takes no place").isEqualTo(3);
        assertThat(index.at(Address.user("dave"))).isEmpty();

        assertThat(index.remove(first)).isTrue();
        assertThat(index.admit(session("dave"))).isNull();
        assertThat(index.at(Address.user("dave"))).hasSize(1);
    }

    @Test
    void aSessionIsRemovedFromEveryIndexOnceAndFreesItsUsersPlace() {
        ClientSession alice = session("alice", "Class:201901");
        ClientSession again = session("alice");
        index.admit(alice);
        index.admit(again);

        assertThat(index.remove(alice)).isTrue();
        assertThat(index.remove(alice)).as("removed already").isFalse();

        assertThat(index.at(Address.user("alice"))).containsExactly(again);
        assertThat(index.at(Address.group("Class:201901"))).isEmpty();
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.admit(session("alice"))).as("the user's place is free again").isNull();
    }

    @Test
    void aRefusedSessionIsNotRemovedAndCountsForNothing() {
        index.admit(session("alice"));
        index.admit(session("alice"));
        ClientSession refused = session("alice");
        index.admit(refused);

        assertThat(index.remove(refused)).isFalse();
        assertThat(index.size()).isEqualTo(2);
        assertThat(index.at(Address.user("alice"))).hasSize(2);
    }

    @Test
    void closingEverySessionSendsEachTheReasonsStatus() {
        index.admit(session("alice"));
        index.admit(session("bob"));

        index.closeAll(CloseReason.SHUTTING_DOWN);

        assertThat(closes).containsExactly(CloseReason.SHUTTING_DOWN.status(), CloseReason.SHUTTING_DOWN.status());
    }

    @Test
    void aRefreshedSessionIsFoundByTheGroupsOfItsNewTokenAndNoLongerByThoseItLeft() {
        ClientSession alice = session("alice", "Class:201901", "Club:chess");
        index.admit(alice);

        assertThat(index.regroup(alice, principal("alice", "Club:chess", "Class:201902"))).isTrue();

        assertThat(index.at(Address.group("Class:201901"))).isEmpty();
        assertThat(index.at(Address.group("Club:chess"))).containsExactly(alice);
        assertThat(index.at(Address.group("Class:201902"))).containsExactly(alice);
        assertThat(alice.principal().groups()).containsExactlyInAnyOrder("Club:chess", "Class:201902");
    }

    @Test
    void aSessionRemovedBeforeItsRefreshIsNeverIndexedAgain() {
        ClientSession alice = session("alice", "Class:201901");
        index.admit(alice);
        index.remove(alice);

        assertThat(index.regroup(alice, principal("alice", "Class:201902"))).isFalse();

        assertThat(index.at(Address.group("Class:201902"))).isEmpty();
        assertThat(index.at(Address.user("alice"))).isEmpty();
    }

    private static Principal principal(String user, String... groups) {
        return new Principal(user, Set.of(groups), Set.of(), Instant.now().plusSeconds(3600));
    }

    private ClientSession session(String user, String... groups) {
        Principal principal = new Principal(user, Set.of(groups), Set.of(), Instant.now().plusSeconds(3600));
        return NodeSessions.lone(new EmbeddedChannel(), principal, closes::add);
    }
}
