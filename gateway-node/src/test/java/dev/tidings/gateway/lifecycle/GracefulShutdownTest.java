package dev.tidings.gateway.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;


import dev.tidings.common.auth.Principal;
import io.netty.channel.embedded.EmbeddedChannel;
import dev.tidings.gateway.config.GatewayProperties;
import dev.tidings.gateway.session.ClientSession;
import dev.tidings.gateway.session.NodeSessions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.MessageListenerContainer;

class GracefulShutdownTest {

    final GatewayProperties properties = properties("5s");
    final NodeSessions node = NodeSessions.of(properties, new SimpleMeterRegistry());
    final MessageListenerContainer consumer = mock(MessageListenerContainer.class);
    final GracefulShutdown shutdown = new GracefulShutdown(node.index(), consumer, properties);
    final List<String> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopNode() {
        node.close();
    }

    @Test
    void stopsTheConsumerBeforeClosingEverySessionWith1013() {
        when(consumer.isRunning()).thenReturn(true);
        doAnswer(call -> {
            events.add("consumer stopped; draining=" + shutdown.isDraining());
            return null;
        }).when(consumer).stop();
        connect("alice");
        connect("bob");
        shutdown.start();

        shutdown.stop();

        assertThat(events).containsExactly("consumer stopped; draining=true",
                "closed 1013 node shutting down, reconnect elsewhere",
                "closed 1013 node shutting down, reconnect elsewhere");
        assertThat(node.index().size()).isZero();
        assertThat(shutdown.isRunning()).isFalse();
    }

    @Test
    void admitsSessionsUntilStoppedAndRefusesThemAfter() {
        shutdown.start();
        assertThat(shutdown.isDraining()).isFalse();

        shutdown.stop();

        assertThat(shutdown.isDraining()).isTrue();
    }

    @Test
    void stopsBeforeTheListenerContainerAndTheWebServer() {
        assertThat(shutdown.getPhase()).isGreaterThan(AbstractMessageListenerContainer.DEFAULT_PHASE)
                .isGreaterThan(org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle
                        .SMART_LIFECYCLE_PHASE);
    }

    @Test
    void givesUpWaitingForSessionsAfterTheShutdownTimeout() {
        GatewayProperties quick = properties("200ms");
        GracefulShutdown impatient = new GracefulShutdown(node.index(), consumer, quick);
        register("stuck", false);
        impatient.start();
        Instant started = Instant.now();

        impatient.stop();

        assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(3));
        assertThat(node.index().size()).isEqualTo(1);
    }

    private static GatewayProperties properties(String shutdownTimeout) {
        return NodeSessions.properties(Map.of("tidings.gateway.shutdown-timeout", shutdownTimeout));
    }

    private void connect(String user) {
        register(user, true);
    }

    /** A session whose close is reported back to the registry as the connection would, if {@code closes}. */
    private void register(String user, boolean closes) {
        Principal principal = new Principal(user, Set.of(), Set.of(), Instant.now().plusSeconds(3600));
        ClientSession[] session = new ClientSession[1];
        session[0] = node.registry().register(new EmbeddedChannel(), status -> {
            events.add("closed " + status.getCode() + " " + status.getReason());
            if (closes) {
                node.registry().unregister(session[0]);
            }
        }, principal, false).session();
    }
}
