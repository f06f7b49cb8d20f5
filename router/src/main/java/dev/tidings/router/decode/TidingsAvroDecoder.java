package dev.tidings.router.decode;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.tidings.schema.Notification;
import dev.tidings.schema.NotificationCodec;
import dev.tidings.schema.UndecodableRecordException;
import org.jspecify.annotations.Nullable;

/**
 * Decodes Tidings' own {@link Notification}s (Avro single-object encoding) into their JSON view:
 * {@code id}, {@code event}, {@code target.type} (lower case), {@code target.ids}, {@code payload} (the
 * object), {@code publishedAt} and {@code expiresAt} (ISO-8601), {@code source}, {@code replayOf}.
 * Thread-safe.
 */
public final class TidingsAvroDecoder implements ValueDecoder {

    private final JsonValueDecoder json = new JsonValueDecoder();

    @Override
    public Object decode(String topic, byte @Nullable [] value) {
        if (value == null) {
            throw new RouteFailure("undecodable", "the record has no value (a tombstone)");
        }
        Notification n;
        try {
            n = NotificationCodec.get().decode(value);
        }
        catch (UndecodableRecordException ex) {
            throw new RouteFailure("undecodable", ex.getMessage(), ex);
        }
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("type", n.getTarget().getType().name().toLowerCase(java.util.Locale.ROOT));
        target.put("ids", n.getTarget().getIds());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", n.getId());
        view.put("event", n.getEvent());
        view.put("target", target);
        view.put("payload", json.decode(topic, n.getPayload().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        view.put("publishedAt", n.getPublishedAt().toString());
        view.put("expiresAt", n.getExpiresAt() == null ? null : n.getExpiresAt().toString());
        view.put("source", n.getSource());
        view.put("replayOf", n.getReplayOf());
        return view;
    }
}
