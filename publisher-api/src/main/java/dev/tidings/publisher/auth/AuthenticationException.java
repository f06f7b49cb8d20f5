package dev.tidings.publisher.auth;

import dev.tidings.publisher.problem.ProblemException;
import dev.tidings.publisher.problem.ProblemType;
import dev.tidings.publisher.problem.Problems;
import org.springframework.http.ProblemDetail;

/** No usable bearer token (401) or a token without the needed scope (403). */
public class AuthenticationException extends ProblemException {

    private static final long serialVersionUID = 1L;

    private final boolean forbidden;

    /** {@code forbidden}: a valid token lacking the scope (403), not a missing or bad token (401). */
    AuthenticationException(String message, boolean forbidden) {
        super(message);
        this.forbidden = forbidden;
    }

    @Override
    public ProblemDetail problem() {
        return Problems.of(forbidden ? ProblemType.FORBIDDEN : ProblemType.UNAUTHORIZED, getMessage());
    }
}
