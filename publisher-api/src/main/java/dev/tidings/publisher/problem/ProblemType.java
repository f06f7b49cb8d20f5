package dev.tidings.publisher.problem;

import java.net.URI;

import org.springframework.http.HttpStatus;

/**
 * Every kind of problem the publisher API answers with: its status, its {@code type} URI
 * ({@code https://tidings.dev/problems/<slug>}) and its title. Clients may switch on the type, so
 * each is fixed here and nowhere else. Spring's own problems (405, 415, …) have no type of ours.
 */
public enum ProblemType {

    /** The body is not well-formed JSON. */
    MALFORMED(HttpStatus.BAD_REQUEST, "malformed", "Malformed request"),

    /** No bearer token, or one that does not verify. */
    UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized"),

    /** A valid token without the scope the operation needs. */
    FORBIDDEN(HttpStatus.FORBIDDEN, "forbidden", "Forbidden"),

    /** A caller's notification id reused for a different notification within the dedupe window. */
    IDEMPOTENCY_CONFLICT(HttpStatus.CONFLICT, "idempotency-conflict", "Idempotency key conflict"),

    /** A payload, body, batch or request over its limit. */
    TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "too-large", "Too large"),

    /** A missing or invalid field, named by its JSON path. */
    INVALID_FIELD(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-field", "Invalid field"),

    /** A caller over its publish rate limit. */
    TOO_MANY_REQUESTS(HttpStatus.TOO_MANY_REQUESTS, "too-many-requests", "Too many requests"),

    /** Anything unexpected; the detail shows no internals. */
    INTERNAL(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error"),

    /** Kafka did not acknowledge, or the publisher would have had to wait for it. */
    KAFKA_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "kafka-unavailable", "Kafka unavailable");

    private static final String BASE = "https://tidings.dev/problems/";

    private final HttpStatus status;
    private final URI type;
    private final String title;

    ProblemType(HttpStatus status, String slug, String title) {
        this.status = status;
        this.type = URI.create(BASE + slug);
        this.title = title;
    }

    /** The HTTP status a problem of this kind is answered with. */
    public HttpStatus status() {
        return status;
    }

    /** The problem's {@code type} member. */
    public URI type() {
        return type;
    }

    /** The problem's {@code title} member: short, the same for every problem of this kind. */
    public String title() {
        return title;
    }
}
