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
    void closesEverySessionWith1013BeforeStoppingTheConsumer() {
        when(consumer.isRunning()).thenReturn(true);
        doAnswer(call -> {
            events.add("consumer stopped; draining=" + shutdown.isDraining());
            return null;
        }).when(consumer).stop();
        connect("alice");
        connect("bob");
        shutdown.start();

        shutdown.stop();

        assertThat(events).containsExactly("closed 1013 node shutting down, reconnect elsewhere",
                "closed 1013 node shutting down, reconnect elsewhere", "consumer stopped; draining=true");
        assertThat(node.index().size()).isZero();
        assertThat(shutdown.isRunning()).isFalse();
    }

    @Test
    void closesTheSessionsAtTheCloseRateWhileTheConsumerStillDelivers() {
        GatewayProperties paced = properties("5s", "20");
        GracefulShutdown shutdown = new GracefulShutdown(node.index(), consumer, paced);
        List<Long> closedAt = new CopyOnWriteArrayList<>();
        when(consumer.isRunning()).thenReturn(true);
        doAnswer(call -> {
            events.add("consumer stopped after " + closedAt.size() + " closes");
            return null;
        }).when(consumer).stop();
        for (int i = 0; i < 6; i++) {
            register("user-" + i, true, () -> closedAt.add(System.nanoTime()));
        }
        shutdown.start();

        shutdown.stop();

        assertThat(closedAt).hasSize(6);
        assertThat(Duration.ofNanos(closedAt.get(5) - closedAt.get(0)))
                .as("six sessions at 20 a second: five gaps of 50 ms")
                .isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(events).last().isEqualTo("consumer stopped after 6 closes");
    }

    @Test
    void closesTheRestAtOnceOnceThreeQuartersOfTheShutdownTimeoutHavePassed() {
        GatewayProperties slow = properties("400ms", "5");
        GracefulShutdown shutdown = new GracefulShutdown(node.index(), consumer, slow);
        for (int i = 0; i < 50; i++) {
            connect("user-" + i);
        }
        shutdown.start();
        Instant started = Instant.now();

        shutdown.stop();

        assertThat(node.index().size()).isZero();
        assertThat(Duration.between(started, Instant.now())).as("not the ten seconds 50 closes at 5 a second take")
                .isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void closesEverySessionAtOnceWhenTheCloseRateIsZero() {
        GatewayProperties atOnce = properties("5s", "0");
        GracefulShutdown shutdown = new GracefulShutdown(node.index(), consumer, atOnce);
        List<Long> closedAt = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 100; i++) {
            register("user-" + i, true, () -> closedAt.add(System.nanoTime()));
        }
        shutdown.start();

        shutdown.stop();

        assertThat(closedAt).hasSize(100);
        assertThat(Duration.ofNanos(closedAt.get(99) - closedAt.get(0))).isLessThan(Duration.ofMillis(100));
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

    private static GatewayProperties properties(String shutdownTimeout, String closeRate) {
        return NodeSessions.properties(Map.of("tidings.gateway.shutdown-timeout", shutdownTimeout,
                "tidings.gateway.shutdown-close-rate", closeRate));
    }

    private void connect(String user) {
        register(user, true);
    }

    private void register(String user, boolean closes) {
        register(user, closes, () -> {
        });
    }

    /**
     * A session whose close is reported back to the registry as the connection would, if {@code closes};
     * {@code onClose} runs when it is closed.
     */
    private void register(String user, boolean closes, Runnable onClose) {
        Principal principal = new Principal(user, Set.of(), Set.of(), Instant.now().plusSeconds(3600));
        ClientSession[] session = new ClientSession[1];
        session[0] = node.registry().register(new EmbeddedChannel(), status -> {
            onClose.run();
            events.add("closed " + status.getCode() + " " + status.getReason());
            if (closes) {
                node.registry().unregister(session[0]);
            }
        }, principal, false).session();
    }
}
