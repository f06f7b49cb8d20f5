package dev.tidings.schema;

/**
 * Record keys: a record's key names its single target ({@code broadcast}, {@code user:<id>},
 * {@code group:<id>}) so that Kafka keeps notifications to one target in order.
 */
public final class RoutingKeys {

    /** Key of broadcast records. */
    public static final String BROADCAST = "broadcast";

    private RoutingKeys() {
    }

    /** Key of a record addressed to one user. */
    public static String user(String userId) {
        return "user:" + userId;
    }

    /** Key of a record addressed to one group. */
    public static String group(String groupId) {
        return "group:" + groupId;
    }

    /** Key for a target type and one id (ignored for broadcast). */
    public static String of(TargetType type, String id) {
        return switch (type) {
            case BROADCAST -> BROADCAST;
            case USER -> user(id);
            case GROUP -> group(id);
        };
    }
}
