package dev.tidings.publisher.publish;

/**
 * The caller already used this notification id, within the dedupe window, for a request with a
 * different body (409): nothing was written for this one.
 */
public class IdempotencyConflictException extends RuntimeException {

    private final String id;

    public IdempotencyConflictException(String id, String message) {
        super(message);
        this.id = id;
    }

    /** The id that was used twice. */
    public String id() {
        return id;
    }
}
