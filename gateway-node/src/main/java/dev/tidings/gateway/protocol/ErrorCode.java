package dev.tidings.gateway.protocol;

/**
 * The {@code code} of an {@code error} frame: what a client did that the node did not act on. The
 * session stays open after every one of them.
 */
public enum ErrorCode {

    /**
     * Not JSON, not an object, an unknown {@code type}, a {@code resume} without a string cursor or a
     * {@code refresh} without a string token.
     */
    BAD_FRAME("bad_frame"),

    /** The cursor does not decode or was not signed by this deployment; {@code resumed} with {@code recovered:false} follows. */
    BAD_CURSOR("bad_cursor"),

    /** A second resume on a session whose first one has not finished; ignored. */
    RESUME_IN_PROGRESS("resume_in_progress"),

    /**
     * A {@code refresh} whose token does not verify, has expired, or names another user ({@code sub});
     * the session goes on with the token it has, until that one expires.
     */
    BAD_TOKEN("bad_token"),

    /**
     * More than {@code tidings.gateway.max-resumes-per-minute} resume frames, or
     * {@code tidings.gateway.max-refreshes-per-minute} refresh frames, in a minute; ignored.
     */
    RATE_LIMITED("rate_limited");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    /** The code as the frame carries it. */
    public String wire() {
        return wire;
    }
}
