package dev.tidings.publisher.openapi;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tidings.common.auth.Principal;
import dev.tidings.publisher.config.PublisherProperties;
import dev.tidings.publisher.publish.PublishLimits;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * Completes the document springdoc derives from the controllers: request and response schemas
 * written to match {@code NotificationValidator} and the replay service (springdoc cannot see
 * validation done in code), request examples for every target type, the batch and replay
 * endpoints, the bearer scheme with the scope of each operation, and an
 * {@code application/problem+json} example for every error status.
 *
 * <p>Operations are matched by path and method; an operation the controllers do not expose
 * (e.g. a build without the replay package) is left out rather than invented.
 */
final class PublisherApiCustomizer implements OpenApiCustomizer {

    private static final Pattern SCHEMA_REF = Pattern.compile("\"#/components/schemas/([^\"]+)\"");

    static final String BEARER = "bearerAuth";
    static final String JSON = "application/json";
    static final String PROBLEM_JSON = "application/problem+json";

    static final String PUBLISH_PATH = "/api/v1/notifications";
    static final String BATCH_PATH = "/api/v1/notifications:batch";
    static final String REPLAYS_PATH = "/api/v1/replays";
    static final String REPLAY_PATH = "/api/v1/replays/{id}";

    private final PublisherProperties properties;
    private final ProblemExamples problems;

    PublisherApiCustomizer(PublisherProperties properties) {
        this.properties = properties;
        this.problems = new ProblemExamples(properties);
    }

    @Override
    public void customise(OpenAPI openApi) {
        Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
        openApi.setComponents(components);
        components.addSecuritySchemes(BEARER, bearerScheme());
        schemas().forEach(components::addSchemas);
        components.addHeaders("Retry-After", new Header()
                .description("Seconds to wait before retrying.")
                .schema(Schemas.integer("seconds", "int32").example(5)));
        components.addHeaders("WWW-Authenticate", new Header()
                .description("Always `Bearer` on a 401.")
                .schema(Schemas.string("challenge").example("Bearer")));
        if (openApi.getPaths() == null) {
            return;
        }
        operation(openApi, PUBLISH_PATH, PathItem.HttpMethod.POST).ifPresent(this::publish);
        operation(openApi, BATCH_PATH, PathItem.HttpMethod.POST).ifPresent(this::batch);
        operation(openApi, REPLAYS_PATH, PathItem.HttpMethod.POST).ifPresent(this::startReplay);
        operation(openApi, REPLAY_PATH, PathItem.HttpMethod.GET).ifPresent(this::getReplay);
        operation(openApi, REPLAY_PATH, PathItem.HttpMethod.DELETE).ifPresent(this::cancelReplay);
        pruneUnreferencedSchemas(openApi);
    }

    /**
     * Drops the schemas springdoc derived from request and response classes that the hand-written
     * ones above replaced (e.g. {@code TargetRequest}), so the document lists each type once.
     */
    private static void pruneUnreferencedSchemas(OpenAPI openApi) {
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        if (schemas == null) {
            return;
        }
        boolean removed = true;
        while (removed) {
            String text = Json.pretty(openApi);
            Set<String> referenced = new HashSet<>();
            Matcher refs = SCHEMA_REF.matcher(text);
            while (refs.find()) {
                referenced.add(refs.group(1));
            }
            removed = schemas.keySet().retainAll(referenced);
        }
    }

    private static Optional<Operation> operation(OpenAPI openApi, String path, PathItem.HttpMethod method) {
        PathItem item = openApi.getPaths().get(path);
        return Optional.ofNullable(item == null ? null : item.readOperationsMap().get(method));
    }

