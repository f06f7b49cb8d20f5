package dev.tidings.common.auth;

/** A token that is missing, malformed, wrongly signed, expired or not yet valid. */
public class InvalidTokenException extends Exception {

    public InvalidTokenException(String message) {
        super(message);
    }

    public InvalidTokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
