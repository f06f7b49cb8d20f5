package dev.tidings.publisher.publish;

import java.util.List;

import dev.tidings.schema.NotificationRules;

/**
 * What the publish request's form adds to the rules of every notification record
 * ({@link NotificationRules}: lengths, id and event syntax, target ids), which {@link NotificationValidator}
 * enforces and the OpenAPI document states, both from these constants and those.
 */
public final class PublishLimits {

    /** The target types a request may name (in any case), one per {@link dev.tidings.schema.TargetType}. */
    public static final List<String> TARGET_TYPES = List.of("broadcast", "user", "group");

    private PublishLimits() {
    }
}
