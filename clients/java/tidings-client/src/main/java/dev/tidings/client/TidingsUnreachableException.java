package dev.tidings.client;

import org.jspecify.annotations.Nullable;

/**
 * No answer came from the publisher: the connection was refused or lost, or the answer did not
 * come within the request timeout. Nothing is known to be acknowledged, but it may have been
 * written: retry with {@link #id()} and it is written once.
 */
public final class TidingsUnreachableException extends TidingsException {

    private static final long serialVersionUID = 1L;

    private final @Nullable String id;

    /**
     * A failure to reach the publisher.
     *
     * @param message what was tried and what happened
     * @param id the id of the notification the request sent, when it sent one
     * @param cause the I/O failure
     */
    public TidingsUnreachableException(String message, @Nullable String id, @Nullable Throwable cause) {
        super(message, cause);
        this.id = id;
    }

    @Override
    public @Nullable String id() {
        return id;
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
