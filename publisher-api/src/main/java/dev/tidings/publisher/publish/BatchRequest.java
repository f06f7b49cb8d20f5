package dev.tidings.publisher.publish;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /api/v1/notifications:batch}.
 *
 * @param notifications the notifications, each as in a single publish
 */
public record BatchRequest(@Nullable List<@Nullable PublishRequest> notifications) {
}
