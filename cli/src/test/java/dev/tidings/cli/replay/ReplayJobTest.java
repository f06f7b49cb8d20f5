package dev.tidings.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.tidings.cli.workspace.CliException;

class ReplayJobTest {

    @Test
    void readsThePublishersJobAndIgnoresFieldsItDoesNotKnow() {
        ReplayJob job = ReplayJob.fromJson("{\"id\":\"j-1\",\"dryRun\":false,\"from\":\"2026-01-31T09:00:00Z\","
                + "\"to\":\"2026-01-31T10:00:00Z\",\"scanned\":1204,\"matched\":37,\"published\":30,"
                + "\"status\":\"RUNNING\",\"truncated\":false,\"startedBy\":\"ops\"}");

        assertThat(job).isEqualTo(new ReplayJob("j-1", false, "2026-01-31T09:00:00Z", "2026-01-31T10:00:00Z",
                1204, 37, 30, "RUNNING", false, null));
        assertThat(job.finished()).isFalse();
    }

    @Test
    void readsTheErrorOfAFailedJobAndCountsItFinished() {
        ReplayJob job = ReplayJob.fromJson("{\"id\":\"j-1\",\"status\":\"FAILED\",\"error\":\"topic gone\"}");

        assertThat(job.error()).isEqualTo("topic gone");
        assertThat(job.finished()).isTrue();
        assertThat(ReplayJob.fromJson("{\"id\":\"j\",\"status\":\"COMPLETED\"}").finished()).isTrue();
        assertThat(ReplayJob.fromJson("{\"id\":\"j\",\"status\":\"CANCELLED\"}").finished()).isTrue();
    }

    @Test
    void countsAStatusItDoesNotKnowAsStillRunning() {
        assertThat(ReplayJob.fromJson("{\"id\":\"j\",\"status\":\"QUEUED\"}").finished()).isFalse();
    }

    @Test
    void refusesAnAnswerThatIsNotAJob() {
        assertThatThrownBy(() -> ReplayJob.fromJson("<html>Bad gateway</html>"))
                .isInstanceOf(CliException.class)
                .hasMessage("the publisher's answer is not a replay job: <html>Bad gateway</html>");
        assertThatThrownBy(() -> ReplayJob.fromJson("{\"status\":\"RUNNING\"}"))
                .isInstanceOf(CliException.class);
    }
}
