package dev.tidings.publisher.publish;

import java.time.Duration;
import java.util.List;

import dev.tidings.schema.TargetType;
import org.jspecify.annotations.Nullable;

/**
 * A publish request that passed validation.
 *
 * @param id client-chosen id, or {@code null} to generate one
 * @param targetType who receives it
 * @param targetIds distinct user or group ids (empty for broadcast)
 * @param event event name
 * @param payloadJson the payload object as compact JSON text
 * @param ttl time to live, or {@code null} for none
 */
record ValidNotification(@Nullable String id, TargetType targetType, List<String> targetIds, String event,
        String payloadJson, @Nullable Duration ttl) {

    /** Records it writes, and so the tokens it costs its caller: one per user or group id, one for a broadcast. */
    int records() {
        return targetType == TargetType.BROADCAST ? 1 : targetIds.size();
    }
}
