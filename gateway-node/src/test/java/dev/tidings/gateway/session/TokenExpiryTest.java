package dev.tidings.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.tidings.common.auth.Principal;
import dev.tidings.gateway.protocol.CloseReason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.socket.CloseStatus;

/** A session lives as long as its token, and never longer than the node's cap. */
class TokenExpiryTest {

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final TokenExpiry expiry = new TokenExpiry(Duration.ofHours(24), Duration.ZERO, meters);
    final List<CloseStatus> closes = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopTimers() {
        expiry.stop();
    }

    @Test
    void aSessionIsClosedWith1008WhenItsTokenExpires() {
        ClientSession session = session("gina", Instant.now().plusMillis(200));

        expiry.arm(session);

        await().atMost(Duration.ofSeconds(5)).until(() -> !closes.isEmpty());
        assertThat(closes).containsExactly(CloseReason.TOKEN_EXPIRED.status());
        assertThat(closes.get(0).getCode()).isEqualTo(1008);
    }

    @Test
    void aSessionWhoseTokenExpiredBeforeItWasArmedIsClosedAtOnce() {
        ClientSession session = session("gina", Instant.now().minusSeconds(1));

        expiry.arm(session);

        await().atMost(Duration.ofSeconds(1)).until(() -> !closes.isEmpty());
        assertThat(closes).containsExactly(CloseReason.TOKEN_EXPIRED.status());
    }

    @Test
    void aSessionOnATokenValidForLongerThanTheCapIsClosedWith1008AtTheCap() {
        TokenExpiry capped = new TokenExpiry(Duration.ofSeconds(1), Duration.ZERO, new SimpleMeterRegistry());
        try {
            ClientSession session = session("hank", Instant.now().plus(Duration.ofDays(365)));

            capped.arm(session);

            await().atMost(Duration.ofSeconds(5)).until(() -> !closes.isEmpty());
            assertThat(closes).extracting(CloseStatus::getCode).containsExactly(1008);
            assertThat(closes.get(0).getReason()).contains("max-token-lifetime");
        }
        finally {
            capped.stop();
        }
    }

    @Test
    void aClosedSessionsExpiryTimerLeavesTheQueueAtOnceInsteadOfWaitingForItsTokensExp() {
        for (int i = 0; i < 100; i++) {
            ClientSession session = session("user-" + i, Instant.now().plus(Duration.ofDays(10)));
            expiry.arm(session);
            session.markClosed();
        }

        assertThat(meters.get("tidings.gateway.session.timers").gauge().value()).as("expiry timers still queued")
                .isZero();
        assertThat(closes).isEmpty();
    }

    @Test
    void aSessionIsToldItsTokenIsEndingAWarningAheadThenClosedAtItsEnd() {
        TokenExpiry warning = new TokenExpiry(Duration.ofHours(24), Duration.ofMillis(600), new SimpleMeterRegistry());
        try {
            EmbeddedChannel channel = new EmbeddedChannel();
            ClientSession session = NodeSessions.lone(channel,
                    new Principal("ivy", Set.of(), Set.of(), Instant.now().plusMillis(1500)), closes::add);

            warning.arm(session);

            List<String> frames = new ArrayList<>();
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                channel.runPendingTasks();
                frames.addAll(Wire.texts(channel));
                return !frames.isEmpty();
            });
            assertThat(frames).as("0.6 s left, rounded up").containsExactly("{\"type\":\"expiring\",\"in\":1}");
            assertThat(closes).as("warned before the end, not at it").isEmpty();
            await().atMost(Duration.ofSeconds(5)).until(() -> !closes.isEmpty());
            assertThat(closes).containsExactly(CloseReason.TOKEN_EXPIRED.status());
        }
        finally {
            warning.stop();
        }
    }

    @Test
    void aSessionArmedAgainForARefreshedTokenLivesOnPastItsFirstTokensEnd() {
        ClientSession session = session("jack", Instant.now().plusMillis(300));
        expiry.arm(session);

        session.principal(new Principal("jack", Set.of(), Set.of(), Instant.now().plusSeconds(3600)));
        Instant closesAt = expiry.arm(session);

        assertThat(closesAt).isAfter(Instant.now().plusSeconds(3500));
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(closes::isEmpty);
    }

    @Test
    void aSessionArmedAgainBeforeItsWarningGetsNeitherTheOldWarningNorTheOldClose() {
        TokenExpiry warning = new TokenExpiry(Duration.ofHours(24), Duration.ofMillis(600), new SimpleMeterRegistry());
        try {
            EmbeddedChannel channel = new EmbeddedChannel();
            ClientSession session = NodeSessions.lone(channel,
                    new Principal("kim", Set.of(), Set.of(), Instant.now().plusMillis(900)), closes::add);
            warning.arm(session);

            session.principal(new Principal("kim", Set.of(), Set.of(), Instant.now().plusSeconds(3600)));
            warning.arm(session);

            List<String> frames = new ArrayList<>();
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> {
                channel.runPendingTasks();
                frames.addAll(Wire.texts(channel));
                return frames.isEmpty() && closes.isEmpty();
            });
        }
        finally {
            warning.stop();
        }
    }

    private ClientSession session(String user, Instant expiresAt) {
        return NodeSessions.lone(new EmbeddedChannel(), new Principal(user, Set.of(), Set.of(), expiresAt), closes::add);
    }
}
