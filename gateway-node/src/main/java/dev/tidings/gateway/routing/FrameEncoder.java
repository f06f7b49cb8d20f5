package dev.tidings.gateway.routing;

import java.time.format.DateTimeFormatter;
import java.util.Locale;

import dev.tidings.schema.Notification;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the JSON text frames of the protocol. A notification frame is built once per record
 * and the same string is written to every addressed session.
 *
 * <p>Thread-safe: Jackson mappers are.
 */
@Component
public class FrameEncoder {

    private final JsonMapper json = JsonMapper.builder().build();

    /**
     * The {@code notification} frame of a record, without cursor; see {@link #withCursor}.
     *
     * @throws PoisonRecordException if the payload is not a JSON object
     */
    public String notification(Notification n) {
        JsonNode payload;
        try {
            payload = json.readTree(n.getPayload());
        }
        catch (JacksonException ex) {
            throw new PoisonRecordException("payload is not valid JSON", ex);
        }
        if (payload == null || !payload.isObject()) {
            throw new PoisonRecordException("payload is not a JSON object", null);
        }
        ObjectNode frame = json.createObjectNode();
        frame.put("type", "notification");
        frame.put("id", n.getId());
        frame.put("event", n.getEvent());
        frame.set("payload", payload);
        ObjectNode target = frame.putObject("target");
        target.put("type", n.getTarget().getType().name().toLowerCase(Locale.ROOT));
        if (!n.getTarget().getIds().isEmpty()) {
            var ids = target.putArray("ids");
            n.getTarget().getIds().forEach(ids::add);
        }
        frame.put("publishedAt", DateTimeFormatter.ISO_INSTANT.format(n.getPublishedAt()));
        if (n.getReplayOf() != null) {
            frame.put("replay", true);
        }
        return json.writeValueAsString(frame);
    }

    /** A notification frame from {@link #notification} with its cursor appended. */
    public static String withCursor(String frame, @Nullable String cursor) {
        if (cursor == null) {
            return frame;
        }
        // Cursors are base64url: nothing to escape.
        return new StringBuilder(frame.length() + cursor.length() + 12)
                .append(frame, 0, frame.length() - 1).append(",\"cursor\":\"").append(cursor).append("\"}")
                .toString();
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
