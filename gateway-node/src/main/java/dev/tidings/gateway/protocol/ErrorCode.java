package dev.tidings.gateway.protocol;

/**
 * The {@code code} of an {@code error} frame: what a client did that the node did not act on. The
 * session stays open after every one of them.
 */
public enum ErrorCode {

    /** Not JSON, not an object, an unknown {@code type}, or a {@code resume} without a string cursor. */
    BAD_FRAME("bad_frame"),

    /** The cursor does not decode or was not signed by this deployment; {@code resumed} with {@code recovered:false} follows. */
    BAD_CURSOR("bad_cursor"),

    /** A second resume on a session whose first one has not finished; ignored. */
    RESUME_IN_PROGRESS("resume_in_progress"),

    /** More than {@code tidings.gateway.max-resumes-per-minute} resume frames in a minute; ignored. */
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
