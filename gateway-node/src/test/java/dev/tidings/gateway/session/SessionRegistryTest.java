package dev.tidings.gateway.session;

import static dev.tidings.gateway.session.NodeSessions.properties;
import static dev.tidings.gateway.session.Wire.bytes;
import static dev.tidings.gateway.session.Wire.texts;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.tidings.common.auth.Principal;
import dev.tidings.gateway.protocol.CloseReason;
import dev.tidings.schema.Address;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.socket.CloseStatus;

/** A connection's session from registration to removal. */
class SessionRegistryTest {

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final NodeSessions node = NodeSessions.of(properties(Map.of("tidings.gateway.max-sessions-per-user", "1")), meters);
    final List<CloseStatus> closes = new ArrayList<>();

    @AfterEach
    void stopNode() {
        node.close();
    }

    @Test
    void aRegisteredSessionIsIndexedReachedByBroadcastsAndHasItsTokensExpiryArmed() {
        EmbeddedChannel channel = new EmbeddedChannel();

        SessionRegistry.Registration registration = register(channel, "alice");

        assertThat(registration.refusal()).isNull();
        assertThat(node.index().at(Address.user("alice"))).containsExactly(registration.session());
        assertThat(meters.get("tidings.gateway.session.timers").gauge().value()).isEqualTo(1);
        node.batcher().broadcast(bytes("{\"n\":1}"), 0, 1, -1, meters.counter("delivered"));
        node.batcher().handOff();
        channel.runPendingTasks();
        assertThat(texts(channel)).containsExactly("{\"n\":1}");
    }

    @Test
    void aRefusedConnectionGetsTheReasonAndNoSession() {
        register(new EmbeddedChannel(), "alice");

        SessionRegistry.Registration second = register(new EmbeddedChannel(), "alice");

        assertThat(second.session()).isNull();
        assertThat(second.refusal()).isEqualTo(CloseReason.TOO_MANY_SESSIONS);
        assertThat(node.index().size()).isEqualTo(1);
        assertThat(meters.get("tidings.gateway.session.timers").gauge().value()).as("no timer armed").isEqualTo(1);
        assertThat(closes).as("the caller closes a refused connection").isEmpty();
    }

    @Test
    void anUnregisteredSessionIsClosedAndGoneFromTheIndexItsLoopAndTheTimers() {
        EmbeddedChannel channel = new EmbeddedChannel();
        ClientSession session = register(channel, "alice").session();

        node.registry().unregister(session);

        assertThat(session.isClosed()).isTrue();
        assertThat(node.index().size()).isZero();
        assertThat(node.index().at(Address.user("alice"))).isEmpty();
        assertThat(meters.get("tidings.gateway.session.timers").gauge().value()).isZero();
        node.batcher().broadcast(bytes("{\"n\":1}"), 0, 1, -1, meters.counter("delivered"));
        node.batcher().handOff();
        channel.runPendingTasks();
        assertThat(texts(channel)).isEmpty();
        assertThat(register(new EmbeddedChannel(), "alice").session()).as("the user's place is free").isNotNull();
    }

    private SessionRegistry.Registration register(EmbeddedChannel channel, String user) {
        Principal principal = new Principal(user, Set.of(), Set.of(), Instant.now().plusSeconds(3600));
        return node.registry().register(channel, closes::add, principal, false);
    }
}
