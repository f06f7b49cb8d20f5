package dev.tidings.gateway.routing;

import java.time.Duration;

import dev.tidings.gateway.protocol.PoisonRecordException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records the node's live consumer skips because they cannot be delivered: undecodable bytes
 * ({@link SkippingNotificationDeserializer}) or a notification that decodes but cannot be framed
 * ({@link PoisonRecordException}). Each is counted ({@code tidings.gateway.poison.records}: every node
 * counts every one) and logged by sample, and costs nothing else on the live path: the dead-letter
 * topic gets it from the shared dead-letter group instead.
 *
 * <p>Thread-safe.
 */
public final class PoisonRecords {

    private static final Logger log = LoggerFactory.getLogger(PoisonRecords.class);

    private final Counter skipped;
    private final SampledLog sampled;

    PoisonRecords(MeterRegistry meters, Duration logInterval) {
        this.skipped = Counter.builder("tidings.gateway.poison.records")
                .description("Poison records this node's consumer skipped (every node counts every one)")
                .register(meters);
        this.sampled = new SampledLog(log, "Poison records skipped", logInterval);
    }

    /** Counts one skipped record; {@code reason} may be a constant: the line names the topic. */
    void skip(String topic, String reason) {
        skipped.increment();
        sampled.warn(topic, reason);
    }

    /** Logs the count of a flood that has stopped, once the log interval has passed. */
    void flush() {
        sampled.flush();
    }
}
