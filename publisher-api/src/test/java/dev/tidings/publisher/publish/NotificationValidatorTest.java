package dev.tidings.publisher.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

import dev.tidings.schema.NotificationRules;
import dev.tidings.publisher.config.TestProperties;
import dev.tidings.publisher.problem.InvalidFieldException;
import dev.tidings.schema.TargetType;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The validator enforces exactly the rules {@link PublishLimits} states, which the OpenAPI document publishes. */
class NotificationValidatorTest {

    final JsonMapper json = JsonMapper.builder().build();
    final NotificationValidator validator = new NotificationValidator(TestProperties.publisher(), json);

    @Test
    void anIdOfTheLongestLengthIsAcceptedAndOneCharacterLongerIsRejected() {
        assertAcceptedUpTo(NotificationRules.MAX_ID_LENGTH, "id", length -> request("i".repeat(length), "e", "a"));
    }

    @Test
    void anEventOfTheLongestLengthIsAcceptedAndOneCharacterLongerIsRejected() {
        assertAcceptedUpTo(NotificationRules.MAX_EVENT_LENGTH, "event", length -> request(null, "e".repeat(length), "a"));
    }

    @Test
    void aTargetIdOfTheLongestLengthIsAcceptedAndOneCharacterLongerIsRejected() {
        assertAcceptedUpTo(NotificationRules.MAX_TARGET_ID_LENGTH, "target.ids[0]",
                length -> request(null, "e", "u".repeat(length)));
    }

    @Test
    void theMostTargetIdsAreAcceptedAndOneMoreIsRejected() {
        assertAcceptedUpTo(NotificationRules.MAX_TARGET_IDS, "target.ids", count -> {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ids.add("user-" + i);
            }
            return new PublishRequest(null, new PublishRequest.TargetRequest("user", ids), "e", json.readTree("{}"),
                    null);
        });
    }

    @Test
    void anIdOrEventIsAcceptedExactlyWhenItsWholeValueMatchesItsPattern() {
        for (String value : List.of("a", "grade.published", "a/b:c-d_e", "0", "-lead", ".x", "with space", "tab\t",
                "ünïcode", "semi;colon", "!bang", "quote\"", "~tilde")) {
            assertThat(accepts(request(value, "e", "a")))
                    .as("id %s", value).isEqualTo(Pattern.matches(NotificationRules.ID_PATTERN, value));
            assertThat(accepts(request(null, value, "a")))
                    .as("event %s", value).isEqualTo(Pattern.matches(NotificationRules.EVENT_PATTERN, value));
        }
    }

    @Test
    void everyTargetTypeOfTheRecordIsNamedInTheRulesAndAcceptedInAnyCase() {
        assertThat(PublishLimits.TARGET_TYPES).containsExactlyElementsOf(Arrays.stream(TargetType.values())
                .map(type -> type.name().toLowerCase(Locale.ROOT)).toList());
        for (TargetType type : TargetType.values()) {
            List<String> ids = type == TargetType.BROADCAST ? null : List.of("a");
            ValidNotification valid = validator.validate(new PublishRequest(null,
                    new PublishRequest.TargetRequest(type.name(), ids), "e", json.readTree("{}"), null), "");
            assertThat(valid.targetType()).isEqualTo(type);
        }
        assertThatThrownBy(() -> validator.validate(new PublishRequest(null,
                new PublishRequest.TargetRequest("room", List.of("a")), "e", json.readTree("{}"), null), ""))
                .hasMessage("target.type: must be one of broadcast, user, group");
    }

    private void assertAcceptedUpTo(int limit, String field, Function<Integer, PublishRequest> sized) {
        assertThat(accepts(sized.apply(limit))).as("%s at %d", field, limit).isTrue();
        assertThatThrownBy(() -> validator.validate(sized.apply(limit + 1), ""))
                .isInstanceOfSatisfying(InvalidFieldException.class, ex -> assertThat(ex.field()).isEqualTo(field))
                .hasMessageContaining(String.valueOf(limit));
    }

    private boolean accepts(PublishRequest request) {
        try {
            validator.validate(request, "");
            return true;
        }
        catch (InvalidFieldException ex) {
            return false;
        }
    }

    private PublishRequest request(@Nullable String id, String event, String user) {
        return new PublishRequest(id, new PublishRequest.TargetRequest("user", List.of(user)), event,
                json.readTree("{}"), null);
    }
}
