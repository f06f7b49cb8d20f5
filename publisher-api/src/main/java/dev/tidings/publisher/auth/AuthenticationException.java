package dev.tidings.publisher.auth;

/** No usable bearer token (401) or a token without the needed scope (403). */
public class AuthenticationException extends RuntimeException {

    private final boolean forbidden;

    AuthenticationException(String message, boolean forbidden) {
        super(message);
        this.forbidden = forbidden;
    }

    /** True for a valid token lacking the scope (403), false for a missing or bad token (401). */
    public boolean forbidden() {
        return forbidden;
    }
}
