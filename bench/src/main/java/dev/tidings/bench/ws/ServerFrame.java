package dev.tidings.bench.ws;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The parts of a gateway frame the bench needs: its {@code type}, and for a notification its
 * {@code id} and the bench payload's {@code seq}, {@code t} (publish time, epoch microseconds)
 * and {@code run}; on request the frame's {@code cursor}, and a {@code resumed} frame's
 * {@code recovered} and {@code replayed}. A notification frame laid out as the gateway writes it
 * (see {@link NotificationScan}) is read by a byte scan; every other frame, and any frame when the
 * cursor is asked for, by Jackson's streaming parser: no tree, nothing kept but these fields.
 *
 * @param type the frame type ({@code welcome}, {@code notification}, {@code pong}, ...), empty if absent
 * @param id the notification id, or null
 * @param seq the payload's sequence number, or -1
 * @param publishedMicros the payload's publish time, or -1
 * @param run the payload's run id, or null
 * @param cursor the frame's {@code cursor} when read and present, else null
 * @param recovered a {@code resumed} frame's {@code recovered}; false when absent
 * @param replayed a {@code resumed} frame's {@code replayed}, or -1
 */
public record ServerFrame(String type, @Nullable String id, int seq, long publishedMicros, @Nullable String run,
        @Nullable String cursor, boolean recovered, long replayed) {

    private static final JsonFactory JSON = new JsonFactory();

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
        return new ServerFrame(type, id, seq, published, run, cursor, recovered, replayed);
    }
}
