package dev.tidings.schema;

/** Names of the Kafka topics Tidings writes and reads. */
public final class Topics {

    /** Every notification, keyed by routing key. */
    public static final String NOTIFICATIONS = "tidings.notifications";

    /** Records of {@link #NOTIFICATIONS} that could not be delivered, with the reason in headers. */
    public static final String DEAD_LETTERS = TopicLayout.deadLettersOf(NOTIFICATIONS);

    private Topics() {
    }
}
