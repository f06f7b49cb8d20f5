package dev.tidings.publisher.openapi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.tidings.common.auth.Principal;
import dev.tidings.publisher.publish.PublishLimits;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

/** The publish and batch operations: what they do, their request and result examples, and their problems. */
final class NotificationOperations {

    static final String PUBLISH_PATH = "/api/v1/notifications";
    static final String BATCH_PATH = "/api/v1/notifications:batch";

    private final ProblemExamples problems;
    private final ProblemResponses shared;

    NotificationOperations(ProblemExamples problems, ProblemResponses shared) {
        this.problems = problems;
        this.shared = shared;
    }

    /** Describes the operations the document has; leaves out those it has not. */
    void describe(OpenAPI openApi) {
        PublisherApiCustomizer.operation(openApi, PUBLISH_PATH, PathItem.HttpMethod.POST).ifPresent(this::publish);
        PublisherApiCustomizer.operation(openApi, BATCH_PATH, PathItem.HttpMethod.POST).ifPresent(this::batch);
    }

    private void publish(Operation op) {
        op.operationId("publishNotification").tags(List.of("notifications"))
                .summary("Publish one notification")
                .description("""
                        Validates the notification and writes it to Kafka (acks=all, idempotent producer); \
                        answers 202 only after Kafka acknowledged every record. A notification to several \
                        users or groups is written as one record per id, each keyed by its own routing key \
                        (`user:<id>`, `group:<id>`, `broadcast`), and `records` lists them all. An `id` you \
                        choose is your idempotency key (yours alone: keys are per token `sub`), on every \
                        publisher replica: re-posting the same request with it within the dedupe window \
                        (`tidings.publisher.dedupe-window`, default 10m) returns the first result and writes \
                        nothing new; the same `id` with a different request is a 409. Each record costs one \
                        token of the caller's rate limit.""")
                .security(List.of(Parts.scope(Principal.SCOPE_PUBLISH)))
                .requestBody(new RequestBody().required(true).content(Parts.json(Schemas.ref("PublishRequest"),
                        publishExamples())));
        ApiResponses responses = new ApiResponses();
        responses.addApiResponse("202", new ApiResponse()
                .description("Kafka acknowledged every record of the notification.")
                .content(Parts.json(Schemas.ref("PublishResult"), Parts.ordered(
                        "one record", Parts.example("A broadcast, or one user or group", Parts.ordered(
                                "id", "7f9c2b1e-5d0a-4a57-9a8e-1c2d3e4f5a6b", "partition", 3, "offset", 1042)),
                        "several records", Parts.example("Two users: one record each", multiRecordResult())))));
        responses.addApiResponse("400", shared.malformed(PUBLISH_PATH));
        responses.addApiResponse("401", shared.unauthorized(PUBLISH_PATH));
        responses.addApiResponse("403", shared.forbidden(PUBLISH_PATH, Principal.SCOPE_PUBLISH));
        responses.addApiResponse("409", shared.problem("""
                You already used this `id`, within the dedupe window, for a different notification \
                (target, event, payload or TTL). Nothing was written for this request; `id` names the \
                key. Use a new id.""",
                Parts.ordered("idempotency conflict", problems.idempotencyConflict(PUBLISH_PATH))));
        responses.addApiResponse("413", shared.problem("""
                The payload is larger than `tidings.publisher.max-payload-bytes` (UTF-8 bytes of its \
                compact JSON), the whole body is larger than `tidings.publisher.max-body-bytes` \
                (refused before it is read), the notification writes more records than \
                `tidings.publisher.rate-limit-burst`, or its records could never fit in the producer's \
                buffer.""", Parts.ordered(
                "payload too large", problems.payloadTooLarge(PUBLISH_PATH),
                "body too large", problems.bodyTooLarge(PUBLISH_PATH))));
        responses.addApiResponse("415", shared.unsupportedMediaType(PUBLISH_PATH));
        responses.addApiResponse("422", shared.problem("""
                A field is missing or invalid; `field` names it by its JSON path. A member of the wrong \
                JSON type (e.g. `"ids": "alice"`) is a 422 too.""", Parts.ordered(
                "missing event", problems.invalidField(PUBLISH_PATH, "event", "is required"),
                "unknown target type", problems.invalidField(PUBLISH_PATH, "target.type",
                        "must be one of " + String.join(", ", PublishLimits.TARGET_TYPES)),
                "ids on a broadcast", problems.invalidField(PUBLISH_PATH, "target.ids",
                        "must be absent for a broadcast"))));
        responses.addApiResponse("429", shared.tooManyRequests(PUBLISH_PATH));
        responses.addApiResponse("503", shared.problem("""
                Kafka did not acknowledge (the producer gave up, or `tidings.publisher.send-timeout` \
                passed), or the producer's buffer is full (refused at once). Nothing was acknowledged, \
                but the notification may still be written: retry with the `id` the problem names (yours, \
                or the one generated for it), which is written at most once. `Retry-After` says when.""",
                Parts.ordered("kafka unavailable", problems.kafkaUnavailable(PUBLISH_PATH)))
                .headers(ProblemResponses.retryAfter()));
        op.responses(responses);
    }

