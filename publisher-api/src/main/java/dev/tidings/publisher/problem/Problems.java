package dev.tidings.publisher.problem;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.DatabindException;

/**
 * The one builder of the API's RFC 9457 problems and of the headers their responses carry. A
 * problem gets its status, type and title from its {@link ProblemType}; a response's
 * {@code Retry-After} is always its problem's {@value #RETRY_AFTER_SECONDS} member, and a 401's
 * {@code WWW-Authenticate} is {@code Bearer}.
 */
public final class Problems {

    /** The member that says how many seconds to wait before retrying, as its response's {@code Retry-After} does. */
    public static final String RETRY_AFTER_SECONDS = "retryAfterSeconds";

    private Problems() {
    }

    /** A problem of this kind with this detail. */
    public static ProblemDetail of(ProblemType type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(type.status(), detail);
        problem.setType(type.type());
        problem.setTitle(type.title());
        return problem;
    }

    /**
     * The problem that answers a failure: its own if it is a {@link ProblemException}, a 413 if a
     * body was cut off at the size limit however deep the decoder wrapped it, otherwise a 500 that
     * shows no internals.
     */
    public static ProblemDetail of(Throwable failure) {
        if (failure instanceof ProblemException known) {
            return known.problem();
        }
        BodyTooLargeException body = BodyTooLargeException.in(failure);
        if (body != null) {
            return body.problem();
        }
        return of(ProblemType.INTERNAL, "unexpected error; see the publisher's log");
    }

    /** The 400 for a body that is not well-formed JSON. */
    public static ProblemDetail malformed() {
        return of(ProblemType.MALFORMED, "the body is not well-formed JSON");
    }

    /**
     * The problem that answers a request body that could not be read as its JSON type, however the
     * reader wrapped the failure: a 413 if the body was cut off at the size limit, a 422 naming the
     * member when well-formed JSON has a wrongly typed one, otherwise a 400 (not well-formed).
     */
    public static ProblemDetail unreadableBody(Throwable failure) {
        BodyTooLargeException tooLarge = BodyTooLargeException.in(failure);
        if (tooLarge != null) {
            return tooLarge.problem();
        }
        if (NestedExceptionUtils.getMostSpecificCause(failure) instanceof DatabindException bind
                && !bind.getPath().isEmpty()) {
            return new InvalidFieldException(path(bind), "has the wrong type").problem();
        }
        return malformed();
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

    /** {@code problem}, telling the client to retry after {@code seconds} (member and header). */
    public static ProblemDetail retryAfter(ProblemDetail problem, long seconds) {
        problem.setProperty(RETRY_AFTER_SECONDS, seconds);
        return problem;
    }

    /** The headers a problem's response carries besides its body: {@code Retry-After}, {@code WWW-Authenticate}. */
    public static HttpHeaders headers(ProblemDetail problem) {
        HttpHeaders headers = new HttpHeaders();
        Object retryAfter = problem.getProperties() == null ? null : problem.getProperties().get(RETRY_AFTER_SECONDS);
        if (retryAfter != null) {
            headers.set(HttpHeaders.RETRY_AFTER, retryAfter.toString());
        }
        if (problem.getStatus() == ProblemType.UNAUTHORIZED.status().value()) {
            headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return headers;
    }
}
