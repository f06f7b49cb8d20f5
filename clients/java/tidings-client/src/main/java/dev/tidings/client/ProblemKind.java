package dev.tidings.client;

/**
 * What a {@link TidingsProblem} means for the caller, from its HTTP status. Switch on it to decide
 * what to do; the problem's {@code type} URI tells more precisely what happened.
 */
public enum ProblemKind {

    /** 400, 415 or 422: the request is wrong (the problem's {@code field} names the member); fix it, do not retry. */
    VALIDATION(false),

    /** 413: the payload, the body, the batch or the number of records is over a limit; split or shrink it. */
    TOO_LARGE(false),

    /** 401 (no valid token) or 403 (the token lacks {@code notifications:publish}). */
    UNAUTHORIZED(false),

    /** 409: the id was already used within the dedupe window for a different notification; nothing was written. */
    CONFLICT(false),

    /** 429: the caller is over its publish rate limit; nothing was written. Retried by the client. */
    RATE_LIMITED(true),

    /**
     * 503: Kafka did not acknowledge. Nothing was acknowledged, but it may still be written: retry
     * with the problem's {@code id} and it is written once. Retried by the client.
     */
    UNAVAILABLE(true),

    /** Any other status, such as 500 or a proxy's error page. Not retried. */
    OTHER(false);

    private final boolean retried;

    ProblemKind(boolean retried) {
        this.retried = retried;
    }

    /** Whether the client retries a problem of this kind (with the same id) while its retry policy allows. */
    public boolean retried() {
        return retried;
    }

    /** The kind of a problem answered with {@code status}. */
    public static ProblemKind of(int status) {
        return switch (status) {
            case 400, 415, 422 -> VALIDATION;
            case 413 -> TOO_LARGE;
            case 401, 403 -> UNAUTHORIZED;
            case 409 -> CONFLICT;
            case 429 -> RATE_LIMITED;
            case 503 -> UNAVAILABLE;
            default -> OTHER;
        };
    }
}
