package dev.tidings.cli.replay;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.tidings.cli.workspace.CliException;

/**
 * The body of {@code POST /api/v1/replays}, validated before it is sent.
 *
 * @param from first publish instant, inclusive
 * @param to last publish instant, exclusive
 * @param target only notifications to this target, or {@code null} for every target
 * @param event only notifications of this event type, or {@code null} for every event
 * @param dryRun count only; {@code false} re-publishes. Always sent: the publisher's default is a dry run
 * @param all the operator said {@code --all}: no target means every target (the publisher requires it)
 */
record ReplayRequest(Instant from, Instant to, @Nullable Target target, @Nullable String event, boolean dryRun,
        boolean all) {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** A request that does not say {@code all}. */
    ReplayRequest(Instant from, Instant to, @Nullable Target target, @Nullable String event, boolean dryRun) {
        this(from, to, target, event, dryRun, false);
    }

    /** The same filter, only counted. */
    ReplayRequest asDryRun() {
        return new ReplayRequest(from, to, target, event, true, all);
    }

    ReplayRequest {
        if (!to.isAfter(from)) {
            throw new CliException("--to (" + to + ") must be after --from (" + from + ")");
        }
        if (event != null && event.isBlank()) {
            throw new CliException("--event must not be blank");
        }
    }

    /**
     * Which notifications to replay by target: {@code broadcast}, or those to any of the listed
     * {@code user} or {@code group} ids.
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

    /** The request body, fields in the contract's order, target and event only when set. */
    String toJson() {
        ObjectNode body = JSON.createObjectNode();
        body.put("from", from.toString());
        body.put("to", to.toString());
        if (target != null) {
            ObjectNode targetNode = body.putObject("target");
            targetNode.put("type", target.type());
            if (!"broadcast".equals(target.type())) {
                ArrayNode ids = targetNode.putArray("ids");
                target.ids().forEach(ids::add);
            }
        }
        if (event != null) {
            body.put("event", event);
        }
        body.put("dryRun", dryRun);
        if (all) {
            body.put("all", true);
        }
        return JSON.writeValueAsString(body);
    }
}
