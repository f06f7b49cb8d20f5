package dev.tidings.client;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;

/**
 * Reads an HTTP {@code Retry-After} value (RFC 9110, section 10.2.3): delay-seconds, as the
 * publisher sends, or an HTTP-date, as a proxy in front of it may.
 */
public final class RetryAfter {

    /** Longer asks are read as this: no client waits a day, and its retry policy gives up long before. */
    static final Duration LONGEST = Duration.ofDays(1);

    private RetryAfter() {
    }

    /**
     * The wait {@code value} asks for.
     *
     * @param value the header's value, or {@code null} when the header is absent
     * @param now the time the answer came, for an HTTP-date
     * @return the wait, zero for a date already past, at most a day; {@code null} when absent or unreadable
     */
    public static @Nullable Duration parse(@Nullable String value, Instant now) {
        if (value == null) {
            return null;
        }
        String text = value.strip();
        if (text.isEmpty()) {
            return null;
        }
        if (text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // More digits than a long holds is still "a very long time".
            return text.length() > 12 ? LONGEST : min(Duration.ofSeconds(Long.parseLong(text)));
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return at.isAfter(now) ? min(Duration.between(now, at)) : Duration.ZERO;
        }
        catch (DateTimeParseException ex) {
            return null;
        }
    }

    private static Duration min(Duration wait) {
        return wait.compareTo(LONGEST) > 0 ? LONGEST : wait;
    }
}
