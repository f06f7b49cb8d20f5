package dev.tidings.publisher.replay;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /api/v1/replays}.
 *
 * @param from first publish instant (inclusive), ISO-8601
 * @param to last publish instant (exclusive), ISO-8601; now when absent
 * @param target only notifications to this target type and (any of) these ids
 * @param event only notifications of this event name
 * @param dryRun count only (the default); false re-publishes
 * @param all must be {@code true} for a real replay without a target: it re-publishes to every client
 */
public record ReplayRequest(@Nullable Instant from, @Nullable Instant to, @Nullable TargetFilter target,
        @Nullable String event, @Nullable Boolean dryRun, @Nullable Boolean all) {

    /**
     * Target filter.
     *
     * @param type broadcast, user or group
     * @param ids ids, any of which matches (none for broadcast)
     */
    public record TargetFilter(@Nullable String type, @Nullable List<String> ids) {
    }
}
