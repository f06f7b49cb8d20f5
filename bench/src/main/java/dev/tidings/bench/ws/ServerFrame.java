package dev.tidings.bench.ws;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The parts of a gateway frame the bench needs: its {@code type}, and for a notification its
 * {@code id}, the bench payload's {@code seq}, {@code t} (publish time, epoch microseconds) and
 * {@code run}, and the frame's {@code publishedAt} (when the publisher accepted it); on request the
 * frame's {@code cursor}, and a {@code resumed} frame's {@code recovered} and {@code replayed}. A
 * notification frame laid out as the gateway writes it (see {@link NotificationScan}) is read by a
 * byte scan; every other frame, and any frame when the cursor is asked for, by Jackson's streaming
 * parser: no tree, nothing kept but these fields.
 *
 * @param type the frame type ({@code welcome}, {@code notification}, {@code pong}, ...), empty if absent
 * @param id the notification id, or null
 * @param seq the payload's sequence number, or -1
 * @param publishedMicros the payload's publish time, or -1
 * @param run the payload's run id, or null
 * @param cursor the frame's {@code cursor} when read and present, else null
 * @param recovered a {@code resumed} frame's {@code recovered}; false when absent
 * @param replayed a {@code resumed} frame's {@code replayed}, or -1
 * @param acceptedMillis a notification's {@code publishedAt} (the instant the publisher built its record, in
 *     the record's millisecond precision) as epoch milliseconds, or -1 when absent or not an ISO instant
 */
public record ServerFrame(String type, @Nullable String id, int seq, long publishedMicros, @Nullable String run,
        @Nullable String cursor, boolean recovered, long replayed, long acceptedMillis) {

    private static final JsonFactory JSON = new JsonFactory();

    /** A frame without a {@code publishedAt}. */
    public ServerFrame(String type, @Nullable String id, int seq, long publishedMicros, @Nullable String run,
            @Nullable String cursor, boolean recovered, long replayed) {
        this(type, id, seq, publishedMicros, run, cursor, recovered, replayed, -1);
    }

    /** Whether this is a {@code notification} frame. */
    public boolean isNotification() {
        return "notification".equals(type);
    }

    /** Whether this is a {@code resumed} frame. */
    public boolean isResumed() {
        return "resumed".equals(type);
    }

    /**
     * Parses a text frame's UTF-8 bytes, without its cursor.
     *
     * @throws IllegalArgumentException when the bytes are not a JSON object
     */
    public static ServerFrame parse(byte[] utf8, int offset, int length) {
        return parse(utf8, offset, length, false);
    }

    /**
     * Parses a text frame's UTF-8 bytes; with {@code withCursor} its top-level {@code cursor} too.
     *
     * @throws IllegalArgumentException when the bytes are not a JSON object
     */
    public static ServerFrame parse(byte[] utf8, int offset, int length, boolean withCursor) {
        if (!withCursor) {
            ServerFrame scanned = NotificationScan.scan(utf8, offset, length);
            if (scanned != null) {
                return scanned;
            }
        }
        return parseJson(utf8, offset, length, withCursor);
    }

    /** {@link #parse} with Jackson's streaming parser only: any frame, fields in any order. */
    static ServerFrame parseJson(byte[] utf8, int offset, int length, boolean withCursor) {
        String type = "";
        String id = null;
        int seq = -1;
        long published = -1;
        String run = null;
        String cursor = null;
        boolean recovered = false;
        long replayed = -1;
        long accepted = -1;
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), utf8, offset, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("frame is not a JSON object");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "type" -> type = value == JsonToken.VALUE_STRING ? parser.getString() : "";
                    case "id" -> id = value == JsonToken.VALUE_STRING ? parser.getString() : null;
                    case "cursor" -> {
                        if (withCursor && value == JsonToken.VALUE_STRING) {
                            cursor = parser.getString();
                        }
                        else {
                            parser.skipChildren();
                        }
                    }
                    case "recovered" -> recovered = value == JsonToken.VALUE_TRUE;
                    case "replayed" -> replayed = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : -1;
                    case "publishedAt" -> {
                        if (value == JsonToken.VALUE_STRING) {
                            accepted = epochMillis(parser.getString());
                        }
                        else {
                            parser.skipChildren();
                        }
                    }
                    case "payload" -> {
                        if (value != JsonToken.START_OBJECT) {
                            parser.skipChildren();
                            break;
                        }
                        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                            String field = parser.currentName();
                            JsonToken v = parser.nextToken();
                            switch (field) {
                                case "seq" -> seq = v == JsonToken.VALUE_NUMBER_INT ? parser.getIntValue() : -1;
                                case "t" -> published = v == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : -1;
                                case "run" -> run = v == JsonToken.VALUE_STRING ? parser.getString() : null;
                                default -> parser.skipChildren();
                            }
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT) {
                throw new IllegalArgumentException("frame is not a complete JSON object");
            }
        }
        catch (JacksonException ex) {
            throw new IllegalArgumentException("frame is not valid JSON: " + ex.getOriginalMessage(), ex);
        }
        return new ServerFrame(type, id, seq, published, run, cursor, recovered, replayed, accepted);
    }

    /** An ISO-8601 instant ({@code 2026-12-07T04:15:30.123Z}) as epoch milliseconds, or -1 when it is none. */
    static long epochMillis(String instant) {
        try {
            return Instant.parse(instant).toEpochMilli();
        }
        catch (DateTimeParseException | ArithmeticException ex) {
            return -1;
        }
    }
}
