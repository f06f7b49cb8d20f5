package dev.tidings.publisher.publish;

import java.net.URI;
import java.util.Map;

import dev.tidings.publisher.auth.AuthenticationException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** The one place that turns a publishing failure into an RFC 9457 problem. */
public final class Problems {

    /** Seconds a client should wait before retrying after a 503 or 429. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private Problems() {
    }

    /**
     * The problem for an exception; a body cut off at the size limit is a 413 wherever it is wrapped;
     * unknown exceptions become a 500 without internals.
     */
    public static ProblemDetail of(Throwable ex) {
        if (ex instanceof InvalidFieldException invalid) {
            ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-field", "Invalid field",
                    invalid.getMessage());
            problem.setProperty("field", invalid.field());
            return problem;
        }
        String tooLarge = tooLarge(ex);
        if (tooLarge != null) {
            return problem(HttpStatus.CONTENT_TOO_LARGE, "too-large", "Too large", tooLarge);
        }
        if (ex instanceof KafkaUnavailableException unavailable) {
            String id = unavailable.id();
            ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "kafka-unavailable",
                    "Kafka unavailable", ex.getMessage() + "; nothing was acknowledged, but it may still be written: "
                            + (id == null ? "retry later" : "retry with \"id\":\"" + id + "\" so that it is written once"));
            problem.setProperty("retryAfterSeconds", RETRY_AFTER_SECONDS);
            if (id != null) {
                problem.setProperty("id", id);
            }
            return problem;
        }
        if (ex instanceof IdempotencyConflictException conflict) {
            ProblemDetail problem = problem(HttpStatus.CONFLICT, "idempotency-conflict", "Idempotency key conflict",
                    conflict.getMessage());
            problem.setProperty("id", conflict.id());
            return problem;
        }
        if (ex instanceof AuthenticationException auth) {
            return auth.forbidden()
                    ? problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", auth.getMessage())
                    : problem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", auth.getMessage());
        }
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                "unexpected error; see the publisher's log");
    }

    /** What was over its limit, if the exception says something was: a payload, a batch, or a body however wrapped. */
    private static @Nullable String tooLarge(Throwable ex) {
        if (ex instanceof PayloadTooLargeException) {
            return ex.getMessage();
        }
        BodyTooLargeException body = BodyTooLargeException.in(ex);
        return body == null ? null : body.getMessage();
    }

    static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("https://tidings.dev/problems/" + type));
        problem.setTitle(title);
        return problem;
    }

    /** Extra headers a problem's response needs ({@code Retry-After}, {@code WWW-Authenticate}). */
    public static Map<String, String> headers(ProblemDetail problem) {
        return switch (problem.getStatus()) {
            case 503, 429 -> Map.of("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
            case 401 -> Map.of("WWW-Authenticate", "Bearer");
            default -> Map.of();
        };
    }
}
