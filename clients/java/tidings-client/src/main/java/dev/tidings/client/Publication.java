package dev.tidings.client;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One notification being put together: made by {@link Tidings#toUser}, {@link Tidings#toGroup},
 * {@link Tidings#broadcast()} and their kin, given an {@link #event} and a {@link #payload}, then
 * {@linkplain #send() sent} or {@linkplain Batch#add added to a batch}.
 *
 * <p>The publisher checks the fields (see its API's rules); the client checks only that the event
 * and the payload are there, so that what the publisher refuses comes back as its own problem.
 *
 * <p>Not thread-safe: a builder for one thread. It may be sent again, each {@link #send()} without
 * an {@link #id} being a new notification with an id of its own.
 */
public final class Publication {

    private final Tidings client;
    private final String targetType;
    private final List<String> targetIds;
    private @Nullable String id;
    private @Nullable String event;
    private @Nullable ObjectNode payload;
    private @Nullable Long ttlSeconds;

    Publication(Tidings client, String targetType, List<String> targetIds) {
        this.client = client;
        this.targetType = targetType;
        this.targetIds = List.copyOf(targetIds);
    }

    /**
     * Gives the notification its id, the idempotency key: sending the same notification with the
     * same id again within the publisher's dedupe window (10 minutes by default) returns the first
     * result and writes nothing; the same id with anything else different is a
     * {@link ProblemKind#CONFLICT}. Without it, the client makes a UUID for each send.
     *
     * @param id 1 to 128 printable ASCII characters without spaces
     */
    public Publication id(String id) {
        this.id = id;
        return this;
    }

    /**
     * The event name, what clients switch on.
     *
     * @param event e.g. {@code grade.published}: 1 to 128 letters, digits and {@code . _ : / -}
     */
    public Publication event(String event) {
        this.event = event;
        return this;
    }

    /**
     * The payload: any object the client's {@code JsonMapper} writes as a JSON object (a record, a
     * bean, a {@code Map}, a Jackson {@code ObjectNode}). It is written now, so later changes to the
     * object are not sent.
     *
     * @throws IllegalArgumentException when it is not written as a JSON object
     */
    public Publication payload(Object payload) {
        this.payload = client.wire().payload(payload);
        return this;
    }

    /**
     * The payload as JSON text.
     *
     * @param json a JSON object, e.g. {@code {"grade":"A"}}
     * @throws IllegalArgumentException when it is not well-formed JSON or not an object
     */
    public Publication payloadJson(String json) {
        this.payload = client.wire().payloadJson(json);
        return this;
    }

    /**
     * How long the notification stays deliverable; after it, gateways drop it. The publisher's
     * default when absent is no expiry; it refuses more than its {@code max-ttl} (7 days by default).
     *
     * @param ttl positive; sent in whole seconds, rounded up
     * @throws IllegalArgumentException when it is zero or negative
     */
    public Publication ttl(Duration ttl) {
        if (ttl.isZero() || ttl.isNegative()) {
            throw new IllegalArgumentException("the ttl must be positive, got " + ttl);
        }
        this.ttlSeconds = ttl.toSeconds() + (ttl.toNanosPart() > 0 ? 1 : 0);
        return this;
    }

    /**
     * Sends the notification and waits until Kafka acknowledged it, retrying a 429, a 503 or a lost
     * connection with the same id as the client's {@link RetryPolicy} allows.
     *
     * @return where it was written
     * @throws TidingsProblemException when the publisher refused it, or still did not take it when
     *     the retries were spent
     * @throws TidingsUnreachableException when the publisher did not answer, retries included
     * @throws IllegalStateException when the event or the payload is missing
     */
    public Accepted send() {
        return client.send(freeze());
    }

    /** This notification as it stands, with its id: the caller's, or a new UUID. */
    Frozen freeze() {
        if (event == null) {
            throw new IllegalStateException("a notification needs an event: call event(...) before sending it");
        }
        if (payload == null) {
            throw new IllegalStateException("a notification needs a payload: call payload(...) or payloadJson(...)"
                    + " before sending it ({} is a valid payload)");
        }
        String sentId = id != null ? id : UUID.randomUUID().toString();
        ObjectNode body = client.wire().json().createObjectNode();
        body.put("id", sentId);
        ObjectNode target = body.putObject("target");
        target.put("type", targetType);
        if (!"broadcast".equals(targetType)) {
            ArrayNode ids = target.putArray("ids");
            targetIds.forEach(ids::add);
        }
        body.put("event", event);
        body.set("payload", payload.deepCopy());
        if (ttlSeconds != null) {
            body.put("ttlSeconds", ttlSeconds);
        }
        return new Frozen(sentId, body);
    }

    /**
     * A notification ready to send: its id and its body, which every attempt sends unchanged.
     *
     * @param id the id in the body
     * @param body the request body
     */
    record Frozen(String id, ObjectNode body) {
    }
}
