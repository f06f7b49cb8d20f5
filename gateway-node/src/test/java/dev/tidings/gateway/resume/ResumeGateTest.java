package dev.tidings.gateway.resume;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.tidings.gateway.resume.ResumeGate.Admission;
import dev.tidings.gateway.resume.ResumeGate.HeldFrame;
import org.junit.jupiter.api.Test;

/** One session's hold and floor state: with the replay, every record once — no duplicates, no gaps. */
class ResumeGateTest {

    @Test
    void withoutAResumeEveryLiveFrameIsSent() {
        ResumeGate gate = new ResumeGate(false, 10);

        assertThat(gate.admit(frame("a"), 0, 1)).isEqualTo(Admission.SEND);
        assertThat(gate.admit(frame("b"), 3, 7)).isEqualTo(Admission.SEND);
    }

    @Test
    void aConnectionThatResumesFromItsHandshakeHoldsLiveFramesFromTheStart() {
        ResumeGate gate = new ResumeGate(true, 10);

        assertThat(gate.admit(frame("a"), 0, 1)).isEqualTo(Admission.HELD);
        assertThat(gate.begin()).as("its resume starts on the frames already held").isTrue();
    }

    @Test
    void onlyOneResumeRunsAtATime() {
        ResumeGate gate = new ResumeGate(false, 10);

        assertThat(gate.begin()).isTrue();
        assertThat(gate.begin()).isFalse();
        gate.replayed(new long[] {0});
        assertThat(gate.nextHeld()).as("nothing held: the resume ends").isNull();
        assertThat(gate.begin()).as("a new one, once the first ended").isTrue();
    }

    @Test
    void heldFramesTheReplayCoveredAreDroppedAndTheRestFollowInTheirOrder() {
        ResumeGate gate = new ResumeGate(false, 10);
        gate.begin();
        for (long offset : new long[] {4, 9, 5, 12}) {
            assertThat(gate.admit(frame("p0-" + offset), 0, offset)).isEqualTo(Admission.HELD);
        }
        assertThat(gate.admit(frame("p1-2"), 1, 2)).isEqualTo(Admission.HELD);

        gate.replayed(new long[] {6, 0}); // the replay and the cursor cover partition 0 below offset 6

        assertThat(drain(gate)).containsExactly("p0-9", "p0-12", "p1-2");
        assertThat(gate.admit(frame("p0-5"), 0, 5)).as("live again, below the floor: never twice")
                .isEqualTo(Admission.COVERED);
        assertThat(gate.admit(frame("p0-13"), 0, 13)).isEqualTo(Admission.SEND);
    }

    @Test
    void aFloorNeverMovesBackWhenALaterResumeCoversLess() {
        ResumeGate gate = new ResumeGate(false, 10);
        gate.begin();
        gate.replayed(new long[] {50});
        drain(gate);
        gate.begin();
        gate.replayed(new long[] {20}); // an older cursor

        drain(gate);

        assertThat(gate.admit(frame("p0-30"), 0, 30)).isEqualTo(Admission.COVERED);
    }

    @Test
    void aResumeHoldsOnlySoManyFramesThenSaysTheSessionCannotKeepUp() {
        ResumeGate gate = new ResumeGate(false, 2);
        gate.begin();

        assertThat(gate.admit(frame("a"), 0, 1)).isEqualTo(Admission.HELD);
        assertThat(gate.admit(frame("b"), 0, 2)).isEqualTo(Admission.HELD);
        assertThat(gate.admit(frame("c"), 0, 3)).isEqualTo(Admission.OVERFLOW);
    }

    @Test
    void aClosedSessionsHeldFramesAreDropped() {
        ResumeGate gate = new ResumeGate(false, 10);
        gate.begin();
        gate.admit(frame("a"), 0, 1);

        gate.clear();
        gate.replayed(new long[] {0});

        assertThat(gate.nextHeld()).isNull();
    }

    @Test
    void itRemembersWhatItSentLiveSoAResumeReplaysOnlyWhatTheClientDidNotGetYet() {
        ResumeGate gate = new ResumeGate(false, 10);
        gate.sentLive(1, 40);
        gate.sentLive(1, 41);

        assertThat(gate.begin()).isTrue();
        LiveDeliveries live = gate.liveDeliveries();

        assertThat(live.covers(1, 40)).isTrue();
        assertThat(live.covers(1, 41)).isTrue();
        assertThat(live.covers(1, 42)).as("routed after 41 but not yet written to the session: must be replayed")
                .isFalse();
        assertThat(live.covers(1, 39)).as("before it connected").isFalse();
        assertThat(live.covers(0, 40)).as("nothing live on partition 0").isFalse();
    }

    @Test
    void aClientMaySendOnlySoManyResumeFramesAMinute() {
        ResumeGate gate = new ResumeGate(false, 10);

        List<Boolean> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            answers.add(gate.allowResumeFrame(3));
        }

        assertThat(answers).containsExactly(true, true, true, false, false);
    }

    private static List<String> drain(ResumeGate gate) {
        List<String> sent = new ArrayList<>();
        HeldFrame next;
        while ((next = gate.nextHeld()) != null) {
            sent.add(new String(next.frame(), StandardCharsets.UTF_8));
        }
        return sent;
    }

    private static byte[] frame(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
