package dev.tidings.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplayReportTest {

    static final String FROM = "2026-01-31T09:00:00Z";
    static final String TO = "2026-01-31T10:00:00Z";

    static ReplayJob job(boolean dryRun, String status, long scanned, long matched, long published, boolean truncated,
            String error) {
        return new ReplayJob("j-1", dryRun, FROM, TO, scanned, matched, published, status, truncated, error);
    }

    @Test
    void showsScannedMatchedAndPublishedWhileARealRunGoes() {
        assertThat(ReplayReport.progress(job(false, "RUNNING", 1204, 37, 30, false, null)))
                .isEqualTo("replay running: scanned 1204, matched 37, published 30");
    }

    @Test
    void leavesPublishedOutOfADryRunsProgressBecauseItPublishesNothing() {
        assertThat(ReplayReport.progress(job(true, "RUNNING", 500, 12, 0, false, null)))
                .isEqualTo("dry run running: scanned 500, matched 12");
    }

    @Test
    void saysWhatADryRunWouldReplayAndHowToDoIt() {
        assertThat(ReplayReport.summary(job(true, "COMPLETED", 1204, 37, 0, false, null))).containsExactly(
                "dry run: would replay 37 notifications (scanned 1204, published from " + FROM + " to " + TO + ")",
                "run the same command without --dry-run to replay them");
        assertThat(ReplayReport.summary(job(true, "COMPLETED", 10, 1, 0, false, null)).get(0))
                .startsWith("dry run: would replay 1 notification (scanned 10");
        assertThat(ReplayReport.summary(job(true, "COMPLETED", 10, 0, 0, false, null)))
                .as("nothing to replay, nothing to suggest")
                .containsExactly("dry run: would replay 0 notifications (scanned 10, published from " + FROM + " to "
                        + TO + ")");
    }

    @Test
    void saysAtLeastAndWhyWhenThePublishersLimitCutTheScanShort() {
        assertThat(ReplayReport.summary(job(true, "COMPLETED", 90000, 10000, 0, true, null)))
                .first().asString().startsWith("dry run: would replay at least 10000 notifications");
        assertThat(ReplayReport.summary(job(false, "COMPLETED", 90000, 10000, 10000, true, null)))
                .endsWith(ReplayReport.TRUNCATED);
    }

    @Test
    void summarisesACompletedACancelledAndAFailedRun() {
        assertThat(ReplayReport.summary(job(false, "COMPLETED", 1204, 37, 37, false, null))).containsExactly(
                "replay completed: published 37 of 37 notifications matched (scanned 1204, published from " + FROM
                        + " to " + TO + ")");
        assertThat(ReplayReport.summary(job(false, "CANCELLED", 500, 20, 12, false, null))).containsExactly(
                "replay cancelled: published 12 of 20 notifications matched so far (scanned 500); "
                        + "the rest was not replayed");
        assertThat(ReplayReport.summary(job(false, "FAILED", 500, 20, 12, false, "Timeout expired"))).containsExactly(
                "replay failed: Timeout expired; published 12 of 20 notifications matched (scanned 500)");
        assertThat(ReplayReport.summary(job(false, "FAILED", 0, 0, 0, false, null)).get(0))
                .startsWith("replay failed: the publisher gave no reason;");
    }
}
