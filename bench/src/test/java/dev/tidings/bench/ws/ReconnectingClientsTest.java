package dev.tidings.bench.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

class ReconnectingClientsTest {

    private static final URI GW1 = URI.create("ws://127.0.0.1:8081/ws");
    private static final URI GW2 = URI.create("ws://127.0.0.1:8082/ws");
    private static final long MS = 1_000_000;

    /** Receipt at nanoTime t reads as epoch micros t / 1000. */
    private final ReconnectingClients clients = new ReconnectingClients(4, List.of(GW1, GW2), t -> t / 1000,
            () -> 0.5);

    private static ServerFrame welcome(String cursor) {
        return new ServerFrame("welcome", null, -1, -1, null, cursor, false, -1);
    }

    private static ServerFrame notification(int seq, long publishedMicros, String cursor) {
        return new ServerFrame("notification", "n" + seq, seq, publishedMicros, "run", cursor, false, -1);
    }

    private static ServerFrame resumed(boolean recovered, long replayed) {
        return new ServerFrame("resumed", null, -1, -1, null, "after", recovered, replayed);
    }

    @Test
    void sendsAClosedClientToTheNextGatewayWithTheCursorOfItsLastFrameAfterTheSdksJitter() {
        clients.onControlFrame(0, welcome("c0"), 1);
        clients.isLive(0, notification(1, 10, "c1"));
        clients.onControlFrame(1, welcome("d0"), 1);

        ClientFleet.Reconnect first = clients.onDisconnect(0, 5 * MS);
        ClientFleet.Reconnect second = clients.onDisconnect(1, 5 * MS);

        assertThat(first.gateway()).as("client 0 started on the first gateway").isEqualTo(GW2);
        assertThat(first.cursor()).isEqualTo("c1");
        assertThat(first.delayMillis()).as("half of the SDK's first 500 ms step").isEqualTo(250);
        assertThat(second.gateway()).as("client 1 started on the second gateway, and wraps").isEqualTo(GW1);
        assertThat(second.cursor()).isEqualTo("d0");
    }

    @Test
    void spreadsAClosedClientsFirstAttemptOverTheGivenJitterAndLaterOnesOverTheSdksBackoff() {
        ReconnectingClients spread = new ReconnectingClients(2, List.of(GW1, GW2), t -> t / 1000, () -> 0.5, 5_000);
        spread.onControlFrame(0, welcome("c0"), 1);

        ClientFleet.Reconnect first = spread.onDisconnect(0, 5 * MS);
        ClientFleet.Reconnect retry = spread.onReconnectFailed(0, 1, first);

        assertThat(first.delayMillis()).as("half of the 5 s ceiling").isEqualTo(2_500);
        assertThat(retry.delayMillis()).as("half of the SDK's second step, 1 s").isEqualTo(500);
    }

    @Test
    void keepsTryingTheGatewaysInTurnWithTheSameCursorAndAGrowingBackoffAfterFailedAttempts() {
        clients.onControlFrame(0, welcome("c0"), 1);
        ClientFleet.Reconnect reconnect = clients.onDisconnect(0, 5 * MS);

        for (int attempt = 1; attempt <= 20; attempt++) {
            URI before = reconnect.gateway();
            reconnect = clients.onReconnectFailed(0, attempt, reconnect);
            assertThat(reconnect).as("attempt %d failed; the SDK never gives up", attempt).isNotNull();
            assertThat(reconnect.gateway()).isNotEqualTo(before);
            assertThat(reconnect.cursor()).isEqualTo("c0");
            assertThat(reconnect.delayMillis()).as("half of min(8 s, 500 ms * 2^attempt)")
                    .isEqualTo(Math.min(8_000, 500L << Math.min(attempt, 5)) / 2);
        }
        assertThat(clients.gaveUp()).isZero();
    }

    @Test
    void movesOnFromTheGatewayItLastWentToWhenClosedAgain() {
        clients.onControlFrame(0, welcome("c0"), 1);
        clients.onDisconnect(0, 2 * MS);
        clients.onControlFrame(0, resumed(true, 0), 3 * MS);

        assertThat(clients.onDisconnect(0, 4 * MS).gateway()).isEqualTo(GW1);
    }

    @Test
    void countsWhatIsPublishedBeforeTheResumeEndedAsCatchUpAndWhatFollowsAsLive() {
        clients.onControlFrame(0, welcome("c0"), 1);
        assertThat(clients.isLive(0, notification(1, 1_000, "c1"))).isTrue();

        clients.onDisconnect(0, 2_000 * 1000L);
        assertThat(clients.isLive(0, notification(2, 1_500, "c2"))).as("missed while away").isFalse();
        assertThat(clients.isLive(0, notification(3, 2_500, "c3"))).as("published while it reconnected").isFalse();
        clients.onControlFrame(0, resumed(true, 2), 3_000 * 1000L);
        assertThat(clients.isLive(0, notification(4, 2_900, "c4"))).as("held back during the resume").isFalse();
        assertThat(clients.isLive(0, notification(5, 3_000, "c5"))).isTrue();

        assertThat(clients.resumes()).isEqualTo(1);
        assertThat(clients.awayMicros().getMaxValue()).as("closed at 2 ms, resumed at 3 ms").isEqualTo(1_000);
        assertThat(clients.replayed()).isEqualTo(2);
        assertThat(clients.notRecovered()).isZero();
    }

    @Test
    void endsTheResumeOfAClientWithoutACursorAtItsWelcomeAsNotRecovered() {
        ClientFleet.Reconnect reconnect = clients.onDisconnect(2, 10 * MS);
        assertThat(reconnect.cursor()).isNull();

        clients.onControlFrame(2, welcome("fresh"), 11 * MS);

        assertThat(clients.resumes()).isEqualTo(1);
        assertThat(clients.notRecovered()).isEqualTo(1);
        assertThat(clients.isLive(2, notification(7, 11_000, "x"))).isTrue();
    }

    @Test
    void stopsReconnectingAClientThatWasClosedTooOften() {
        for (int k = 0; k < ReconnectingClients.MAX_RECONNECTS; k++) {
            assertThat(clients.onDisconnect(3, k * MS)).isNotNull();
        }

        assertThat(clients.onDisconnect(3, 99 * MS)).isNull();
        assertThat(clients.gaveUp()).isEqualTo(1);
        assertThat(clients.disconnects()).isEqualTo(ReconnectingClients.MAX_RECONNECTS + 1);
    }
}
