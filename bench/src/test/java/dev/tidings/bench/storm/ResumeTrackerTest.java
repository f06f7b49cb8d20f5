package dev.tidings.bench.storm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import dev.tidings.bench.ws.ClientFleet;
import dev.tidings.bench.ws.ServerFrame;
import org.junit.jupiter.api.Test;

class ResumeTrackerTest {

    private static final URI SURVIVOR = URI.create("ws://127.0.0.1:8082/ws");
    private static final long MS = 1_000_000;

    private final ResumeTracker tracker = new ResumeTracker(3, SURVIVOR, 1000, () -> 0.25);

    private static ServerFrame welcome(String cursor) {
        return new ServerFrame("welcome", null, -1, -1, null, cursor, false, -1);
    }

    private static ServerFrame notification(int seq, String cursor) {
        return new ServerFrame("notification", "n" + seq, seq, 1, "run", cursor, false, -1);
    }

    private static ServerFrame resumed(boolean recovered, long replayed) {
        return new ServerFrame("resumed", null, -1, -1, null, "after-resume", recovered, replayed);
    }

    @Test
    void sendsAnOrphanToTheSurvivorWithTheCursorOfTheLastFrameItReceived() {
        tracker.onControlFrame(0, welcome("c0"), 1);
        tracker.onNotification(0, notification(1, "c1"));
        tracker.onNotification(0, notification(2, "c2"));
        tracker.killed(10 * MS);

        ClientFleet.Reconnect reconnect = tracker.onDisconnect(0, 11 * MS);

        assertThat(reconnect.gateway()).isEqualTo(SURVIVOR);
        assertThat(reconnect.cursor()).isEqualTo("c2");
        assertThat(reconnect.delayMillis()).as("a quarter of the 1000 ms jitter").isEqualTo(250);
    }

    @Test
    void keepsTheLastCursorWhenAFrameCarriesNone() {
        tracker.onControlFrame(1, welcome("c0"), 1);
        tracker.onControlFrame(1, new ServerFrame("pong", null, -1, -1, null, null, false, -1), 2);

        assertThat(tracker.cursor(1)).isEqualTo("c0");
    }

    @Test
    void timesEachClientFromTheKillToItsFirstResumedFrame() {
        for (int c = 0; c < 3; c++) {
            tracker.onControlFrame(c, welcome("c"), 1);
        }
        tracker.killed(100 * MS);
        for (int c = 0; c < 3; c++) {
            tracker.onDisconnect(c, 101 * MS);
        }

        tracker.onControlFrame(0, resumed(true, 2), 150 * MS);
        tracker.onControlFrame(1, resumed(true, 3), 400 * MS);
        tracker.onControlFrame(1, resumed(true, 9), 900 * MS); // a second resume is not a new one
        assertThat(tracker.settled()).isFalse();
        tracker.onControlFrame(2, resumed(false, 0), 1100 * MS);

        ResumeStats stats = tracker.stats();
        assertThat(tracker.settled()).isTrue();
        assertThat(stats.orphaned()).isEqualTo(3);
        assertThat(stats.resumed()).isEqualTo(3);
        assertThat(stats.notResumed()).isZero();
        assertThat(stats.recoveredFalse()).isEqualTo(1);
        assertThat(stats.replayed()).isEqualTo(2 + 3 + 9);
        assertThat(stats.killToAllResumedMs()).isEqualTo(1000);
        assertThat(stats.resumeMillis()).containsEntry("max", 1000L).containsEntry("p50", 300L);
        assertThat(stats.closedMillis()).containsEntry("max", 1L);
        // each reconnected 1 ms after the kill plus 250 ms of jitter
        assertThat(stats.reconnectMillis()).containsEntry("max", 1100L - 101 - 250).containsEntry("p50", 400L - 101 - 250);
    }

    @Test
    void reportsNoTimeToAllResumedWhileAClientIsMissing() {
        tracker.killed(100 * MS);
        tracker.onDisconnect(0, 101 * MS);
        tracker.onDisconnect(1, 101 * MS);
        tracker.onControlFrame(0, resumed(true, 0), 200 * MS);
        tracker.onReconnectGaveUp(1);

        ResumeStats stats = tracker.stats();
        assertThat(tracker.settled()).as("client 2 neither resumed nor gave up").isFalse();
        assertThat(stats.killToAllResumedMs()).isNull();
        assertThat(stats.notResumed()).isEqualTo(2);
        assertThat(stats.gaveUp()).isEqualTo(1);
        assertThat(stats.orphaned()).isEqualTo(2);
    }

    @Test
    void endsTheResumeOfAClientWithoutCursorAtItsWelcomeAsNotRecovered() {
        tracker.killed(100 * MS);

        ClientFleet.Reconnect reconnect = tracker.onDisconnect(2, 101 * MS);
        tracker.onControlFrame(2, welcome("fresh"), 300 * MS);

        assertThat(reconnect.cursor()).isNull();
        ResumeStats stats = tracker.stats();
        assertThat(stats.resumed()).isEqualTo(1);
        assertThat(stats.withoutCursor()).isEqualTo(1);
        assertThat(stats.recoveredFalse()).isEqualTo(1);
    }

    @Test
    void countsADisconnectBeforeTheKillApartFromTheOrphans() {
        tracker.onControlFrame(0, welcome("c"), 1);

        tracker.onDisconnect(0, 5 * MS);

        assertThat(tracker.stats().disconnectsBeforeKill()).isEqualTo(1);
        assertThat(tracker.stats().orphaned()).isZero();
    }

    @Test
    void stopsReconnectingAClientThatKeepsLosingItsConnection() {
        tracker.killed(100 * MS);

        for (int k = 0; k < ResumeTracker.MAX_RECONNECTS; k++) {
            assertThat(tracker.onDisconnect(0, (101 + k) * MS)).isNotNull();
        }

        assertThat(tracker.onDisconnect(0, 200 * MS)).isNull();
        assertThat(tracker.stats().gaveUp()).isEqualTo(1);
    }
}
