package dev.tidings.publisher.publish;

import java.io.IOException;

import org.jspecify.annotations.Nullable;

/**
 * A request body longer than {@code tidings.publisher.max-body-bytes}, found while it was being
 * read (a chunked body, or one longer than its {@code Content-Length} said). An {@link IOException}
 * because it fails the body's stream of buffers; a decoder may wrap it, and the problem handlers
 * find it with {@link #in(Throwable)} to answer 413.
 */
public class BodyTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    public BodyTooLargeException(long limit) {
        super("the request body is over " + limit + " bytes (tidings.publisher.max-body-bytes)");
    }

    /** The body-too-large exception in the cause chain of {@code failure}, or {@code null}. */
    public static @Nullable BodyTooLargeException in(@Nullable Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BodyTooLargeException tooLarge) {
                return tooLarge;
            }
        }
        return null;
    }
}
