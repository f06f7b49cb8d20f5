package dev.tidings.publisher.problem;

import java.io.IOException;

import org.jspecify.annotations.Nullable;
import org.springframework.http.ProblemDetail;

/**
 * A request body longer than {@code tidings.publisher.max-body-bytes}, found while it was being
 * read (a chunked body, or one longer than its {@code Content-Length} said). An {@link IOException}
 * because it fails the body's stream of buffers; a decoder may wrap it, and {@link Problems#of(Throwable)}
 * finds it with {@link #in(Throwable)} to answer 413.
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

    /** The 413 that answers it. */
    public ProblemDetail problem() {
        return Problems.of(ProblemType.TOO_LARGE, getMessage());
    }
}
