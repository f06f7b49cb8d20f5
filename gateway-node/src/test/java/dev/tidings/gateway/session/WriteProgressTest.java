package dev.tidings.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Telling a socket that takes bytes slowly from one that takes none. */
class WriteProgressTest {

    static final long LAG = WriteProgress.LAGGING_BYTES;

    @Test
    void aSessionJoinsTheSweepOnceWhenItsUnreadBytesPassTheLaggingMark() {
        WriteProgress progress = new WriteProgress();

        assertThat(progress.wrote(0, LAG, 0, 0)).as("at the mark, not past it").isFalse();
        assertThat(progress.wrote(LAG, LAG + 1, 0, 0)).isTrue();
        assertThat(progress.wrote(LAG + 1, LAG + 100, 0, 0)).as("already watched").isFalse();
        progress.unwatched();
        assertThat(progress.wrote(LAG + 100, LAG + 200, 0, 0)).as("watched again after it left").isTrue();
    }

    @Test
    void aSocketThatTakesNothingStallsFromTheMomentItWasWatched() {
        WriteProgress progress = new WriteProgress();
        progress.wrote(0, 2 * LAG, 0, 1_000);

        assertThat(progress.stalledFor(2 * LAG, 0, 5_000)).isEqualTo(4_000);
        assertThat(progress.stalledNanos(9_000)).isEqualTo(8_000);
    }

    @Test
    void anyByteTakenOrAPartialWriteMovingCountsAsProgress() {
        WriteProgress progress = new WriteProgress();
        progress.wrote(0, 2 * LAG, 0, 0);

        assertThat(progress.stalledFor(2 * LAG - 1, 0, 5_000)).as("one byte taken").isZero();
        assertThat(progress.stalledFor(2 * LAG - 1, 10, 7_000)).as("a partial write moved").isZero();
        assertThat(progress.stalledFor(2 * LAG - 1, 10, 9_000)).as("nothing since").isEqualTo(2_000);
    }

    @Test
    void newWritesDoNotHideASocketThatTakesNothing() {
        WriteProgress progress = new WriteProgress();
        progress.wrote(0, 2 * LAG, 0, 0);
        progress.wrote(2 * LAG, 3 * LAG, 0, 1_000); // more queued, nothing taken

        assertThat(progress.stalledFor(3 * LAG, 0, 5_000)).isEqualTo(5_000);
    }
}
