package dev.tidings.publisher.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import dev.tidings.publisher.problem.InvalidFieldException;
import dev.tidings.schema.Notification;
import dev.tidings.schema.Target;
import dev.tidings.schema.TargetType;
import org.junit.jupiter.api.Test;

class ReplayFilterTest {

    @Test
    void aTargetedReplaySelectsRecordsToAnyOfItsIdsOfThatTypeOnly() {
        ReplayFilter filter = ReplayFilter.of(request(new ReplayRequest.TargetFilter("group", List.of("a", "b")), null));

        assertThat(filter.matches(record(TargetType.GROUP, "b", "e", null))).isTrue();
        assertThat(filter.matches(record(TargetType.GROUP, "c", "e", null))).isFalse();
        assertThat(filter.matches(record(TargetType.USER, "a", "e", null))).as("a user named like the group")
                .isFalse();
    }

    @Test
    void aTypeWithoutIdsSelectsEveryRecordOfThatType() {
        ReplayFilter filter = ReplayFilter.of(request(new ReplayRequest.TargetFilter("USER", null), null));

        assertThat(filter.matches(record(TargetType.USER, "anyone", "e", null))).isTrue();
        assertThat(filter.matches(record(TargetType.BROADCAST, null, "e", null))).isFalse();
    }

    @Test
    void anEventNarrowsTheSelectionAndAReplayIsNeverReplayedAgain() {
        ReplayFilter filter = ReplayFilter.of(request(null, "grade.published"));

        assertThat(filter.matches(record(TargetType.USER, "u", "grade.published", null))).isTrue();
        assertThat(filter.matches(record(TargetType.USER, "u", "other", null))).isFalse();
        assertThat(filter.matches(record(TargetType.USER, "u", "grade.published", "0:17"))).isFalse();
    }

    @Test
    void aTargetWithoutAKnownTypeIsRefusedNamingTheField() {
        assertThatThrownBy(() -> ReplayFilter.of(request(new ReplayRequest.TargetFilter("team", List.of("x")), null)))
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("target.type");
        assertThatThrownBy(() -> ReplayFilter.of(request(new ReplayRequest.TargetFilter(null, List.of("x")), null)))
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("target.type");
    }

    private static ReplayRequest request(ReplayRequest.TargetFilter target, String event) {
        return new ReplayRequest(Instant.EPOCH, null, target, event, true, null);
    }

    private static Notification record(TargetType type, String id, String event, String replayOf) {
        return Notification.newBuilder().setId("n").setEvent(event)
                .setTarget(new Target(type, id == null ? List.of() : List.of(id))).setPayload("{}")
                .setPublishedAt(Instant.EPOCH).setExpiresAt(null).setSource("svc").setReplayOf(replayOf).build();
    }
}
