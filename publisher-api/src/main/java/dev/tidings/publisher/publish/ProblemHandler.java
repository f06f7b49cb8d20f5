package dev.tidings.publisher.publish;

import dev.tidings.publisher.auth.AuthenticationException;
import dev.tidings.publisher.ratelimit.RateLimitExceededException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.DatabindException;

/**
 * Every error of the publisher API's controllers as {@code application/problem+json}: Spring
 * WebFlux's own (415, 405, …) through {@link ResponseEntityExceptionHandler}, ours through
 * {@link Problems}; {@link FilterProblemHandler} answers those raised before a controller.
 * Malformed JSON is a 400; well-formed JSON with a wrongly typed member is a 422 naming it; a body
 * cut off at {@code tidings.publisher.max-body-bytes} while being read is a 413.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler({InvalidFieldException.class, PayloadTooLargeException.class,
            KafkaUnavailableException.class, AuthenticationException.class, IdempotencyConflictException.class})
    ResponseEntity<ProblemDetail> handle(RuntimeException ex) {
        if (ex instanceof KafkaUnavailableException) {
            log.warn("Publish failed: {}", ex.getMessage());
        }
        return respond(Problems.of(ex));
    }

    @ExceptionHandler(RateLimitExceededException.class)
    ResponseEntity<ProblemDetail> rateLimited(RateLimitExceededException ex) {
        return ResponseEntity.status(ex.getStatusCode()).headers(ex.getHeaders()).body(ex.getBody());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception ex) {
        log.error("Unexpected error", ex);
        return respond(Problems.of(ex));
    }

    @ExceptionHandler(BodyTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(BodyTooLargeException ex) {
        return respond(Problems.of(ex));
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        Throwable cause = ex.getMostSpecificCause();
        ProblemDetail problem;
        if (BodyTooLargeException.in(ex) != null) {
            problem = Problems.of(ex);
        }
        else if (cause instanceof DatabindException bind && !bind.getPath().isEmpty()) {
            String field = path(bind);
            problem = Problems.of(new InvalidFieldException(field, "has the wrong type"));
        }
        else {
            problem = Problems.problem(HttpStatus.BAD_REQUEST, "malformed", "Malformed request",
                    "the body is not well-formed JSON");
        }
        return Mono.just(ResponseEntity.status(problem.getStatus()).body(problem));
    }

    private static String path(DatabindException ex) {
        StringBuilder path = new StringBuilder();
        for (var ref : ex.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            }
            else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(problem.getStatus());
        Problems.headers(problem).forEach(response::header);
        return response.body(problem);
    }
}
