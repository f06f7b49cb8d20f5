package dev.tidings.publisher.publish;

import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Body of {@code POST /api/v1/notifications}, as sent; {@link NotificationValidator} checks it.
 *
 * @param id optional client-chosen id (idempotency key)
 * @param target who receives it
 * @param event event name
 * @param payload any JSON object
 * @param ttlSeconds optional time to live
 */
public record PublishRequest(@Nullable String id, @Nullable TargetRequest target, @Nullable String event,
        @Nullable JsonNode payload, @Nullable Long ttlSeconds) {

    /**
     * The {@code target} member.
     *
     * @param type {@code broadcast}, {@code user} or {@code group}
     * @param ids user or group ids (none for broadcast)
     */
    public record TargetRequest(@Nullable String type, @Nullable List<@Nullable String> ids) {
    }
}
