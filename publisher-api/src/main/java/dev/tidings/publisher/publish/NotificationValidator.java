package dev.tidings.publisher.publish;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.tidings.publisher.config.PublisherProperties;
import dev.tidings.publisher.problem.InvalidFieldException;
import dev.tidings.publisher.problem.PayloadTooLargeException;
import dev.tidings.schema.NotificationRules;
import dev.tidings.schema.TargetType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Checks a {@link PublishRequest} field by field against {@link NotificationRules}, {@link PublishLimits} and the configured
 * limits; the first problem is reported with its JSON path ({@code prefix} lets batch items say
 * {@code notifications[3].event}).
 */
@Component
class NotificationValidator {

    private final PublisherProperties properties;
    private final ObjectMapper json;

    NotificationValidator(PublisherProperties properties, ObjectMapper json) {
        this.properties = properties;
        this.json = json;
    }

    ValidNotification validate(PublishRequest request, String prefix) {
        String id = request.id();
        String idProblem = id == null ? null : NotificationRules.idProblem(id);
        if (idProblem != null) {
            throw new InvalidFieldException(prefix + "id", idProblem);
        }
        PublishRequest.TargetRequest target = request.target();
        if (target == null) {
            throw new InvalidFieldException(prefix + "target", "is required");
        }
        TargetType type = targetType(target.type(), prefix);
        List<String> ids = targetIds(type, target.ids(), prefix);
        String event = request.event();
        if (event == null || event.isEmpty()) {
            throw new InvalidFieldException(prefix + "event", "is required");
        }
        String eventProblem = NotificationRules.eventProblem(event);
        if (eventProblem != null) {
            throw new InvalidFieldException(prefix + "event", eventProblem);
        }
        JsonNode payload = request.payload();
        if (payload == null || payload.isNull()) {
            throw new InvalidFieldException(prefix + "payload", "is required");
        }
        if (!payload.isObject()) {
            throw new InvalidFieldException(prefix + "payload", "must be a JSON object");
        }
        String payloadJson = json.writeValueAsString(payload);
        int size = payloadJson.getBytes(StandardCharsets.UTF_8).length;
        if (size > properties.maxPayloadBytes()) {
            throw new PayloadTooLargeException(prefix + "payload is " + size + " bytes; the limit is "
                    + properties.maxPayloadBytes() + " (tidings.publisher.max-payload-bytes)");
        }
        Duration ttl = null;
        if (request.ttlSeconds() != null) {
            long seconds = request.ttlSeconds();
            if (seconds < 1 || seconds > properties.maxTtl().toSeconds()) {
                throw new InvalidFieldException(prefix + "ttlSeconds",
                        "must be between 1 and " + properties.maxTtl().toSeconds());
            }
            ttl = Duration.ofSeconds(seconds);
        }
        return new ValidNotification(id, type, ids, event, payloadJson, ttl);
    }

    private static TargetType targetType(String type, String prefix) {
        if (type == null) {
            throw new InvalidFieldException(prefix + "target.type", "is required");
        }
        String name = type.toLowerCase(Locale.ROOT);
        if (!PublishLimits.TARGET_TYPES.contains(name)) {
            throw new InvalidFieldException(prefix + "target.type",
                    "must be one of " + String.join(", ", PublishLimits.TARGET_TYPES));
        }
        return TargetType.valueOf(name.toUpperCase(Locale.ROOT));
    }

    private static List<String> targetIds(TargetType type, List<String> ids, String prefix) {
        if (type == TargetType.BROADCAST) {
            if (ids != null && !ids.isEmpty()) {
                throw new InvalidFieldException(prefix + "target.ids", "must be absent for a broadcast");
            }
            return List.of();
        }
        if (ids == null || ids.isEmpty()) {
            throw new InvalidFieldException(prefix + "target.ids", "must name at least one id");
        }
        if (ids.size() > NotificationRules.MAX_TARGET_IDS) {
            throw new InvalidFieldException(prefix + "target.ids",
                    "must name at most " + NotificationRules.MAX_TARGET_IDS + " ids");
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            String problem = id == null ? NotificationRules.targetIdProblem("") : NotificationRules.targetIdProblem(id);
            if (problem != null) {
                throw new InvalidFieldException(prefix + "target.ids[" + i + "]", problem);
            }
            distinct.add(id);
        }
        return new ArrayList<>(distinct);
    }
}
