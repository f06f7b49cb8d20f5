package dev.tidings.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The publisher API's JSON, both ways: request bodies out, {@code 202} results, batch results and
 * RFC 9457 problems in.
 *
 * <p>Thread-safe: the mapper is.
 */
final class Wire {

    /** Most characters of a body that is not a problem quoted in the detail of the problem made of it. */
    private static final int QUOTED_BODY = 300;

    private final JsonMapper json;

    Wire(JsonMapper json) {
        this.json = json;
    }

    JsonMapper json() {
        return json;
    }

    /** The JSON object {@code payload} is written as; a {@link JsonNode} as it is. */
    ObjectNode payload(Object payload) {
        JsonNode node = payload instanceof JsonNode given ? given : json.valueToTree(payload);
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the payload must be written as a JSON object, but "
                    + payload.getClass().getName() + " is written as " + (node == null ? "null" : node.getNodeType()));
        }
        return (ObjectNode) node;
    }

    /** {@code text} read as a JSON object. */
    ObjectNode payloadJson(String text) {
        JsonNode node;
        try {
            node = json.readTree(text);
        }
        catch (JacksonException ex) {
            throw new IllegalArgumentException("the payload is not well-formed JSON: " + ex.getOriginalMessage(), ex);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the payload must be a JSON object, e.g. {\"grade\":\"A\"}");
        }
        return (ObjectNode) node;
    }

    byte[] write(JsonNode body) {
        return json.writeValueAsBytes(body);
    }

    /** The body of a batch of these notifications. */
    byte[] batch(List<ObjectNode> notifications) {
        ObjectNode body = json.createObjectNode();
        ArrayNode items = body.putArray("notifications");
        notifications.forEach(items::add);
        return write(body);
    }

    /**
     * A {@code 202}'s body.
     *
     * @throws TidingsProblemException when it is not one
     */
    Accepted accepted(Answer answer) {
        JsonNode body = read(answer);
        Accepted accepted = body == null ? null : accepted(body);
        if (accepted == null) {
            throw new TidingsProblemException(unreadable(answer, "a publish result"), null);
        }
        return accepted;
    }

    /**
     * A batch's {@code 200} body: one result per item sent, in order.
     *
     * @throws TidingsProblemException when it is not that
     */
    List<ItemResult> batchResults(Answer answer, int items) {
        JsonNode body = read(answer);
        JsonNode results = body == null ? null : body.get("results");
        if (results == null || !results.isArray() || results.size() != items) {
            throw new TidingsProblemException(unreadable(answer, "the " + items + " results of a batch"), null);
        }
        List<ItemResult> read = new ArrayList<>(items);
        for (JsonNode item : results) {
            ItemResult result = item.has("status") ? problem(item, item.path("status").asInt(0), null) : accepted(item);
            if (result == null) {
                throw new TidingsProblemException(unreadable(answer, "the " + items + " results of a batch"), null);
            }
            read.add(result);
        }
        return read;
    }

    /** The problem an answer that is not a success tells of; one of its own when the body is not a problem. */
    TidingsProblem problem(Answer answer) {
        JsonNode body = read(answer);
        if (body != null && body.isObject() && (body.has("title") || body.has("type") || body.has("detail"))) {
            return problem(body, answer.status(), answer.retryAfter());
        }
        return new TidingsProblem(ProblemKind.of(answer.status()), answer.status(), TidingsProblem.ABOUT_BLANK,
                "HTTP " + answer.status(), quote(answer), null, null, answer.retryAfter());
    }

    private TidingsProblem problem(JsonNode body, int status, @Nullable Duration retryAfter) {
        Duration wait = retryAfter;
        if (wait == null && body.path("retryAfterSeconds").isNumber()) {
            wait = Duration.ofSeconds(Math.max(0, body.path("retryAfterSeconds").asLong()));
        }
        return new TidingsProblem(ProblemKind.of(status), status, type(body.path("type")),
                text(body, "title", "HTTP " + status), text(body, "detail", ""),
                body.path("field").isString() ? body.path("field").asString() : null,
                body.path("id").isString() ? body.path("id").asString() : null, wait);
    }

    private static @Nullable Accepted accepted(JsonNode item) {
        if (!item.path("id").isString() || !item.path("partition").isIntegralNumber()
                || !item.path("offset").isIntegralNumber()) {
            return null;
        }
        List<Accepted.RecordPosition> records = new ArrayList<>();
        for (JsonNode record : item.path("records")) {
            records.add(new Accepted.RecordPosition(record.path("key").asString(""), record.path("partition").asInt(),
                    record.path("offset").asLong()));
        }
        return new Accepted(item.get("id").asString(), item.get("partition").asInt(), item.get("offset").asLong(),
                records);
    }

    private @Nullable JsonNode read(Answer answer) {
        if (answer.body().length == 0) {
            return null;
        }
        try {
            return json.readTree(answer.body());
        }
        catch (JacksonException ex) {
            return null;
        }
    }

    private static TidingsProblem unreadable(Answer answer, String expected) {
        return new TidingsProblem(ProblemKind.OTHER, answer.status(), TidingsProblem.ABOUT_BLANK,
                "Unexpected answer", "HTTP " + answer.status() + " did not carry " + expected + ": " + quote(answer),
                null, null, null);
    }

    private static String quote(Answer answer) {
        String text = new String(answer.body(), StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return "(no body)";
        }
        return text.length() <= QUOTED_BODY ? text : text.substring(0, QUOTED_BODY) + "…";
    }

    private static URI type(JsonNode type) {
        if (type.isString()) {
            try {
                return URI.create(type.asString());
            }
            catch (IllegalArgumentException ex) {
                return TidingsProblem.ABOUT_BLANK;
            }
        }
        return TidingsProblem.ABOUT_BLANK;
    }

    private static String text(JsonNode body, String member, String absent) {
        JsonNode value = body.path(member);
        return value.isString() ? value.asString() : absent;
    }
}
