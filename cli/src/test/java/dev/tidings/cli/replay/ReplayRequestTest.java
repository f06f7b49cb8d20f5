package dev.tidings.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tidings.cli.workspace.CliException;

class ReplayRequestTest {

    static final Instant FROM = Instant.parse("2026-01-31T09:00:00Z");
    static final Instant TO = Instant.parse("2026-01-31T10:00:00Z");

    @Test
    void writesADryRunOverEveryTargetWithoutTargetOrEvent() {
        ReplayRequest request = new ReplayRequest(FROM, TO, null, null, true);

        assertThat(request.toJson())
                .isEqualTo("{\"from\":\"2026-01-31T09:00:00Z\",\"to\":\"2026-01-31T10:00:00Z\",\"dryRun\":true}");
    }

    @Test
    void writesDryRunFalseExplicitlyBecauseThePublisherDefaultsToADryRun() {
        ReplayRequest request = new ReplayRequest(FROM, TO, ReplayRequest.Target.users(List.of("alice")),
                "grade.published", false);

        assertThat(request.toJson()).isEqualTo("{\"from\":\"2026-01-31T09:00:00Z\",\"to\":\"2026-01-31T10:00:00Z\","
                + "\"target\":{\"type\":\"user\",\"ids\":[\"alice\"]},\"event\":\"grade.published\",\"dryRun\":false}");
    }

    @Test
    void writesABroadcastTargetWithoutIdsAndGroupIdsTrimmedAndDeduplicated() {
        String broadcast = new ReplayRequest(FROM, TO, ReplayRequest.Target.broadcast(), null, true).toJson();
        String groups = new ReplayRequest(FROM, TO,
                ReplayRequest.Target.groups(List.of(" Class:201901", "Class:201901", "", "Club")), null, true).toJson();

        assertThat(broadcast).contains("\"target\":{\"type\":\"broadcast\"}");
        assertThat(groups).contains("\"target\":{\"type\":\"group\",\"ids\":[\"Class:201901\",\"Club\"]}");
    }

    @Test
    void keepsMillisecondsOfTheInstants() {
        ReplayRequest request = new ReplayRequest(Instant.parse("2026-01-31T09:00:00.123Z"), TO, null, null, true);

        assertThat(request.toJson()).contains("\"from\":\"2026-01-31T09:00:00.123Z\"");
    }

    @Test
    void refusesARangeThatDoesNotEndAfterItStarts() {
        assertThatThrownBy(() -> new ReplayRequest(TO, FROM, null, null, true))
                .isInstanceOf(CliException.class)
                .hasMessage("--to (2026-01-31T09:00:00Z) must be after --from (2026-01-31T10:00:00Z)");
        assertThatThrownBy(() -> new ReplayRequest(FROM, FROM, null, null, true))
                .isInstanceOf(CliException.class);
    }

    @Test
    void refusesABlankEventAndAUserTargetWithoutIds() {
        assertThatThrownBy(() -> new ReplayRequest(FROM, TO, null, " ", true))
                .hasMessage("--event must not be blank");
        assertThatThrownBy(() -> ReplayRequest.Target.users(List.of(" ")))
                .hasMessage("--user needs at least one id");
    }
}
