package dev.tidings.bench.publish;

/** A notification was not acknowledged; {@link #reason()} is a short, countable label ({@code http 503}). */
public final class PublishException extends RuntimeException {

    private final String reason;

    public PublishException(String reason, String detail) {
        super(reason + ": " + detail, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
