package dev.tidings.common.cursor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.CRC32C;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the cursor decoder, which reads what any client sends. A normal
 * test run replays only the stored inputs; {@code JAZZER_FUZZ=1 ./mvnw -pl common test
 * -Dtest=CursorCodecFuzzTest} fuzzes.
 */
class CursorCodecFuzzTest {

    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "20m")
    void anyCursorTextDecodesToAValidCursorOrFailsWithAnInvalidCursorError(FuzzedDataProvider data) {
        // Text as sent; or raw bytes behind valid base64url; or bytes with a valid checksum, so the
        // fuzzer gets past each check in turn to the version, partition count and offsets.
        String text = switch (data.consumeInt(0, 2)) {
            case 0 -> data.consumeRemainingAsString();
            case 1 -> base64(data.consumeRemainingAsBytes());
            default -> base64(withChecksum(data.consumeRemainingAsBytes()));
        };
        Cursor cursor;
        try {
            cursor = CursorCodec.decode(text);
        }
        catch (InvalidCursorException expected) {
            return;
        }
        assertThat(cursor.partitions()).isBetween(1, CursorCodec.MAX_PARTITIONS);
        for (int p = 0; p < cursor.partitions(); p++) {
            assertThat(cursor.nextOffset(p)).isNotNegative();
        }
        assertThat(reDecode(cursor)).as("a decoded cursor round-trips").isEqualTo(cursor);
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] withChecksum(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        return ByteBuffer.allocate(body.length + 4).put(body).putInt((int) crc.getValue()).array();
    }

    private static Cursor reDecode(Cursor cursor) {
        try {
            return CursorCodec.decode(CursorCodec.encode(cursor));
        }
        catch (InvalidCursorException ex) {
            throw new AssertionError("a cursor the codec decoded does not decode once re-encoded", ex);
        }
    }
}