    private void batch(Operation op) {
        op.operationId("publishNotificationBatch").tags(List.of("notifications"))
                .summary("Publish several notifications")
                .description("""
                        Publishes up to `tidings.publisher.max-batch-size` notifications (default 1000). \
                        Every item is validated and written as in a single publish and gets its own result \
                        or problem, in request order; the batch as a whole answers 200. An item's problem \
                        names its field with the item's index, e.g. `notifications[1].event`; an item's 503 \
                        names the `id` to retry it with, an item's 409 the `id` it reused. The batch costs \
                        one rate-limit token per record its valid items write.""")
                .security(List.of(Parts.scope(Principal.SCOPE_PUBLISH)))
                .requestBody(new RequestBody().required(true).content(Parts.json(Schemas.ref("BatchRequest"),
                        Parts.ordered("mixed targets", Parts.example("One notification of each target type",
                                Parts.ordered("notifications", List.of(
                                        broadcastRequest(), userRequest(), groupRequest())))))));
        Map<String, Object> mixed = new LinkedHashMap<>();
        mixed.put("results", List.of(
                Parts.ordered("id", "maintenance-2026-11-25", "partition", 0, "offset", 88),
                problems.batchItem("notifications[1].event", "is required"),
                problems.batchItemKafkaUnavailable()));
        ApiResponses responses = new ApiResponses();
        responses.addApiResponse("200", new ApiResponse()
                .description("One result per item, in request order: a PublishResult or a problem.")
                .content(Parts.json(Schemas.ref("BatchResponse"), Parts.ordered(
                        "per-item outcomes", Parts.example("The first item written, the second invalid, the third "
                                + "not acknowledged by Kafka in time", mixed)))));
        responses.addApiResponse("400", shared.malformed(BATCH_PATH));
        responses.addApiResponse("401", shared.unauthorized(BATCH_PATH));
        responses.addApiResponse("403", shared.forbidden(BATCH_PATH, Principal.SCOPE_PUBLISH));
        responses.addApiResponse("413", shared.problem("More items than `tidings.publisher.max-batch-size`, a "
                + "body larger than `tidings.publisher.max-body-bytes`, or more records than "
                + "`tidings.publisher.rate-limit-burst`.", Parts.ordered(
                "batch too large", problems.batchTooLarge(BATCH_PATH),
                "body too large", problems.bodyTooLarge(BATCH_PATH))));
        responses.addApiResponse("415", shared.unsupportedMediaType(BATCH_PATH));
        responses.addApiResponse("422", shared.problem(
                "`notifications` is missing, or a member has the wrong JSON type.", Parts.ordered(
                "missing notifications", problems.invalidField(BATCH_PATH, "notifications", "is required"))));
        responses.addApiResponse("429", shared.tooManyRequests(BATCH_PATH));
        op.responses(responses);
    }

    private static Map<String, Object> broadcastRequest() {
        return Parts.ordered("id", "maintenance-2026-11-25", "target", Parts.ordered("type", "broadcast"),
                "event", "system.maintenance",
                "payload", Parts.ordered("startsAt", "2026-11-25T22:00:00Z", "minutes", 30));
    }

    private static Map<String, Object> userRequest() {
        return Parts.ordered("target", Parts.ordered("type", "user", "ids", List.of("alice", "bob")),
                "event", "message.received", "payload", Parts.ordered("from", "carol", "text", "Lunch at 12?"));
    }

    private static Map<String, Object> groupRequest() {
        return Parts.ordered("target", Parts.ordered("type", "group", "ids", List.of("Class:201901")),
                "event", "grade.published", "payload", Parts.ordered("course", "math", "grade", "A"),
                "ttlSeconds", 3600);
    }

    private static Map<String, Example> publishExamples() {
        Map<String, Example> examples = new LinkedHashMap<>();
        examples.put("broadcast", Parts.example("Everyone connected to any node; a client-chosen id makes re-posts "
                + "idempotent", broadcastRequest()));
        examples.put("user", Parts.example("Two users, wherever they are connected: one record each", userRequest()));
        examples.put("group", Parts.example("Every member of a group (the `groups` claim of their token), "
                + "not delivered after an hour", groupRequest()));
        return examples;
    }

    private static Map<String, Object> multiRecordResult() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", "3c1d9a0e-8b7f-4e2a-9c5d-0f1e2d3c4b5a");
        result.put("partition", 1);
        result.put("offset", 517);
        result.put("records", List.of(
                Parts.ordered("key", "user:alice", "partition", 1, "offset", 517),
                Parts.ordered("key", "user:bob", "partition", 4, "offset", 230)));
        return result;
    }
}
