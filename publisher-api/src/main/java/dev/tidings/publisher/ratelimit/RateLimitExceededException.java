package dev.tidings.publisher.ratelimit;

import java.net.URI;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;

/**
 * A caller over its publish rate limit: a 429 problem whose {@code Retry-After} is the caller's
 * own wait until its next token.
 */
public class RateLimitExceededException extends RuntimeException implements ErrorResponse {

    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;
    private final ProblemDetail problem;

    RateLimitExceededException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
        this.problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, message);
        problem.setType(URI.create("https://tidings.dev/problems/too-many-requests"));
        problem.setTitle("Too many requests");
        problem.setProperty("retryAfterSeconds", retryAfterSeconds);
    }

    /** Seconds until the caller's next request can be accepted, at least 1. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    @Override
    public HttpStatusCode getStatusCode() {
        return HttpStatus.TOO_MANY_REQUESTS;
    }

    @Override
    public HttpHeaders getHeaders() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
        return headers;
    }

    @Override
    public ProblemDetail getBody() {
        return problem;
    }
}
