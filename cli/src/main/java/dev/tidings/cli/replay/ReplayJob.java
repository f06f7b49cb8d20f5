package dev.tidings.cli.replay;

import java.util.Set;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.tidings.cli.workspace.CliException;

/**
 * A replay job as the publisher reports it ({@code POST} and {@code GET /api/v1/replays/{id}}).
 * Read leniently: fields the publisher adds later are ignored, a status it adds later counts as
 * still running.
 *
 * @param id the job id, for {@code GET} and {@code DELETE /api/v1/replays/{id}}
 * @param dryRun whether it only counts
 * @param from first publish instant it covers, as the publisher wrote it
 * @param to end of the range it covers, as the publisher wrote it
 * @param scanned records read so far
 * @param matched records that matched the filter so far
 * @param published records re-published so far (always 0 in a dry run)
 * @param status {@code RUNNING}, {@code COMPLETED}, {@code CANCELLED} or {@code FAILED}
 * @param truncated whether it stopped at the publisher's {@code max-replay-records}
 * @param error why it failed, when it did
 */
record ReplayJob(String id, boolean dryRun, String from, String to, long scanned, long matched, long published,
        String status, boolean truncated, @Nullable String error) {

    static final String COMPLETED = "COMPLETED";
    static final String CANCELLED = "CANCELLED";
    static final String FAILED = "FAILED";
    private static final Set<String> FINAL = Set.of(COMPLETED, CANCELLED, FAILED);

    /** Parses the publisher's job JSON; a {@link CliException} when it is not one. */
    static ReplayJob fromJson(String body) {
        JsonNode node;
        try {
            node = ReplayRequest.JSON.readTree(body);
        }
        catch (JacksonException ex) {
            throw new CliException("the publisher's answer is not a replay job: " + abbreviate(body));
        }
        if (node == null || !node.isObject() || !node.path("id").isString() || !node.path("status").isString()) {
            throw new CliException("the publisher's answer is not a replay job: " + abbreviate(body));
        }
        JsonNode error = node.path("error");
        return new ReplayJob(node.path("id").asString(), node.path("dryRun").asBoolean(false),
                node.path("from").asString(""), node.path("to").asString(""),
                node.path("scanned").asLong(0), node.path("matched").asLong(0), node.path("published").asLong(0),
                node.path("status").asString(), node.path("truncated").asBoolean(false),
                error.isString() ? error.asString() : null);
    }

    /**
     * The job as {@code tidings replay --json} prints it: every component under its name, {@code error}
     * {@code null} unless the job failed. Scripts read this shape, so a field is only ever added.
     */
    ObjectNode toJson() {
        ObjectNode node = ReplayRequest.JSON.createObjectNode();
        node.put("id", id);
        node.put("dryRun", dryRun);
        node.put("from", from);
        node.put("to", to);
        node.put("scanned", scanned);
        node.put("matched", matched);
        node.put("published", published);
        node.put("status", status);
        node.put("truncated", truncated);
        if (error != null) {
            node.put("error", error);
        }
        else {
            node.putNull("error");
        }
        return node;
    }

    /** Whether the job has stopped for good: completed, cancelled or failed. */
    boolean finished() {
        return FINAL.contains(status);
    }

    private static String abbreviate(String body) {
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
    }
}
