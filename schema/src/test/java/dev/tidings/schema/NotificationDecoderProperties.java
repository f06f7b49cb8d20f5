package dev.tidings.schema;

import static org.assertj.core.api.Assertions.assertThatCode;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class NotificationDecoderProperties {

    @Property(tries = 2000)
    void arbitraryBytesEitherDecodeOrFailAsUndecodable(@ForAll @Size(max = 256) byte[] bytes) {
        assertThatCode(() -> {
            try {
                NotificationCodec.get().decode(bytes);
            }
            catch (UndecodableRecordException expected) {
                // the only acceptable failure
            }
        }).doesNotThrowAnyException();
    }

    @Property(tries = 2000)
    void corruptedValidRecordsNeverEscapeAsOtherExceptions(@ForAll int position, @ForAll byte value) {
        byte[] bytes = NotificationCodec.get().encode(NotificationCodecTest.sample());
        bytes[Math.floorMod(position, bytes.length)] = value;
        assertThatCode(() -> {
            try {
                NotificationCodec.get().decode(bytes);
            }
            catch (UndecodableRecordException expected) {
                // the only acceptable failure
            }
        }).doesNotThrowAnyException();
    }
}
