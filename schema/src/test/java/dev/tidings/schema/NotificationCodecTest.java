package dev.tidings.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class NotificationCodecTest {

    static Notification sample() {
        return Notification.newBuilder()
                .setId("n-1")
                .setEvent("grade.published")
                .setTarget(new Target(TargetType.GROUP, List.of("Class:201901")))
                .setPayload("{\"grade\":\"A\"}")
                .setPublishedAt(Instant.parse("2026-11-25T10:15:30.123Z"))
                .setExpiresAt(Instant.parse("2026-11-25T11:15:30.123Z"))
                .setSource("grades-service")
                .build();
    }

    @Test
    void serializerAndDeserializerRoundTripANotification() {
        Notification original = sample();
        byte[] bytes = new NotificationSerializer().serialize(Topics.NOTIFICATIONS, original);

        Notification decoded = new NotificationDeserializer().deserialize(Topics.NOTIFICATIONS, bytes);

        assertThat(decoded).isEqualTo(original);
    }

    @Test
    void encodedRecordsStartWithTheSingleObjectMarkerAndFingerprint() {
        byte[] bytes = NotificationCodec.get().encode(sample());

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(bytes.length).isGreaterThan(10);
    }

    @Test
    void recordsWrittenWithTheFirstSchemaVersionDecodeIntoTheCurrentClass() throws IOException {
        Schema v1 = NotificationCodec.historicalSchemas().get(0);
        GenericRecord target = new GenericData.Record(v1.getField("target").schema());
        target.put("type", new GenericData.EnumSymbol(target.getSchema().getField("type").schema(), "USER"));
        target.put("ids", List.of("alice"));
        GenericRecord old = new GenericData.Record(v1);
        old.put("id", "old-1");
        old.put("event", "e");
        old.put("target", target);
        old.put("payload", "{}");
        old.put("publishedAt", 1_700_000_000_000L);
        old.put("expiresAt", null);
        old.put("source", "legacy");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old, out);

        Notification decoded = NotificationCodec.get().decode(out.toByteArray());

        assertThat(decoded.getId()).isEqualTo("old-1");
        assertThat(decoded.getTarget().getIds()).containsExactly("alice");
        assertThat(decoded.getReplayOf()).isNull();
    }

    @Test
    void garbageIsRejectedAsUndecodable() {
        assertThatThrownBy(() -> NotificationCodec.get().decode("not avro".getBytes()))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessageContaining("single-object");
    }

    @Test
    void anUnknownSchemaFingerprintIsRejectedAsUndecodable() {
        byte[] bytes = NotificationCodec.get().encode(sample());
        bytes[2] ^= 0x5A;

        assertThatThrownBy(() -> NotificationCodec.get().decode(bytes))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessageContaining("unknown schema fingerprint");
    }

    @Test
    void aTruncatedBodyIsRejectedAsUndecodable() {
        byte[] bytes = NotificationCodec.get().encode(sample());
        byte[] truncated = java.util.Arrays.copyOf(bytes, 14);

        assertThatThrownBy(() -> NotificationCodec.get().decode(truncated))
                .isInstanceOf(UndecodableRecordException.class);
    }
}
