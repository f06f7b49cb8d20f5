package dev.tidings.publisher.problem;

import org.springframework.http.ProblemDetail;

/** A payload, body, batch or request over its configured limit (413); the message names the limit. */
public class PayloadTooLargeException extends ProblemException {

    private static final long serialVersionUID = 1L;

    public PayloadTooLargeException(String message) {
        super(message);
    }

    @Override
    public ProblemDetail problem() {
        return Problems.of(ProblemType.TOO_LARGE, getMessage());
    }
}
