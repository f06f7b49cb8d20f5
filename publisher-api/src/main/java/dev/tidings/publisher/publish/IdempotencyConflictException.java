package dev.tidings.publisher.publish;

import dev.tidings.publisher.problem.ProblemException;
import dev.tidings.publisher.problem.ProblemType;
import dev.tidings.publisher.problem.Problems;
import org.springframework.http.ProblemDetail;

/**
 * The caller already used this notification id, within the dedupe window, for a request with a
 * different body (409): nothing was written for this one. The problem names the {@code id}.
 */
public class IdempotencyConflictException extends ProblemException {

    private static final long serialVersionUID = 1L;

    private final String id;

    public IdempotencyConflictException(String id, String message) {
        super(message);
        this.id = id;
    }

    @Override
    public ProblemDetail problem() {
        ProblemDetail problem = Problems.of(ProblemType.IDEMPOTENCY_CONFLICT, getMessage());
        problem.setProperty("id", id);
        return problem;
    }
}
