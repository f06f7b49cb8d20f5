package dev.tidings.publisher.publish;

import java.util.List;

/**
 * The fixed rules of a publish request's fields (the configurable limits are in
 * {@link dev.tidings.publisher.config.PublisherProperties}). {@link NotificationValidator} enforces
 * them and the OpenAPI document states them, both from these constants.
 */
public final class PublishLimits {

    /** Longest caller-given notification id, in characters. */
    public static final int MAX_ID_LENGTH = 128;

    /** Longest event name, in characters. */
    public static final int MAX_EVENT_LENGTH = 128;

    /** Longest user or group id, in characters. */
    public static final int MAX_TARGET_ID_LENGTH = 256;

    /** Most user or group ids one notification names. */
    public static final int MAX_TARGET_IDS = 1000;

    /** What a whole caller-given notification id matches: printable ASCII without spaces. */
    public static final String ID_PATTERN = "[\\x21-\\x7E]+";

    /** What a whole event name matches: a letter or digit, then letters, digits and {@code . _ : / -}. */
    public static final String EVENT_PATTERN = "[A-Za-z0-9][A-Za-z0-9._:/-]*";

    /** The target types a request may name (in any case), one per {@link dev.tidings.schema.TargetType}. */
    public static final List<String> TARGET_TYPES = List.of("broadcast", "user", "group");

    private PublishLimits() {
    }
}
