package dev.tidings.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the Avro decoder that every gateway runs on every record of the
 * topic, whoever produced it. A normal test run replays only the stored inputs;
 * {@code JAZZER_FUZZ=1 ./mvnw -pl schema test -Dtest=NotificationDecoderFuzzTest} fuzzes.
 */
class NotificationDecoderFuzzTest {

    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "20m")
    void anyRecordValueDecodesOrFailsAsUndecodable(byte[] value) {
        Notification notification;
        try {
            notification = NotificationCodec.get().decode(value);
        }
        catch (UndecodableRecordException expected) {
            return;
        }
        assertThat(notification).isNotNull();
        assertThat(notification.getId()).isNotNull();
        assertThat(notification.getTarget()).isNotNull();
        assertThat(NotificationCodec.get().decode(NotificationCodec.get().encode(notification)))
                .as("a decoded record round-trips").isEqualTo(notification);
    }
}
