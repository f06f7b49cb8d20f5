package dev.tidings.publisher.warmup;

import java.time.Duration;

import dev.tidings.schema.Topics;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The publisher's warm-up before it reports ready, bound from {@code tidings.publisher.warm-up.*}.
 *
 * @param duration the longest the publisher serves its own requests on loopback before it reports ready
 *     ({@code TIDINGS_WARM_UP}); it ends sooner once the JIT compiler has settled on them. {@code 0} reports ready
 *     at once, and a fresh publisher then compiles its request path while its first callers wait
 * @param connections requests the warm-up keeps in flight, each on a connection of its own
 * @param topic where the warm-up's records are written; empty for {@link #DEFAULT_TOPIC} beside the default
 *     notifications topic, {@code <topic>.warm-up} beside any other
 */
@ConfigurationProperties("tidings.publisher.warm-up")
public record WarmUpProperties(@DefaultValue("30s") Duration duration, @DefaultValue("8") int connections,
        @DefaultValue("") String topic) {

    /** The warm-up's topic beside the default notifications topic. */
    public static final String DEFAULT_TOPIC = "tidings.publisher.warm-up";

    public WarmUpProperties {
        if (duration.isNegative() || duration.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("tidings.publisher.warm-up.duration must be between 0 and 5m");
        }
        if (connections < 1 || connections > 64) {
            throw new IllegalArgumentException("tidings.publisher.warm-up.connections must be between 1 and 64");
        }
    }

    /** The warm-up's topic beside {@code notificationsTopic}: the one configured, else as {@link #topic} says. */
    public String topicOf(String notificationsTopic) {
        if (!topic.isBlank()) {
            return topic;
        }
        return notificationsTopic.equals(Topics.NOTIFICATIONS) ? DEFAULT_TOPIC : notificationsTopic + ".warm-up";
    }
}
