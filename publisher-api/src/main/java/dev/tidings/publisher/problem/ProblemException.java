package dev.tidings.publisher.problem;

import org.jspecify.annotations.Nullable;
import org.springframework.http.ProblemDetail;

/**
 * A failure the API answers with a problem of its own, built with {@link Problems}. Wherever it is
 * raised, before a controller or in one, or as one item of a batch, the answer is
 * {@link #problem()}.
 */
public abstract class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    protected ProblemException(String message) {
        super(message);
    }

    protected ProblemException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /** The problem that answers this failure, a new one on every call (a handler may add its {@code instance}). */
    public abstract ProblemDetail problem();
}
