package dev.tidings.gateway.routing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import dev.tidings.schema.Notification;
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
 * <p>Thread-safe: Jackson factories and mappers are.
 */
@Component
public class FrameEncoder {

    private static final byte[] CURSOR_FIELD = ",\"cursor\":\"".getBytes(StandardCharsets.US_ASCII);

    private final JsonMapper json = JsonMapper.builder().build();
    /** The mapper's streaming factory, for the per-record frame: no data-binding context per record. */
    private final TokenStreamFactory tokens = json.tokenStreamFactory();

    /**
     * The {@code notification} frame of a record as UTF-8 JSON, without cursor; see {@link #withCursor}.
     * The payload is streamed from the record's JSON text into the frame, token by token with numbers
     * exactly as written, and checked on the way: no tree, no intermediate text, one output buffer.
     *
     * @throws PoisonRecordException if the payload is not a JSON object
     */
    public byte[] notification(Notification n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(n.getPayload().length() + 256);
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
            frame.writeStringProperty("type", n.getTarget().getType().name().toLowerCase(Locale.ROOT));
            if (!n.getTarget().getIds().isEmpty()) {
                frame.writeName("ids");
                frame.writeStartArray();
                for (String id : n.getTarget().getIds()) {
                    frame.writeString(id);
                }
                frame.writeEndArray();
            }
            frame.writeEndObject();
            frame.writeStringProperty("publishedAt", DateTimeFormatter.ISO_INSTANT.format(n.getPublishedAt()));
            if (n.getReplayOf() != null) {
                frame.writeBooleanProperty("replay", true);
            }
            frame.writeEndObject();
        }
        catch (JacksonException ex) {
            throw new PoisonRecordException("payload is not valid JSON", ex);
        }
        return out.toByteArray();
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

    /** An {@code error} frame: the session stays open. */
    public String error(String code, String message) {
        ObjectNode frame = json.createObjectNode();
        frame.put("type", "error");
        frame.put("code", code);
        frame.put("message", message);
        return json.writeValueAsString(frame);
    }
}