    // ---- operations -------------------------------------------------------------------------

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
                .security(List.of(scope(Principal.SCOPE_PUBLISH)))
                .requestBody(new RequestBody().required(true).content(json(Schemas.ref("PublishRequest"),
                        publishExamples())));
        ApiResponses responses = new ApiResponses();
        responses.addApiResponse("202", new ApiResponse()
                .description("Kafka acknowledged every record of the notification.")
                .content(json(Schemas.ref("PublishResult"), ordered(
                        "one record", example("A broadcast, or one user or group",
                                ordered("id", "7f9c2b1e-5d0a-4a57-9a8e-1c2d3e4f5a6b", "partition", 3, "offset", 1042)),
                        "several records", example("Two users: one record each", multiRecordResult())))));
        responses.addApiResponse("400", malformed(PUBLISH_PATH));
        responses.addApiResponse("401", unauthorized(PUBLISH_PATH));
        responses.addApiResponse("403", forbidden(PUBLISH_PATH, Principal.SCOPE_PUBLISH));
        responses.addApiResponse("409", problem("""
                You already used this `id`, within the dedupe window, for a different notification \
                (target, event, payload or TTL). Nothing was written for this request; `id` names the \
                key. Use a new id.""", ordered("idempotency conflict", problems.idempotencyConflict(PUBLISH_PATH))));
        responses.addApiResponse("413", problem("""
                The payload is larger than `tidings.publisher.max-payload-bytes` (UTF-8 bytes of its \
                compact JSON), the whole body is larger than `tidings.publisher.max-body-bytes` \
                (refused before it is read), the notification writes more records than \
                `tidings.publisher.rate-limit-burst`, or its records could never fit in the producer's \
                buffer.""", ordered(
                "payload too large", problems.payloadTooLarge(PUBLISH_PATH),
                "body too large", problems.bodyTooLarge(PUBLISH_PATH))));
        responses.addApiResponse("415", unsupportedMediaType(PUBLISH_PATH));
        responses.addApiResponse("422", problem("""
                A field is missing or invalid; `field` names it by its JSON path. A member of the wrong \
                JSON type (e.g. `"ids": "alice"`) is a 422 too.""", ordered(
                "missing event", problems.invalidField(PUBLISH_PATH, "event", "is required"),
                "unknown target type", problems.invalidField(PUBLISH_PATH, "target.type",
                        "must be one of broadcast, user, group"),
                "ids on a broadcast", problems.invalidField(PUBLISH_PATH, "target.ids",
                        "must be absent for a broadcast"))));
        responses.addApiResponse("429", tooManyRequests(PUBLISH_PATH));
        responses.addApiResponse("503", problem("""
                Kafka did not acknowledge (the producer gave up, or `tidings.publisher.send-timeout` \
                passed), or the producer's buffer is full (refused at once). Nothing was acknowledged, \
                but the notification may still be written: retry with the `id` the problem names (yours, \
                or the one generated for it), which is written at most once. `Retry-After` says when.""",
                ordered("kafka unavailable", problems.kafkaUnavailable(PUBLISH_PATH)))
                .headers(retryAfter()));
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
                .security(List.of(scope(Principal.SCOPE_PUBLISH)))
                .requestBody(new RequestBody().required(true).content(json(Schemas.ref("BatchRequest"), ordered(
                        "mixed targets", example("One notification of each target type", ordered(
                                "notifications", List.of(
                                        broadcastRequest(), userRequest(), groupRequest())))))));
        Map<String, Object> mixed = new LinkedHashMap<>();
        mixed.put("results", List.of(
                ordered("id", "maintenance-2026-11-25", "partition", 0, "offset", 88),
                problems.batchItem("notifications[1].event", "is required"),
                problems.batchItemKafkaUnavailable()));
        ApiResponses responses = new ApiResponses();
        responses.addApiResponse("200", new ApiResponse()
                .description("One result per item, in request order: a PublishResult or a problem.")
                .content(json(Schemas.ref("BatchResponse"), ordered(
                        "per-item outcomes", example("The first item written, the second invalid, the third "
                                + "not acknowledged by Kafka in time", mixed)))));
        responses.addApiResponse("400", malformed(BATCH_PATH));
        responses.addApiResponse("401", unauthorized(BATCH_PATH));
        responses.addApiResponse("403", forbidden(BATCH_PATH, Principal.SCOPE_PUBLISH));
        responses.addApiResponse("413", problem("More items than `tidings.publisher.max-batch-size`, a "
                + "body larger than `tidings.publisher.max-body-bytes`, or more records than "
                + "`tidings.publisher.rate-limit-burst`.", ordered(
                "batch too large", problems.batchTooLarge(BATCH_PATH),
                "body too large", problems.bodyTooLarge(BATCH_PATH))));
        responses.addApiResponse("415", unsupportedMediaType(BATCH_PATH));
        responses.addApiResponse("422", problem("`notifications` is missing, or a member has the wrong JSON type.",
                ordered("missing notifications", problems.invalidField(BATCH_PATH, "notifications", "is required"))));
        responses.addApiResponse("429", tooManyRequests(BATCH_PATH));
        op.responses(responses);
    }

    private void startReplay(Operation op) {
        op.operationId("startReplay").tags(List.of("replays"))
                .summary("Replay notifications (dry run by default)")
                .description("""
                        Finds the notifications published in `[from, to)` (by Kafka record timestamp), \
                        optionally only to one target type and ids and of one event, skipping records that \
                        are themselves replays. A dry run (the default: `dryRun` absent or true) only counts \
                        them and answers 200 once the scan is done (202 if it takes longer than 30 s: poll \
                        the job). A real run (`dryRun: false`) answers 202 at once with the job and a \
                        `Location` to poll; it re-publishes each match with its original id, key and payload \
                        and `replayOf` set, so clients that have it already drop it by id. One replay runs \
                        at a time; one stops after `tidings.publisher.max-replay-records` matches and says \
                        `truncated`. A real run re-publishes at `tidings.publisher.replay-records-per-second`; \
                        without a `target` it needs `"all": true` (else 422 naming `all`). Only the last \
                        `tidings.publisher.replay-keep-finished` finished jobs can be read back.""")
                .security(List.of(scope(Principal.SCOPE_REPLAY)))
                .requestBody(new RequestBody().required(true).content(json(Schemas.ref("ReplayRequest"),
                        replayExamples())));
        ApiResponses responses = new ApiResponses();
        responses.addApiResponse("200", new ApiResponse().description("A dry run that finished: the counts.")
                .content(json(Schemas.ref("ReplayJob"), ordered("dry run done", example("Counted, nothing written",
                        replayJob(true, "COMPLETED", 412, 3, 0))))));
        responses.addApiResponse("202", new ApiResponse()
                .description("A real run started (or a dry run still scanning after 30 s): poll `Location`.")
                .addHeaderObject("Location", new Header().description("The job: `/api/v1/replays/{id}`.")
                        .schema(Schemas.string("path").example("/api/v1/replays/0b6c3f0e-2f5d-4c1e-9d1a-6f2b7a9c8e01")))
                .content(json(Schemas.ref("ReplayJob"), ordered("real run started", example("Re-publishing",
                        replayJob(false, "RUNNING", 0, 0, 0))))));
        responses.addApiResponse("400", malformed(REPLAYS_PATH));
        responses.addApiResponse("401", unauthorized(REPLAYS_PATH));
        responses.addApiResponse("403", forbidden(REPLAYS_PATH, Principal.SCOPE_REPLAY));
        responses.addApiResponse("413", problem("A body larger than `tidings.publisher.max-body-bytes`.",
                ordered("body too large", problems.bodyTooLarge(REPLAYS_PATH))));
        responses.addApiResponse("415", unsupportedMediaType(REPLAYS_PATH));
        responses.addApiResponse("422", problem("A missing or invalid field, named in `field`.", ordered(
                "missing from", problems.invalidField(REPLAYS_PATH, "from", "is required (ISO-8601 instant)"),
                "empty range", problems.invalidField(REPLAYS_PATH, "to", "must be after from"),
                "unknown target type", problems.invalidField(REPLAYS_PATH, "target.type",
                        "must be one of broadcast, user, group"))));
        op.responses(responses);
    }

    private void getReplay(Operation op) {
        op.operationId("getReplay").tags(List.of("replays")).summary("Progress of a replay")
                .description("The job's counters while it runs and its final status. Jobs are kept in the "
                        + "memory of the publisher instance that started them: ask that instance.")
                .security(List.of(scope(Principal.SCOPE_REPLAY)));
        idParameter(op);
        ApiResponses responses = new ApiResponses();
        responses.addApiResponse("200", new ApiResponse().description("The job.")
                .content(json(Schemas.ref("ReplayJob"), ordered("running", example("Half-way",
                        replayJob(false, "RUNNING", 5120, 40, 37))))));
        responses.addApiResponse("401", unauthorized(REPLAY_PATH));
        responses.addApiResponse("403", forbidden(REPLAY_PATH, Principal.SCOPE_REPLAY));
        responses.addApiResponse("404", new ApiResponse().description("No such job on this instance (empty body)."));
        op.responses(responses);
    }

    private void cancelReplay(Operation op) {
        op.operationId("cancelReplay").tags(List.of("replays")).summary("Cancel a replay")
                .description("Asks the job to stop; it ends with status CANCELLED after the records already "
                        + "sent are acknowledged. Records re-published before the cancel stay published.")
                .security(List.of(scope(Principal.SCOPE_REPLAY)));
        idParameter(op);
        ApiResponses responses = new ApiResponses();
        responses.addApiResponse("202", new ApiResponse().description("Cancel requested; the job as it is now.")
                .content(json(Schemas.ref("ReplayJob"), ordered("cancelling", example("Stops at the next poll",
                        replayJob(false, "RUNNING", 5120, 40, 37))))));
        responses.addApiResponse("401", unauthorized(REPLAY_PATH));
        responses.addApiResponse("403", forbidden(REPLAY_PATH, Principal.SCOPE_REPLAY));
        responses.addApiResponse("404", new ApiResponse().description("No such job on this instance (empty body)."));
        op.responses(responses);
    }

    private static void idParameter(Operation op) {
        Parameter id = new Parameter().name("id").in("path").required(true).description("The job id.")
                .schema(Schemas.string("job id"));
        op.setParameters(new ArrayList<>(List.of(id)));
    }

    // ---- shared responses ---------------------------------------------------------------------

    private ApiResponse malformed(String path) {
        return problem("The body is not well-formed JSON.", ordered("malformed", problems.malformed(path)));
    }

    private ApiResponse unauthorized(String path) {
        return problem("No `Authorization: Bearer` token, or one that does not verify (signature, `exp`, "
                + "issuer, audience).", ordered("no token", problems.unauthorized(path)))
                .headers(ordered("WWW-Authenticate", new Header().$ref("#/components/headers/WWW-Authenticate")));
    }

    private ApiResponse forbidden(String path, String scope) {
        return problem("The token verifies but its `scope` claim lacks `" + scope + "`.",
                ordered("missing scope", problems.forbidden(path, scope)));
    }

    private ApiResponse unsupportedMediaType(String path) {
        return problem("The body is not `application/json` (Spring MVC's own problem: no `type`, i.e. "
                + "`about:blank`).",
                ordered("text body", problems.unsupportedMediaType(path)));
    }

    private ApiResponse tooManyRequests(String path) {
        return problem("The caller (the token's `sub`) is over its publish rate limit, counted in records "
                + "(one per user or group id, one per broadcast): a token bucket of "
                + "`tidings.publisher.rate-limit-burst` (" + properties.rateLimitBurst() + ") records refilled at "
                + "`tidings.publisher.rate-limit-per-second` (" + properties.rateLimitPerSecond() + ") per second; "
                + "the detail names both. Nothing was written. Wait `Retry-After` seconds (the caller's own wait "
                + "for its next token, also in `retryAfterSeconds`), then retry with the same `id`.",
                ordered("rate limited", problems.tooManyRequests(path))).headers(retryAfter());
    }

    private static Map<String, Header> retryAfter() {
        return ordered("Retry-After", new Header().$ref("#/components/headers/Retry-After"));
    }

    private static ApiResponse problem(String description, Map<String, Map<String, Object>> examples) {
        Map<String, Example> named = new LinkedHashMap<>();
        examples.forEach((name, body) -> named.put(name, new Example().summary(body.get("status") + " "
                + body.get("title")).value(body)));
        return new ApiResponse().description(description).content(new Content().addMediaType(PROBLEM_JSON,
                new MediaType().schema(Schemas.ref("Problem")).examples(named)));
    }

    // ---- examples -----------------------------------------------------------------------------

    private static Map<String, Object> broadcastRequest() {
        return ordered("id", "maintenance-2026-11-25", "target", ordered("type", "broadcast"),
                "event", "system.maintenance", "payload", ordered("startsAt", "2026-11-25T22:00:00Z", "minutes", 30));
    }

    private static Map<String, Object> userRequest() {
        return ordered("target", ordered("type", "user", "ids", List.of("alice", "bob")),
                "event", "message.received", "payload", ordered("from", "carol", "text", "Lunch at 12?"));
    }

    private static Map<String, Object> groupRequest() {
        return ordered("target", ordered("type", "group", "ids", List.of("Class:201901")),
                "event", "grade.published", "payload", ordered("course", "math", "grade", "A"), "ttlSeconds", 3600);
    }

    private static Map<String, Example> publishExamples() {
        Map<String, Example> examples = new LinkedHashMap<>();
        examples.put("broadcast", example("Everyone connected to any node; a client-chosen id makes re-posts "
                + "idempotent", broadcastRequest()));
        examples.put("user", example("Two users, wherever they are connected: one record each", userRequest()));
        examples.put("group", example("Every member of a group (the `groups` claim of their token), "
                + "not delivered after an hour", groupRequest()));
        return examples;
    }

    private static Map<String, Example> replayExamples() {
        Map<String, Example> examples = new LinkedHashMap<>();
        examples.put("dry run", example("Count what alice was sent in an hour", ordered(
                "from", "2026-11-25T09:00:00Z", "to", "2026-11-25T10:00:00Z",
                "target", ordered("type", "user", "ids", List.of("alice")), "dryRun", true)));
        examples.put("re-publish", example("Re-publish one event to a group since a given instant", ordered(
                "from", "2026-11-25T09:00:00Z", "target", ordered("type", "group", "ids", List.of("Class:201901")),
                "event", "grade.published", "dryRun", false)));
        return examples;
    }

    private static Map<String, Object> multiRecordResult() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", "3c1d9a0e-8b7f-4e2a-9c5d-0f1e2d3c4b5a");
        result.put("partition", 1);
        result.put("offset", 517);
        result.put("records", List.of(
                ordered("key", "user:alice", "partition", 1, "offset", 517),
                ordered("key", "user:bob", "partition", 4, "offset", 230)));
        return result;
    }

    private static Map<String, Object> replayJob(boolean dryRun, String status, long scanned, long matched,
            long published) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("id", "0b6c3f0e-2f5d-4c1e-9d1a-6f2b7a9c8e01");
        job.put("dryRun", dryRun);
        job.put("from", "2026-11-25T09:00:00Z");
        job.put("to", "2026-11-25T10:00:00Z");
        job.put("scanned", scanned);
        job.put("matched", matched);
        job.put("published", published);
        job.put("status", status);
        job.put("truncated", false);
        return job;
    }

    /** A map in the order given, so examples read in a sensible order in the UI. */
    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> ordered(Object... keysAndValues) {
        Map<String, V> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], (V) keysAndValues[i + 1]);
        }
        return map;
    }

    private static Example example(String summary, Object value) {
        return new Example().summary(summary).value(value);
    }

    private static Content json(Schema<?> schema, @Nullable Map<String, Example> examples) {
        MediaType media = new MediaType().schema(schema);
        if (examples != null) {
            media.examples(new LinkedHashMap<>(examples));
        }
        return new Content().addMediaType(JSON, media);
    }

    private static SecurityRequirement scope(String scope) {
        return new SecurityRequirement().addList(BEARER, scope);
    }

    private static SecurityScheme bearerScheme() {
        return new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                .description("""
                        A JWT in `Authorization: Bearer <token>`: HS256 with the shared secret \
                        (`TIDINGS_JWT_SECRET`), or RS256 from the issuer at `tidings.jwt.jwks-uri`. \
                        Claims: `sub` (caller; recorded as the notification's `source`), `exp` (required), \
                        `scope` (space-separated). Scopes: `notifications:publish` for the publish and batch \
                        endpoints, `notifications:replay` for the replay endpoints. Locally: \
                        `./tidings token --user svc --scope notifications:publish`.""");
    }

    // ---- schemas ------------------------------------------------------------------------------

    private Map<String, Schema> schemas() {
        Map<String, Schema> schemas = new LinkedHashMap<>();

        Schema<Object> target = Schemas.object("Who receives the notification.")
                .addProperty("type", Schemas.enumOf("Target type (case-insensitive).", PublishLimits.TARGET_TYPES))
                .addProperty("ids", Schemas.arrayOf(Schemas.string("A user id (`sub`) or group id (`groups` claim).")
                        .maxLength(PublishLimits.MAX_TARGET_ID_LENGTH), "User or group ids; must be absent for "
                        + "broadcast. Duplicates are dropped.").minItems(1).maxItems(PublishLimits.MAX_TARGET_IDS))
                .required(List.of("type"));
        schemas.put("Target", target);

        Schema<Object> publish = Schemas.object("A notification to publish.")
                .addProperty("id", Schemas.string("Optional client-chosen id, the idempotency key; generated "
                        + "(a UUID) when absent. Printable ASCII without spaces.")
                        .maxLength(PublishLimits.MAX_ID_LENGTH).pattern(whole(PublishLimits.ID_PATTERN)))
                .addProperty("target", Schemas.ref("Target"))
                .addProperty("event", Schemas.string("Event name; clients subscribe by it.")
                        .maxLength(PublishLimits.MAX_EVENT_LENGTH).pattern(whole(PublishLimits.EVENT_PATTERN))
                        .example("grade.published"))
                .addProperty("payload", Schemas.object("Any JSON object, at most "
                        + properties.maxPayloadBytes() + " bytes as compact UTF-8 JSON "
                        + "(`tidings.publisher.max-payload-bytes`)."))
                .addProperty("ttlSeconds", Schemas.integer("Optional time to live: not delivered (live or on "
                        + "resume) after it.", "int64").minimum(BigDecimal.ONE)
                        .maximum(BigDecimal.valueOf(properties.maxTtl().toSeconds())))
                .required(List.of("target", "event", "payload"));
        schemas.put("PublishRequest", publish);

        schemas.put("BatchRequest", Schemas.object("Several notifications, each as in a single publish.")
                .addProperty("notifications", Schemas.arrayOf(Schemas.ref("PublishRequest"), "At most "
                        + properties.maxBatchSize() + " (`tidings.publisher.max-batch-size`).")
                        .maxItems(properties.maxBatchSize()))
                .required(List.of("notifications")));

        schemas.put("RecordPosition", Schemas.object("One written record.")
                .addProperty("key", Schemas.string("Its routing key: `broadcast`, `user:<id>` or `group:<id>`."))
                .addProperty("partition", Schemas.integer("Its partition.", "int32"))
                .addProperty("offset", Schemas.integer("Its offset.", "int64"))
                .required(List.of("key", "partition", "offset")));

        schemas.put("PublishResult", Schemas.object("What Kafka acknowledged for one notification.")
                .addProperty("id", Schemas.string("The notification id (yours, or generated)."))
                .addProperty("partition", Schemas.integer("Partition of the first record.", "int32"))
                .addProperty("offset", Schemas.integer("Offset of the first record.", "int64"))
                .addProperty("records", Schemas.arrayOf(Schemas.ref("RecordPosition"),
                        "Every record, present only when there is more than one (several users or groups)."))
                .required(List.of("id", "partition", "offset")));

        Schema<Object> problem = Schemas.object("An RFC 9457 problem (`application/problem+json`).")
                .addProperty("type", Schemas.string("`https://tidings.dev/problems/<kind>`; absent (meaning "
                        + "`about:blank`) on Spring MVC's own problems (415, 405, ...)."))
                .addProperty("title", Schemas.string("Short, fixed per type."))
                .addProperty("status", Schemas.integer("The HTTP status.", "int32"))
                .addProperty("detail", Schemas.string("What went wrong, for people."))
                .addProperty("instance", Schemas.string("The request path."))
                .addProperty("field", Schemas.string("422 only: JSON path of the invalid field, e.g. "
                        + "`target.ids[0]` or `notifications[3].event`."))
                .addProperty("retryAfterSeconds", Schemas.integer("429 and 503: the same as the Retry-After "
                        + "header.", "int32"))
                .addProperty("id", Schemas.string("503: the notification id to retry with (it is written at most "
                        + "once); 409: the id that was reused."))
                .required(List.of("title", "status"));
        schemas.put("Problem", problem);

        Schema<Object> item = new Schema<>();
        item.oneOf(List.of(Schemas.ref("PublishResult"), Schemas.ref("Problem")));
        schemas.put("BatchResponse", Schemas.object("Results of a batch, in request order.")
                .addProperty("results", Schemas.arrayOf(item, "Per item, a PublishResult or a Problem (which "
                        + "has `status`)."))
                .required(List.of("results")));

        schemas.put("ReplayTargetFilter", Schemas.object("Only notifications to this target.")
                .addProperty("type", Schemas.enumOf("Target type (case-insensitive); required when target is "
                        + "given.", PublishLimits.TARGET_TYPES))
                .addProperty("ids", Schemas.arrayOf(Schemas.string("A user or group id."),
                        "Any of these ids matches; none (or absent) matches every id of the type.")));

        schemas.put("ReplayRequest", Schemas.object("What to replay.")
                .addProperty("from", Schemas.instant("First publish instant, inclusive (ISO-8601)."))
                .addProperty("to", Schemas.instant("Last publish instant, exclusive; now when absent."))
                .addProperty("target", Schemas.ref("ReplayTargetFilter"))
                .addProperty("event", Schemas.string("Only notifications of this event name."))
                .addProperty("dryRun", Schemas.bool("Count only (the default when absent); false re-publishes."))
                .addProperty("all", Schemas.bool("Must be true for a real run without a target: it re-publishes "
                        + "to every client."))
                .required(List.of("from")));

        schemas.put("ReplayJob", Schemas.object("One replay and its progress.")
                .addProperty("id", Schemas.string("Job id."))
                .addProperty("dryRun", Schemas.bool("Whether it only counts."))
                .addProperty("from", Schemas.instant("Range start, inclusive."))
                .addProperty("to", Schemas.instant("Range end, exclusive."))
                .addProperty("scanned", Schemas.integer("Records read in the range.", "int64"))
                .addProperty("matched", Schemas.integer("Records matching the filter.", "int64"))
                .addProperty("published", Schemas.integer("Records re-published and acknowledged.", "int64"))
                .addProperty("status", Schemas.enumOf("Where the job is.",
                        List.of("RUNNING", "COMPLETED", "CANCELLED", "FAILED")))
                .addProperty("error", Schemas.string("FAILED only: why."))
                .addProperty("truncated", Schemas.bool("True when it stopped at "
                        + "`tidings.publisher.max-replay-records` matches."))
                .required(List.of("id", "dryRun", "from", "to", "scanned", "matched", "published", "status",
                        "truncated")));
        return schemas;
    }

    /** A Java regular expression the whole value must match, as an OpenAPI pattern (which may match anywhere). */
    static String whole(String regex) {
        return "^" + regex + "$";
    }
}
