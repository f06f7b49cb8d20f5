package dev.tidings.schema;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The fixed rules every notification on {@link Topics#NOTIFICATIONS} keeps, whoever writes it: the
 * same rules the publisher API's validator enforces on requests, so that records written by the
 * router or straight from a service are never poison to the gateways.
 */
public final class NotificationRules {

    /** Longest notification id, in characters. */
    public static final int MAX_ID_LENGTH = 128;

    /** Longest event name, in characters. */
    public static final int MAX_EVENT_LENGTH = 128;

    /** Longest user or group id, in characters. */
    public static final int MAX_TARGET_ID_LENGTH = 256;

    /** Most user or group ids one notification names. */
    public static final int MAX_TARGET_IDS = 1000;

    /** Largest payload by default (JSON text, UTF-8 bytes), as the publisher's {@code max-payload-bytes}. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 65536;

    /** Longest time to live, as the publisher's default {@code tidings.publisher.max-ttl}. */
    public static final java.time.Duration MAX_TTL = java.time.Duration.ofDays(7);

    /** What a whole notification id matches: printable ASCII without spaces. */
    public static final String ID_PATTERN = "[\\x21-\\x7E]+";

    /** What a whole event name matches: a letter or digit, then letters, digits and {@code . _ : / -}. */
    public static final String EVENT_PATTERN = "[A-Za-z0-9][A-Za-z0-9._:/-]*";

    private static final Pattern ID = Pattern.compile(ID_PATTERN);
    private static final Pattern EVENT = Pattern.compile(EVENT_PATTERN);

    private NotificationRules() {
    }

    /** Why {@code id} is not a valid notification id, or {@code null} if it is. */
    public static @Nullable String idProblem(String id) {
        return id.isEmpty() || id.length() > MAX_ID_LENGTH || !ID.matcher(id).matches()
                ? "must be 1-" + MAX_ID_LENGTH + " printable ASCII characters without spaces"
                : null;
    }

    /** Why {@code event} is not a valid event name, or {@code null} if it is. */
    public static @Nullable String eventProblem(String event) {
        return event.isEmpty() || event.length() > MAX_EVENT_LENGTH || !EVENT.matcher(event).matches()
                ? "must be 1-" + MAX_EVENT_LENGTH + " characters of letters, digits and . _ : / -, starting with a"
                        + " letter or digit"
                : null;
    }

    /** Why {@code targetId} is not a valid user or group id, or {@code null} if it is. */
    public static @Nullable String targetIdProblem(String targetId) {
        return targetId.isBlank() || targetId.length() > MAX_TARGET_ID_LENGTH
                ? "must be a non-blank string of at most " + MAX_TARGET_ID_LENGTH + " characters"
                : null;
    }
}
