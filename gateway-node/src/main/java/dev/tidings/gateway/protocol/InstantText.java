package dev.tidings.gateway.protocol;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes instants as {@link DateTimeFormatter#ISO_INSTANT} does ({@code 2026-11-25T10:15:30.123Z}: the
 * fraction only when there is one, in groups of three digits), into a reused array. The date and time of
 * the last second written are kept, so the records of one second pay for the calendar arithmetic once;
 * the formatter built a print context, a date-time and a string builder for every record.
 * Instants before 1970 or after 9999 are left to the formatter.
 *
 * <p>Not thread-safe: one per thread.
 */
final class InstantText {

    /** 9999-12-31T23:59:59Z: the last second with a four-digit year. */
    private static final long LAST_SECOND = 253_402_300_799L;
    private static final int SECOND_LENGTH = "yyyy-MM-ddTHH:mm:ss".length();

    private final char[] text = new char[48];
    private long second = Long.MIN_VALUE;

    /** The characters written by the last {@link #write}. */
    char[] chars() {
        return text;
    }

    /** Writes {@code instant} to {@link #chars()} from index 0 and returns how many characters it took. */
    int write(Instant instant) {
        long epochSecond = instant.getEpochSecond();
        if (epochSecond < 0 || epochSecond > LAST_SECOND) {
            String formatted = DateTimeFormatter.ISO_INSTANT.format(instant);
            formatted.getChars(0, formatted.length(), text, 0);
            second = Long.MIN_VALUE;
            return formatted.length();
        }
        if (epochSecond != second) {
            writeSecond(LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC));
            second = epochSecond;
        }
        int at = SECOND_LENGTH;
        int nano = instant.getNano();
        if (nano != 0) {
            text[at++] = '.';
            if (nano % 1_000_000 == 0) {
                at = digits(nano / 1_000_000, 3, at);
            }
            else if (nano % 1_000 == 0) {
                at = digits(nano / 1_000, 6, at);
            }
            else {
                at = digits(nano, 9, at);
            }
        }
        text[at++] = 'Z';
        return at;
    }

    private void writeSecond(LocalDateTime t) {
        int at = digits(t.getYear(), 4, 0);
        text[at++] = '-';
        at = digits(t.getMonthValue(), 2, at);
        text[at++] = '-';
        at = digits(t.getDayOfMonth(), 2, at);
        text[at++] = 'T';
        at = digits(t.getHour(), 2, at);
        text[at++] = ':';
        at = digits(t.getMinute(), 2, at);
        text[at++] = ':';
        digits(t.getSecond(), 2, at);
    }

    /** Writes {@code value} as exactly {@code width} decimal digits, zero-padded, at {@code at}; returns the next index. */
    private int digits(int value, int width, int at) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }
}
