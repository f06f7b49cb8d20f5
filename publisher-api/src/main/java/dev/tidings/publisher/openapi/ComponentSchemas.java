package dev.tidings.publisher.openapi;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.tidings.publisher.config.PublisherProperties;
import dev.tidings.publisher.publish.PublishLimits;
import dev.tidings.schema.NotificationRules;
import io.swagger.v3.oas.models.media.Schema;

/**
 * The request and response schemas, hand-written because springdoc cannot see validation done in
 * code (the publish validator's, the replay service's). The fixed rules come from
 * {@link NotificationRules}, {@link PublishLimits} and the configurable limits from {@link PublisherProperties}, so the
 * document states what the service enforces.
 */
final class ComponentSchemas {

    private final PublisherProperties properties;

    ComponentSchemas(PublisherProperties properties) {
        this.properties = properties;
    }

    /** Every schema, by component name, in the order the document lists them. */
    Map<String, Schema> all() {
        Map<String, Schema> schemas = new LinkedHashMap<>();

        Schema<Object> target = Schemas.object("Who receives the notification.")
                .addProperty("type", Schemas.enumOf("Target type (case-insensitive).", PublishLimits.TARGET_TYPES))
                .addProperty("ids", Schemas.arrayOf(Schemas.string("A user id (`sub`) or group id (`groups` claim).")
                        .maxLength(NotificationRules.MAX_TARGET_ID_LENGTH), "User or group ids; must be absent for "
                        + "broadcast. Duplicates are dropped.").minItems(1).maxItems(NotificationRules.MAX_TARGET_IDS))
                .required(List.of("type"));
        schemas.put("Target", target);

        Schema<Object> publish = Schemas.object("A notification to publish.")
                .addProperty("id", Schemas.string("Optional client-chosen id, the idempotency key; generated "
                        + "(a UUID) when absent. Printable ASCII without spaces.")
                        .maxLength(NotificationRules.MAX_ID_LENGTH).pattern(whole(NotificationRules.ID_PATTERN)))
                .addProperty("target", Schemas.ref("Target"))
                .addProperty("event", Schemas.string("Event name; clients subscribe by it.")
                        .maxLength(NotificationRules.MAX_EVENT_LENGTH).pattern(whole(NotificationRules.EVENT_PATTERN))
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
    private static String whole(String regex) {
        return "^" + regex + "$";
    }
}
