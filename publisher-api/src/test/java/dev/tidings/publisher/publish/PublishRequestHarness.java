package dev.tidings.publisher.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;

import dev.tidings.schema.NotificationRules;
import dev.tidings.publisher.config.PublisherProperties;
import dev.tidings.publisher.config.TestProperties;
import dev.tidings.publisher.problem.InvalidFieldException;
import dev.tidings.publisher.problem.PayloadTooLargeException;
import dev.tidings.schema.TargetType;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The publish endpoints' parsing path without HTTP: Jackson binds the body to
 * {@link PublishRequest} (or {@link BatchRequest}) as Spring MVC would, then
 * {@link NotificationValidator} checks it. The only acceptable failures are the ones the API
 * maps to 400, 413 and 422; any other exception would be a 500. What passes must satisfy every
 * rule the validator promises.
 */
final class PublishRequestHarness {

    /** What became of a body. */
    enum Outcome { MALFORMED, INVALID, TOO_LARGE, ACCEPTED }

    static final PublisherProperties PROPERTIES = TestProperties.publisher("max-payload-bytes", "1024");
    static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    static final NotificationValidator VALIDATOR = new NotificationValidator(PROPERTIES, JSON);

    private PublishRequestHarness() {
    }

    /** A single publish body. */
    static Outcome publish(String body) {
        PublishRequest request;
        try {
            request = JSON.readValue(body, PublishRequest.class);
        }
        catch (JacksonException ex) {
            return Outcome.MALFORMED;
        }
        if (request == null) {
            return Outcome.MALFORMED; // Spring MVC: "Required request body is missing", a 400
        }
        return validate(request, "");
    }

    /** A batch body: every item validated with its own prefix, as the controller does. */
    static void batch(String body) {
        BatchRequest request;
        try {
            request = JSON.readValue(body, BatchRequest.class);
        }
        catch (JacksonException ex) {
            return;
        }
        if (request == null || request.notifications() == null) {
            return;
        }
        for (int i = 0; i < request.notifications().size(); i++) {
            PublishRequest item = request.notifications().get(i);
            if (item != null) {
                validate(item, "notifications[" + i + "].");
            }
        }
    }

    private static Outcome validate(PublishRequest request, String prefix) {
        ValidNotification valid;
        try {
            valid = VALIDATOR.validate(request, prefix);
        }
        catch (InvalidFieldException ex) {
            assertThat(ex.field()).startsWith(prefix).hasSizeGreaterThan(prefix.length());
            return Outcome.INVALID;
        }
        catch (PayloadTooLargeException ex) {
            assertThat(ex.getMessage()).contains("tidings.publisher.max-payload-bytes");
            return Outcome.TOO_LARGE;
        }
        assertValid(valid);
        return Outcome.ACCEPTED;
    }

    private static void assertValid(ValidNotification valid) {
        if (valid.id() != null) {
            assertThat(valid.id()).hasSizeBetween(1, NotificationRules.MAX_ID_LENGTH).matches(NotificationRules.ID_PATTERN);
        }
        assertThat(valid.event()).hasSizeBetween(1, NotificationRules.MAX_EVENT_LENGTH)
                .matches(NotificationRules.EVENT_PATTERN);
        if (valid.targetType() == TargetType.BROADCAST) {
            assertThat(valid.targetIds()).isEmpty();
        }
        else {
            assertThat(valid.targetIds()).isNotEmpty().hasSizeLessThanOrEqualTo(NotificationRules.MAX_TARGET_IDS)
                    .doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).isNotBlank()
                            .hasSizeLessThanOrEqualTo(NotificationRules.MAX_TARGET_ID_LENGTH));
            assertThat(new HashSet<>(valid.targetIds())).hasSameSizeAs(valid.targetIds());
        }
        assertThat(valid.payloadJson().getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(PROPERTIES.maxPayloadBytes());
        JsonNode payload = JSON.readTree(valid.payloadJson());
        assertThat(payload.isObject()).as("payload %s is an object", valid.payloadJson()).isTrue();
        if (valid.ttl() != null) {
            assertThat(valid.ttl().toSeconds()).isBetween(1L, PROPERTIES.maxTtl().toSeconds());
        }
    }
}
