package dev.tidings.schema;

/** Names of the Kafka topics Tidings writes and reads. */
public final class Topics {

    /** Every notification, keyed by routing key. */
    public static final String NOTIFICATIONS = "tidings.notifications";

    /** Records that could not be decoded, with the reason in headers. */
    public static final String DEAD_LETTERS = "tidings.notifications.dlq";

    private Topics() {
    }
}
