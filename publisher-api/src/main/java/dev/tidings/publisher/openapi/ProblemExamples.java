package dev.tidings.publisher.openapi;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.tidings.publisher.config.PublisherProperties;
import dev.tidings.publisher.problem.InvalidFieldException;
import dev.tidings.publisher.problem.PayloadTooLargeException;
import dev.tidings.publisher.problem.ProblemType;
import dev.tidings.publisher.problem.Problems;
import dev.tidings.publisher.publish.IdempotencyConflictException;
import dev.tidings.publisher.publish.KafkaUnavailableException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ProblemDetail;

/**
 * Example problem bodies, one per error status of the API, built by the same code that builds the
 * live ones ({@link Problems}), so that their {@code type}, {@code title}, {@code status} and extra
 * members cannot drift from what the service sends; {@code OpenApiDocumentIT} checks the details
 * written here against live responses.
 */
final class ProblemExamples {

    private final PublisherProperties properties;

    ProblemExamples(PublisherProperties properties) {
        this.properties = properties;
    }

    /** 400: the body is not JSON. */
    Map<String, Object> malformed(String path) {
        return json(Problems.malformed(), path);
    }

    /** 401: no token, or one that does not verify. */
    Map<String, Object> unauthorized(String path) {
        return json(Problems.of(ProblemType.UNAUTHORIZED, "missing Authorization: Bearer token"), path);
    }

    /** 403: a valid token without the scope the operation needs. */
    Map<String, Object> forbidden(String path, String scope) {
        return json(Problems.of(ProblemType.FORBIDDEN, "token lacks scope " + scope), path);
    }

    /** 413: the payload (or a batch) is over its limit. */
    Map<String, Object> payloadTooLarge(String path) {
        int limit = properties.maxPayloadBytes();
        return json(Problems.of(new PayloadTooLargeException("payload is " + (limit + 1) + " bytes; the limit is "
                + limit + " (tidings.publisher.max-payload-bytes)")), path);
    }

    /** 413: a batch with more items than allowed. */
    Map<String, Object> batchTooLarge(String path) {
        int limit = properties.maxBatchSize();
        return json(Problems.of(new PayloadTooLargeException("a batch holds at most " + limit
                + " notifications (tidings.publisher.max-batch-size); this one has " + (limit + 1))), path);
    }

    /**
     * 415: Spring MVC's own problem for a body that is not {@code application/json}. Its type is
     * {@code about:blank}, which Spring leaves out of the body (RFC 9457 allows that).
     */
    Map<String, Object> unsupportedMediaType(String path) {
        return problem(null, "Unsupported Media Type", 415,
                "Content-Type 'text/plain;charset=UTF-8' is not supported.", path);
    }

    /** 422: a missing or invalid field, named by its JSON path in {@code field}. */
    Map<String, Object> invalidField(String path, String field, String message) {
        return json(Problems.of(new InvalidFieldException(field, message)), path);
    }

    /**
     * 429: a caller over its publish rate limit, in the words of the publisher's rate limiter, with
     * {@code retryAfterSeconds} equal to the {@code Retry-After} header.
     */
    Map<String, Object> tooManyRequests(String path) {
        return json(Problems.retryAfter(Problems.of(ProblemType.TOO_MANY_REQUESTS,
                "caller grades-service is over its publish rate limit of " + properties.rateLimitPerSecond()
                        + " records per second (burst " + properties.rateLimitBurst()
                        + "; tidings.publisher.rate-limit-per-second and tidings.publisher.rate-limit-burst raise it); "
                        + "this request writes 1 records; retry after 1 s"), 1), path);
    }

    /** 409: the caller re-used its id for a different notification. */
    Map<String, Object> idempotencyConflict(String path) {
        return json(Problems.of(new IdempotencyConflictException("maintenance-2026-11-25",
                "id maintenance-2026-11-25 was already used by caller grades-service for a different notification "
                        + "within tidings.publisher.dedupe-window (" + properties.dedupeWindow()
                        + "); nothing was written for this request: use a new id")), path);
    }

    /** 413: a request body over {@code tidings.publisher.max-body-bytes}, refused before it is read. */
    Map<String, Object> bodyTooLarge(String path) {
        long limit = properties.maxBodyBytes();
        return json(Problems.of(new PayloadTooLargeException("the request body is " + (limit + 1)
                + " bytes; the limit is " + limit + " (tidings.publisher.max-body-bytes)")), path);
    }

    /** 503: Kafka did not acknowledge in time; nothing was written. */
    Map<String, Object> kafkaUnavailable(String path) {
        Duration timeout = properties.sendTimeout();
        return json(Problems.of(new KafkaUnavailableException("Kafka did not acknowledge within "
                + timeout.toMillis() + " ms", new IllegalStateException("timeout"))
                .withId("7f9c2b1e-5d0a-4a57-9a8e-1c2d3e4f5a6b")), path);
    }

    /** A problem as an item of a batch response (no {@code instance}: only a whole response has one). */
    Map<String, Object> batchItem(String field, String message) {
        return json(Problems.of(new InvalidFieldException(field, message)), null);
    }

    /** A 503 as an item of a batch response. */
    Map<String, Object> batchItemKafkaUnavailable() {
        Map<String, Object> problem = kafkaUnavailable("");
        problem.remove("instance");
        return problem;
    }

    private static Map<String, Object> json(ProblemDetail detail, @Nullable String instance) {
        Map<String, Object> problem = problem(String.valueOf(detail.getType()), detail.getTitle(),
                detail.getStatus(), detail.getDetail(), instance);
        if (detail.getProperties() != null) {
            problem.putAll(detail.getProperties());
        }
        return problem;
    }

    private static Map<String, Object> problem(@Nullable String type, @Nullable String title, int status,
            @Nullable String detail, @Nullable String instance) {
        Map<String, Object> problem = new LinkedHashMap<>();
        if (type != null) {
            problem.put("type", type);
        }
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        if (instance != null) {
            problem.put("instance", instance);
        }
        return problem;
    }
}
