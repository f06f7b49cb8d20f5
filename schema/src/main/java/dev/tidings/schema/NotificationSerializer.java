package dev.tidings.schema;

import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * Kafka serializer for {@link Notification} values (Avro single-object encoding). Services may
 * use it to produce to {@link Topics#NOTIFICATIONS} directly instead of calling the publisher API.
 */
public class NotificationSerializer implements Serializer<Notification> {

    @Override
    public byte @Nullable [] serialize(String topic, @Nullable Notification data) {
        return data == null ? null : NotificationCodec.get().encode(data);
    }
}
