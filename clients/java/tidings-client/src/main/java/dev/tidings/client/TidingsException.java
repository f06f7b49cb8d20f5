package dev.tidings.client;

import org.jspecify.annotations.Nullable;

/**
 * A notification (or batch) the client could not get acknowledged: the publisher answered with a
 * problem ({@link TidingsProblemException}), or did not answer ({@link TidingsUnreachableException}).
 * Thrown after the retries the client's {@link RetryPolicy} allows.
 */
public abstract sealed class TidingsException extends RuntimeException
        permits TidingsProblemException, TidingsUnreachableException {

    private static final long serialVersionUID = 1L;

    TidingsException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /**
     * The id to retry the notification with so that it is written at most once, when a retry could
     * still succeed and the failure concerns one notification; {@code null} otherwise.
     */
    public abstract @Nullable String id();

    /** Whether the client would have retried this failure had its retry policy allowed more. */
    public abstract boolean retryable();
}
