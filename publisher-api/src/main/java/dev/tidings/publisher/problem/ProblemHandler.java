package dev.tidings.publisher.problem;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

/**
 * Every error of the publisher API's controllers as {@code application/problem+json}: Spring
 * WebFlux's own (415, 405, …) through {@link ResponseEntityExceptionHandler}, ours as
 * {@link Problems} builds them; {@link FilterProblemHandler} answers those raised before a
 * controller. Malformed JSON is a 400; well-formed JSON with a wrongly typed member is a 422 naming
 * it; a body cut off at {@code tidings.publisher.max-body-bytes} while being read is a 413.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<ProblemDetail> handle(ProblemException ex) {
        ProblemDetail problem = ex.problem();
        if (problem.getStatus() >= 500) {
            log.warn("Publish failed: {}", ex.getMessage());
        }
        return respond(problem);
    }

    @ExceptionHandler(BodyTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(BodyTooLargeException ex) {
        return respond(ex.problem());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception ex) {
        log.error("Unexpected error", ex);
        return respond(Problems.of(ex));
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        ProblemDetail problem = Problems.unreadableBody(ex);
        return Mono.just(ResponseEntity.status(problem.getStatus()).body(problem));
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).headers(Problems.headers(problem)).body(problem);
    }
}
