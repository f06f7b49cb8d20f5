package dev.tidings.publisher.ratelimit;

/** A caller over its publish rate limit (429); carries the {@code Retry-After} seconds. */
public class RateLimitExceededException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;

    RateLimitExceededException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Seconds until the caller's next request can be accepted, at least 1. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
