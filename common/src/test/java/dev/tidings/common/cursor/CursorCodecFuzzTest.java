package dev.tidings.common.cursor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;

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
        // Half the time raw bytes behind valid base64url, so the fuzzer reaches past the decoding.
        String text = data.consumeBoolean()
                ? Base64.getUrlEncoder().withoutPadding().encodeToString(data.consumeRemainingAsBytes())
                : data.consumeRemainingAsString();
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

    private static Cursor reDecode(Cursor cursor) {
        try {
            return CursorCodec.decode(CursorCodec.encode(cursor));
        }
        catch (InvalidCursorException ex) {
            throw new AssertionError("a cursor the codec decoded does not decode once re-encoded", ex);
        }
    }
}
