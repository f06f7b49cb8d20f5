package dev.tidings.cli.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tidings.cli.workspace.CliException;

class PublishRequestTest {

    @Test
    void writesABroadcastWithoutIdsAndLeavesOutUnsetOptionalFields() {
        PublishRequest request = new PublishRequest(null, PublishRequest.Target.broadcast(), "maintenance",
                PublishRequest.payload("{}"), null);

        assertThat(request.toJson())
                .isEqualTo("{\"target\":{\"type\":\"broadcast\"},\"event\":\"maintenance\",\"payload\":{}}");
    }

    @Test
    void writesEveryFieldInTheContractsOrderForAUserTarget() {
        PublishRequest request = new PublishRequest("n-1", PublishRequest.Target.users(List.of("alice", "bob")),
                "message.received", PublishRequest.payload("{\"from\":\"carol\",\"n\":[1,2]}"), 3600L);

        assertThat(request.toJson()).isEqualTo("{\"id\":\"n-1\",\"target\":{\"type\":\"user\",\"ids\":[\"alice\",\"bob\"]},"
                + "\"event\":\"message.received\",\"payload\":{\"from\":\"carol\",\"n\":[1,2]},\"ttlSeconds\":3600}");
    }

    @Test
    void trimsDeduplicatesAndDropsEmptyGroupIds() {
        PublishRequest.Target target = PublishRequest.Target.groups(List.of(" Class:201901", "Class:201901", "", "Club"));

        assertThat(target.ids()).containsExactly("Class:201901", "Club");
    }

    @Test
    void refusesAUserOrGroupTargetWithoutIds() {
        assertThatThrownBy(() -> PublishRequest.Target.groups(List.of(" ", "")))
                .isInstanceOf(CliException.class)
                .hasMessage("--group needs at least one id");
    }

    @Test
    void refusesAPayloadThatIsNotAJsonObject() {
        assertThatThrownBy(() -> PublishRequest.payload("[1,2]"))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("--payload must be a JSON object");
        assertThatThrownBy(() -> PublishRequest.payload("{\"grade\":"))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("--payload is not valid JSON");
        assertThatThrownBy(() -> PublishRequest.payload(""))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("--payload must be a JSON object");
    }

    @Test
    void refusesANonPositiveTtlABlankIdAndABlankEvent() {
        PublishRequest.Target target = PublishRequest.Target.broadcast();
        var payload = PublishRequest.payload("{}");

        assertThatThrownBy(() -> new PublishRequest(null, target, "e", payload, 0L))
                .hasMessage("--ttl-seconds must be positive, got 0");
        assertThatThrownBy(() -> new PublishRequest(" ", target, "e", payload, null))
                .hasMessage("--id must not be blank");
        assertThatThrownBy(() -> new PublishRequest(null, target, " ", payload, null))
                .hasMessage("--event must not be blank");
    }
}
