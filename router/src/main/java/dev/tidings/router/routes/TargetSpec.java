package dev.tidings.router.routes;

import dev.tidings.schema.TargetType;
import org.jspecify.annotations.Nullable;

/**
 * Who a route's notifications go to.
 *
 * @param type broadcast, user or group
 * @param ids where the user or group ids come from (a string or an array of strings); {@code null}
 *     for broadcast
 */
public record TargetSpec(TargetType type, @Nullable Selector ids) {
}
