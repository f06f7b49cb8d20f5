package dev.tidings.cli.publish;

import java.util.List;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.tidings.cli.workspace.CliException;

/**
 * The body of {@code POST /api/v1/notifications}, validated before it is sent.
 *
 * @param id client-chosen id (the idempotency key), or {@code null} to let the publisher choose
 * @param target who receives it
 * @param event event type, e.g. {@code grade.published}
 * @param payload any JSON object
 * @param ttlSeconds how long the notification stays deliverable, or {@code null} for the default
 */
record PublishRequest(@Nullable String id, Target target, String event, ObjectNode payload,
        @Nullable Long ttlSeconds) {

    static final JsonMapper JSON = JsonMapper.builder().build();

    PublishRequest {
        if (id != null && id.isBlank()) {
            throw new CliException("--id must not be blank");
        }
        if (event.isBlank()) {
            throw new CliException("--event must not be blank");
        }
        if (ttlSeconds != null && ttlSeconds <= 0) {
            throw new CliException("--ttl-seconds must be positive, got " + ttlSeconds);
        }
    }

    /**
     * Who a notification is for: {@code broadcast}, or the listed {@code user} or {@code group} ids.
     *
     * @param type {@code broadcast}, {@code user} or {@code group}
     * @param ids the user or group ids; empty for broadcast
     */
    record Target(String type, List<String> ids) {

        Target {
            ids = ids.stream().map(String::strip).filter(id -> !id.isEmpty()).distinct().toList();
            if (!"broadcast".equals(type) && ids.isEmpty()) {
                throw new CliException("--" + type + " needs at least one id");
            }
        }

        static Target broadcast() {
            return new Target("broadcast", List.of());
        }

        static Target users(List<String> ids) {
            return new Target("user", ids);
        }

        static Target groups(List<String> ids) {
            return new Target("group", ids);
        }
    }

    /** Parses {@code --payload}: it must be a JSON object. */
    static ObjectNode payload(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        }
        catch (JacksonException ex) {
            throw new CliException("--payload is not valid JSON: " + ex.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new CliException("--payload must be a JSON object, e.g. '{\"grade\":\"A\"}'");
        }
        return (ObjectNode) node;
    }

    /** The request body, fields in the contract's order, optional ones only when set. */
    String toJson() {
        ObjectNode body = JSON.createObjectNode();
        if (id != null) {
            body.put("id", id);
        }
        ObjectNode targetNode = body.putObject("target");
        targetNode.put("type", target.type());
        if (!"broadcast".equals(target.type())) {
            var ids = targetNode.putArray("ids");
            target.ids().forEach(ids::add);
        }
        body.put("event", event);
        body.set("payload", payload);
        if (ttlSeconds != null) {
            body.put("ttlSeconds", ttlSeconds);
        }
        return JSON.writeValueAsString(body);
    }
}
