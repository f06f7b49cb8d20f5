package dev.tidings.router.engine;

import java.time.Duration;
import java.util.Map;

import dev.tidings.schema.TopicLayout;

/**
 * How a {@link Router} reaches Kafka and what it writes.
 *
 * @param clientConfig settings every Kafka client of the router gets ({@code bootstrap.servers},
 *     security); the router sets the consumer, producer and delivery settings itself
 * @param layout the notifications topic and how it and the dead-letter topics are created when missing
 * @param maxPayloadBytes largest payload a notification may carry (the publisher's {@code max-payload-bytes})
 * @param pollTimeout longest one poll of a route's consumer waits for records
 * @param topicRefresh how often a route looks for new topics matching it
 */
public record RouterSettings(Map<String, Object> clientConfig, TopicLayout layout, int maxPayloadBytes,
        Duration pollTimeout, Duration topicRefresh) {

    public RouterSettings {
        clientConfig = Map.copyOf(clientConfig);
    }
}
