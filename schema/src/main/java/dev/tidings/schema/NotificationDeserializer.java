package dev.tidings.schema;

import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;

/**
 * Kafka deserializer for {@link Notification} values. Throws {@link UndecodableRecordException}
 * for anything that is not a notification of a known schema version.
 */
public class NotificationDeserializer implements Deserializer<Notification> {

    @Override
    public @Nullable Notification deserialize(String topic, byte @Nullable [] data) {
        return data == null ? null : NotificationCodec.get().decode(data);
    }
}
