package dev.tidings.bench.ws;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * Reads a bench notification frame by scanning its bytes, for the load generator's hot path: at
 * 100,000+ frames/s on two shared cores a JSON parser per frame was the bench's largest CPU cost,
 * and that CPU is taken from the gateways being measured.
 *
 * <p>It accepts only the exact layout the gateway's frame encoder writes for a bench payload:
 * <pre>{"type":"notification","id":"…","event":"…","payload":{"t":123,"seq":45,"run":"…",…</pre>
 * with no escape in the strings it reads. Anything else, a different field order, an escaped
 * character, a missing field, answers {@code null}, and the caller falls back to the full JSON
 * parse; on a frame the gateway wrote, both read the same fields. After {@code run} it reads only
 * the frame's top-level {@code publishedAt}, the last of its name in the frame (the gateway writes
 * it after the payload and the target), as {@code -1} when there is none or it is not an instant
 * ({@code 2026-12-07T04:15:30Z}, with up to 9 digits of fraction): it does not check that the
 * rest of the frame is well-formed JSON.
 *
 * <p>Stateless and thread-safe.
 */
final class NotificationScan {

    private static final byte[] HEAD = ascii("{\"type\":\"notification\",\"id\":\"");
    private static final byte[] EVENT = ascii(",\"event\":\"");
    private static final byte[] PAYLOAD_T = ascii(",\"payload\":{\"t\":");
    private static final byte[] SEQ = ascii(",\"seq\":");
    private static final byte[] RUN = ascii(",\"run\":\"");
    private static final byte[] PUBLISHED_AT = ascii(",\"publishedAt\":\"");
    /** {@code yyyy-MM-ddTHH:mm:ss}: an instant's characters before its fraction. */
    private static final int SECOND_LENGTH = 19;

    private NotificationScan() {
    }

    /** The frame's fields, or null when it is not laid out as expected (parse it as JSON then). */
    static @Nullable ServerFrame scan(byte[] b, int offset, int length) {
        int end = offset + length;
        int at = expect(b, offset, end, HEAD);
        if (at < 0) {
            return null;
        }
        int idEnd = stringEnd(b, at, end);
        if (idEnd < 0) {
            return null;
        }
        String id = new String(b, at, idEnd - at, StandardCharsets.US_ASCII);
        at = expect(b, idEnd + 1, end, EVENT);
        if (at < 0) {
            return null;
        }
        int eventEnd = stringEnd(b, at, end);
        if (eventEnd < 0) {
            return null;
        }
        at = expect(b, eventEnd + 1, end, PAYLOAD_T);
        if (at < 0) {
            return null;
        }
        int tEnd = digitsEnd(b, at, end, 18);
        if (tEnd < 0) {
            return null;
        }
        long published = digits(b, at, tEnd);
        at = expect(b, tEnd, end, SEQ);
        if (at < 0) {
            return null;
        }
        int seqEnd = digitsEnd(b, at, end, 10);
        if (seqEnd < 0 || digits(b, at, seqEnd) > Integer.MAX_VALUE) {
            return null;
        }
        int seq = (int) digits(b, at, seqEnd);
        at = expect(b, seqEnd, end, RUN);
        if (at < 0) {
            return null;
        }
        int runEnd = stringEnd(b, at, end);
        if (runEnd < 0) {
            return null;
        }
        String run = new String(b, at, runEnd - at, StandardCharsets.US_ASCII);
        return new ServerFrame("notification", id, seq, published, run, null, false, -1,
                acceptedMillis(b, runEnd + 1, end));
    }

    /** The epoch milliseconds of the last {@code "publishedAt":"…"} between {@code from} and {@code end}, or -1. */
    private static long acceptedMillis(byte[] b, int from, int end) {
        for (int at = end - PUBLISHED_AT.length; at >= from; at--) {
            if (b[at] == ',' && expect(b, at, end, PUBLISHED_AT) > 0) {
                return instantMillis(b, at + PUBLISHED_AT.length, end);
            }
        }
        return -1;
    }

    /**
     * The epoch milliseconds of the instant {@code yyyy-MM-ddTHH:mm:ss[.f…]Z"} (up to 9 digits of fraction; a
     * point without digits, as {@link java.time.Instant#parse} takes it) at {@code at}, or -1 when the bytes are not
     * one.
     */
    private static long instantMillis(byte[] b, int at, int end) {
        if (end - at < SECOND_LENGTH + 2 || b[at + 4] != '-' || b[at + 7] != '-' || b[at + 10] != 'T'
                || b[at + 13] != ':' || b[at + 16] != ':') {
            return -1;
        }
        long year = number(b, at, 4);
        long month = number(b, at + 5, 2);
        long day = number(b, at + 8, 2);
        long hour = number(b, at + 11, 2);
        long minute = number(b, at + 14, 2);
        long second = number(b, at + 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59) {
            return -1;
        }
        int i = at + SECOND_LENGTH;
        long millis = 0;
        if (b[i] == '.') {
            int digitsEnd = i + 1;
            while (digitsEnd < end && b[digitsEnd] >= '0' && b[digitsEnd] <= '9') {
                digitsEnd++;
            }
            int count = digitsEnd - i - 1;
            if (count > 9) {
                return -1;
            }
            millis = count == 0 ? 0 : number(b, i + 1, Math.min(count, 3));
            for (int scale = count; scale < 3; scale++) {
                millis *= 10;
            }
            i = digitsEnd;
        }
        if (end - i < 2 || b[i] != 'Z' || b[i + 1] != '"') {
            return -1;
        }
        long days = epochDay(year, month, day);
        return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis;
    }

    /** The value of {@code count} ASCII digits at {@code at}, or -1 when one of them is not a digit. */
    private static long number(byte[] b, int at, int count) {
        long value = 0;
        for (int i = at; i < at + count; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return -1;
            }
            value = value * 10 + (b[i] - '0');
        }
        return value;
    }

    /** Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's days_from_civil). */
    private static long epochDay(long year, long month, long day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    /** The index just past {@code literal} if the bytes at {@code at} are it, else -1. */
    private static int expect(byte[] b, int at, int end, byte[] literal) {
        if (end - at < literal.length) {
            return -1;
        }
        for (int i = 0; i < literal.length; i++) {
            if (b[at + i] != literal[i]) {
                return -1;
            }
        }
        return at + literal.length;
    }

    /**
     * The index of the quote closing a string whose content starts at {@code at}, or -1 when the
     * string has an escape or a non-ASCII byte (the JSON parser decodes those) or does not end.
     */
    private static int stringEnd(byte[] b, int at, int end) {
        for (int i = at; i < end; i++) {
            byte c = b[i];
            if (c == '"') {
                return i;
            }
            if (c == '\\' || c < 0x20) {
                return -1;
            }
        }
        return -1;
    }

    /** The index past 1..{@code max} ASCII digits at {@code at} (no sign, no leading zero but "0"), or -1. */
    private static int digitsEnd(byte[] b, int at, int end, int max) {
        int i = at;
        while (i < end && i - at <= max && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        int count = i - at;
        if (count == 0 || count > max || (count > 1 && b[at] == '0')) {
            return -1;
        }
        return i;
    }

    private static long digits(byte[] b, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + (b[i] - '0');
        }
        return value;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
