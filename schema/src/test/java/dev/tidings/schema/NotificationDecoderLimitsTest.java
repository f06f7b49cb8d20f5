package dev.tidings.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;

import org.apache.avro.SystemLimitException;
import org.junit.jupiter.api.Test;

class NotificationDecoderLimitsTest {

    /**
     * 78 bytes found by the Avro decoder fuzz target: a valid header and fingerprint, then an array
     * claiming hundreds of millions of items. Without limits Avro allocates them up front and
     * the gateway runs out of memory (with -Xmx below about 5.4 GB).
     */
    static final byte[] HUGE_ARRAY_COUNT = Base64.getDecoder().decode(
            "wwEjRz1ao6diVij//8MBI///Qf9HPVqjpw9iVgECAAAA/////woAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAP///w9d/5iYAAo=");

    @Test
    void aRecordClaimingAHugeCollectionIsRefusedBeforeAnythingIsAllocated() {
        assertThatThrownBy(() -> NotificationCodec.get().decode(HUGE_ARRAY_COUNT))
                .isInstanceOf(UndecodableRecordException.class)
                .hasRootCauseInstanceOf(SystemLimitException.class);
    }

    @Test
    void avroAllocationLimitsAreInForceOnceTheCodecIsLoaded() {
        NotificationCodec.get();

        assertThat(NotificationCodec.limitsInForce()).isTrue();
        assertThat(System.getProperty(SystemLimitException.MAX_STRING_LENGTH_PROPERTY))
                .isEqualTo(String.valueOf(NotificationCodec.MAX_FIELD_BYTES));
    }

    @Test
    void aNotificationWithTheMostTargetIdsThePublisherAllowsStillDecodes() {
        Notification wide = Notification.newBuilder(NotificationCodecTest.sample())
                .setTarget(new Target(TargetType.USER, java.util.Collections.nCopies(1000, "someone")))
                .build();

        assertThat(NotificationCodec.get().decode(NotificationCodec.get().encode(wide))).isEqualTo(wide);
    }
}
