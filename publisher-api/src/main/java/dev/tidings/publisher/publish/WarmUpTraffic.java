package dev.tidings.publisher.publish;

import java.util.Objects;

/**
 * The publisher's own warm-up traffic: requests of the caller {@code subject} are served through every step of
 * the publish path as any other caller's, and their records written to {@code topic} instead of the
 * notifications topic, where no gateway, inbox or route reads them.
 *
 * @param subject the warm-up's token {@code sub}, random per start, never a real caller's
 * @param topic where its records go
 */
public record WarmUpTraffic(String subject, String topic) {

    public WarmUpTraffic {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(topic, "topic");
    }

    /** Whether {@code caller} is the warm-up. */
    boolean isFrom(String caller) {
        return subject.equals(caller);
    }
}
