package dev.tidings.publisher.ratelimit;

import dev.tidings.publisher.problem.ProblemException;
import dev.tidings.publisher.problem.ProblemType;
import dev.tidings.publisher.problem.Problems;
import org.springframework.http.ProblemDetail;

/**
 * A caller over its publish rate limit: a 429 problem whose {@code Retry-After} is the caller's
 * own wait until its next token.
 */
public class RateLimitExceededException extends ProblemException {

    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;

    /** {@code retryAfterSeconds}: until the caller's next request can be accepted, at least 1. */
    RateLimitExceededException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public ProblemDetail problem() {
        return Problems.retryAfter(Problems.of(ProblemType.TOO_MANY_REQUESTS, getMessage()), retryAfterSeconds);
    }
}
