package dev.tidings.router.decode;

/**
 * A record that cannot be routed, and never will be: it goes to the route's dead-letter topic with
 * {@link #reason()} and the message in headers.
 */
public class RouteFailure extends RuntimeException {

    private final String reason;

    public RouteFailure(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public RouteFailure(String reason, String message, Throwable cause) {
        super(message, cause, false, false);
        this.reason = reason;
    }

    /** A short, stable code: {@code undecodable}, {@code missing-field}, {@code bad-target}, … */
    public String reason() {
        return reason;
    }
}
