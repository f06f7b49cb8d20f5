package dev.tidings.gateway.routing;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a gateway node writes poison records to the dead-letter topic, bound from
 * {@code tidings.gateway.dead-letter.*} ({@link DeadLetterWriter}).
 *
 * @param maxInFlight most dead-letter writes sent and not yet acknowledged by the broker
 * @param maxWait longest the dead-letter consumer waits for a write to be acknowledged when
 *     {@code maxInFlight} are; past it the record is dropped from the DLQ and counted
 * @param maxPerSecond most poison records one node writes to the DLQ per second; a flood beyond it
 *     waits in Kafka (the dead-letter consumer falls behind) rather than taking the CPU live
 *     delivery needs
 * @param logInterval at most one WARN line per interval for poison records, drops and failed
 *     writes, each with the count since the previous line
 */
@ConfigurationProperties("tidings.gateway.dead-letter")
public record DeadLetterProperties(
        @DefaultValue("1000") int maxInFlight,
        @DefaultValue("5s") Duration maxWait,
        @DefaultValue("10s") Duration logInterval,
        @DefaultValue("500") int maxPerSecond) {

    public DeadLetterProperties {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("tidings.gateway.dead-letter.max-in-flight must be at least 1");
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("tidings.gateway.dead-letter.max-wait must not be negative");
        }
        if (maxPerSecond < 1) {
            throw new IllegalArgumentException("tidings.gateway.dead-letter.max-per-second must be at least 1");
        }
        if (logInterval.isNegative()) {
            throw new IllegalArgumentException("tidings.gateway.dead-letter.log-interval must not be negative");
        }
    }
}
