package dev.tidings.gateway.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;

import dev.tidings.schema.Notification;
import dev.tidings.schema.TargetType;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the JSON text frames of the protocol. A notification frame is built once per record, as
 * UTF-8 bytes, and the same bytes are written to every addressed session.
 *
 * <p>Thread-safe: Jackson factories and mappers are, and each thread encodes in its own {@link Scratch}.
 */
@Component
public class FrameEncoder {

    /** The protocol's name of each target type, by ordinal: {@code broadcast}, {@code user}, {@code group}. */
    private static final String[] TARGET_TYPES = Arrays.stream(TargetType.values())
            .map(type -> type.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);
    private static final byte[] CURSOR_FIELD = ",\"cursor\":\"".getBytes(StandardCharsets.US_ASCII);

    private final JsonMapper json = JsonMapper.builder().build();
    /** The mapper's streaming factory, for the per-record frame: no data-binding context per record. */
    private final TokenStreamFactory tokens = json.tokenStreamFactory();
    /** Per encoding thread (the consumer's, a catch-up reader's): the output buffer and the time writer. */
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    /**
     * The {@code notification} frame of a record as UTF-8 JSON, without cursor; see {@link #withCursor}.
     * The payload is streamed from the record's JSON text into the frame, token by token with numbers
     * exactly as written, and checked on the way: no tree, no intermediate text, one output buffer.
     *
     * @throws PoisonRecordException if the payload is not a JSON object
     */
    public byte[] notification(Notification n) {
        Scratch reused = scratch.get();
        ByteArrayOutputStream out = reused.frame;
        out.reset();
        try (JsonParser payload = tokens.createParser(ObjectReadContext.empty(), n.getPayload());
                JsonGenerator frame = tokens.createGenerator(ObjectWriteContext.empty(), out)) {
            frame.writeStartObject();
            frame.writeStringProperty("type", "notification");
            frame.writeStringProperty("id", n.getId());
            frame.writeStringProperty("event", n.getEvent());
            frame.writeName("payload");
            if (payload.nextToken() != JsonToken.START_OBJECT) {
                throw new PoisonRecordException("payload is not a JSON object", null);
            }
            frame.copyCurrentStructureExact(payload);
            if (payload.nextToken() != null) {
                throw new PoisonRecordException("payload is not valid JSON: content after the object", null);
            }
            frame.writeName("target");
            frame.writeStartObject();
            frame.writeStringProperty("type", TARGET_TYPES[n.getTarget().getType().ordinal()]);
            if (!n.getTarget().getIds().isEmpty()) {
                frame.writeName("ids");
                frame.writeStartArray();
                for (String id : n.getTarget().getIds()) {
                    frame.writeString(id);
                }
                frame.writeEndArray();
            }
            frame.writeEndObject();
            frame.writeName("publishedAt");
            frame.writeString(reused.time.chars(), 0, reused.time.write(n.getPublishedAt()));
            if (n.getReplayOf() != null) {
                frame.writeBooleanProperty("replay", true);
            }
            frame.writeEndObject();
        }
        catch (JacksonException ex) {
            throw new PoisonRecordException("payload is not valid JSON", ex);
        }
        byte[] built = out.toByteArray();
        if (built.length > Scratch.KEPT_CAPACITY) {
            reused.frame = new ByteArrayOutputStream(Scratch.INITIAL_CAPACITY); // an outsized payload is not kept
        }
        return built;
    }

    /** What one thread reuses from frame to frame. */
    private static final class Scratch {

        static final int INITIAL_CAPACITY = 1024;
        static final int KEPT_CAPACITY = 64 * 1024;

        /** Frames are built here and copied out at their exact size; grown up to 64 KiB, it stays grown. */
        ByteArrayOutputStream frame = new ByteArrayOutputStream(INITIAL_CAPACITY);
        final InstantText time = new InstantText();
    }

    /**
     * A notification frame from {@link #notification} with its cursor appended: one array of the exact
     * size. Without a cursor, the frame itself.
     */
    public static byte[] withCursor(byte[] frame, @Nullable String cursor) {
        if (cursor == null) {
            return frame;
        }
        // Cursors are base64url (ASCII): nothing to escape, one byte per char.
        int at = frame.length - 1; // the frame's closing brace
        byte[] out = new byte[at + CURSOR_FIELD.length + cursor.length() + 2];
        System.arraycopy(frame, 0, out, 0, at);
        System.arraycopy(CURSOR_FIELD, 0, out, at, CURSOR_FIELD.length);
        at += CURSOR_FIELD.length;
        for (int i = 0; i < cursor.length(); i++) {
            out[at++] = (byte) cursor.charAt(i);
        }
        out[at++] = '"';
        out[at] = '}';
        return out;
    }

    /** The {@code welcome} frame. */
    public String welcome(String node, @Nullable String cursor) {
        ObjectNode frame = json.createObjectNode();
        frame.put("type", "welcome");
        frame.put("node", node);
        if (cursor != null) {
            frame.put("cursor", cursor);
        }
        return json.writeValueAsString(frame);
    }

    /** The {@code pong} frame. */
    public String pong() {
        return "{\"type\":\"pong\"}";
    }

    /** The {@code resumed} frame. */
    public String resumed(boolean recovered, long replayed, @Nullable String cursor) {
        ObjectNode frame = json.createObjectNode();
        frame.put("type", "resumed");
        frame.put("recovered", recovered);
        frame.put("replayed", replayed);
        if (cursor != null) {
            frame.put("cursor", cursor);
        }
        return json.writeValueAsString(frame);
    }

    /** The {@code refreshed} frame: the session goes on with the new token, until {@code expiresAt}. */
    public String refreshed(Instant expiresAt) {
        ObjectNode frame = json.createObjectNode();
        frame.put("type", "refreshed");
        frame.put("expiresAt", expiresAt.toString());
        return json.writeValueAsString(frame);
    }

    /**
     * The {@code expiring} frame: the session closes in {@code millis} unless the client refreshes its
     * token; {@code in} is whole seconds, rounded up.
     */
    public static String expiring(long millis) {
        return "{\"type\":\"expiring\",\"in\":" + (Math.max(0, millis) + 999) / 1000 + "}";
    }

    /**
     * The {@code read} frame: the user marked these notification ids read (on any device), and this many
     * inbox items are unread now; {@code all} when everything up to now was marked read.
     */
    public String read(Collection<String> ids, long unread, boolean all) {
        ObjectNode frame = json.createObjectNode();
        frame.put("type", "read");
        var array = frame.putArray("ids");
        ids.forEach(array::add);
        if (all) {
            frame.put("all", true);
        }
        frame.put("unread", unread);
        return json.writeValueAsString(frame);
    }

    /** An {@code error} frame: the session stays open. */
    public String error(ErrorCode code, String message) {
        ObjectNode frame = json.createObjectNode();
        frame.put("type", "error");
        frame.put("code", code.wire());
        frame.put("message", message);
        return json.writeValueAsString(frame);
    }
}
