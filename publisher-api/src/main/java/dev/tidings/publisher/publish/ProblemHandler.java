package dev.tidings.publisher.publish;

import dev.tidings.publisher.auth.AuthenticationException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.databind.DatabindException;

/**
 * Every error of the publisher API as {@code application/problem+json}: Spring MVC's own
 * (415, 405, …) through {@link ResponseEntityExceptionHandler}, ours through {@link Problems}.
 * Malformed JSON is a 400; well-formed JSON with a wrongly typed member is a 422 naming it; a body
 * cut off at {@code tidings.publisher.max-body-bytes} while being read is a 413.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler({InvalidFieldException.class, PayloadTooLargeException.class,
            KafkaUnavailableException.class, AuthenticationException.class})
    ResponseEntity<ProblemDetail> handle(RuntimeException ex) {
        if (ex instanceof KafkaUnavailableException) {
            log.warn("Publish failed: {}", ex.getMessage());
        }
        return respond(Problems.of(ex));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception ex) {
        log.error("Unexpected error", ex);
        return respond(Problems.of(ex));
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Throwable cause = ex.getMostSpecificCause();
        ProblemDetail problem;
        BodyTooLargeException tooLarge = BodyTooLargeException.in(ex);
        if (tooLarge != null) {
            problem = Problems.of(new PayloadTooLargeException(tooLarge.getMessage()));
        }
        else if (cause instanceof DatabindException bind && !bind.getPath().isEmpty()) {
            String field = path(bind);
            problem = Problems.of(new InvalidFieldException(field, "has the wrong type"));
        }
        else {
            problem = Problems.problem(HttpStatus.BAD_REQUEST, "malformed", "Malformed request",
                    "the body is not well-formed JSON");
        }
        return ResponseEntity.status(problem.getStatus()).body(problem);
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
