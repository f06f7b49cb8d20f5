package dev.tidings.publisher.publish;

import org.jspecify.annotations.Nullable;

/**
 * Kafka did not acknowledge a record in time, or the publisher would have had to wait for it to
 * take one (503). It may still be written: the problem names the {@link #id()} a retry must use
 * so that it is written at most once.
 */
public class KafkaUnavailableException extends RuntimeException {

    private final @Nullable String id;

    public KafkaUnavailableException(String message, @Nullable Throwable cause) {
        this(message, cause, null);
    }

    KafkaUnavailableException(String message, @Nullable Throwable cause, @Nullable String id) {
        super(message, cause);
        this.id = id;
    }

    /** The notification id to retry with, when the failure concerns one notification. */
    public @Nullable String id() {
        return id;
    }

    /** This failure, naming {@code id} as the one to retry with (this one if it names one already). */
    public KafkaUnavailableException withId(String id) {
        return this.id != null ? this : new KafkaUnavailableException(getMessage(), getCause(), id);
    }
}
