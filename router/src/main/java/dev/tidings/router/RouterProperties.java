package dev.tidings.router;

import java.nio.file.Path;
import java.time.Duration;

import dev.tidings.schema.NotificationRules;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the router service, bound from {@code tidings.router.*}; the notifications topic and
 * how it (and the routes' dead-letter topics) are created come from {@code tidings.topic.*}, as for
 * the publisher and the gateways.
 *
 * @param routesFile the routes file; checked at start, the service does not start with a mistake in it
 * @param maxPayloadBytes largest notification payload; keep it equal to the publisher's
 *     {@code tidings.publisher.max-payload-bytes}
 * @param pollTimeout longest one poll of a route's consumer waits
 * @param topicRefresh how often a route looks for new topics matching its {@code topic-pattern}
 */
@ConfigurationProperties("tidings.router")
public record RouterProperties(
        Path routesFile,
        @DefaultValue("" + NotificationRules.DEFAULT_MAX_PAYLOAD_BYTES) int maxPayloadBytes,
        @DefaultValue("500ms") Duration pollTimeout,
        @DefaultValue("5s") Duration topicRefresh) {
}
