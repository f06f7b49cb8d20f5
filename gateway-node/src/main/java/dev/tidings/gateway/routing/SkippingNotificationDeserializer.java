package dev.tidings.gateway.routing;

import java.time.Duration;

import dev.tidings.schema.Notification;
import dev.tidings.schema.NotificationCodec;
import dev.tidings.schema.NotificationDeserializer;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;

/**
 * The live consumer's value deserializer: a record that does not decode to a notification becomes
 * {@code null} (which the router skips, as it skips tombstones) and is counted as a {@link PoisonRecords poison record}.
 * Skipping here costs the failed decode and nothing else — no exception carried to the container
 * in a header, no error handler — so that a flood of poison records costs the live path next to
 * nothing. The dead-letter topic gets them from the dead-letter consumer instead.
 *
 * <p>Confined to the consumer thread that polls with it.
 */
public final class SkippingNotificationDeserializer implements Deserializer<Notification> {

    private final NotificationDeserializer delegate = new NotificationDeserializer();
    private final PoisonRecords poison;

    SkippingNotificationDeserializer(PoisonRecords poison) {
        this.poison = poison;
    }

    /**
     * A deserializer that counts what it skips into meters of its own: the node's warm-up reads the topic's
     * recent records with one, so that the live consumer's decoding is compiled before the node reports ready
     * while the node's poison count sees none of what the warm-up reads.
     */
    public static SkippingNotificationDeserializer detached(MeterRegistry meters) {
        return new SkippingNotificationDeserializer(new PoisonRecords(meters, Duration.ofMinutes(1)));
    }

    /** Whether the bytes lack the Avro single-object marker ({@code C3 01}), so cannot be a notification. */
    static boolean notSingleObjectEncoded(byte[] data) {
        return !NotificationCodec.hasSingleObjectMarker(data);
    }

    @Override
    public @Nullable Notification deserialize(String topic, byte @Nullable [] data) {
        if (data != null && notSingleObjectEncoded(data)) {
            // Not even Avro single-object encoding (the usual flood: another producer's format):
            // skipped without building the two exceptions a failed decode costs.
            poison.skip(topic, "not Avro single-object encoding");
            return null;
        }
        try {
            return delegate.deserialize(topic, data);
        }
        catch (RuntimeException ex) {
            poison.skip(topic, String.valueOf(ex.getMessage()));
            return null;
        }
    }
}
