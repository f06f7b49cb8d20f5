package dev.tidings.common.cursor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the cursor decoder, which reads what any client sends. A normal
 * test run replays only the stored inputs; {@code JAZZER_FUZZ=1 ./mvnw -pl common test
 * -Dtest=CursorCodecFuzzTest} fuzzes.
 */
class CursorCodecFuzzTest {

    private static final String SECRET = "fuzz-cursor-key-0123456789abcdef0123";
    private static final CursorCodec CODEC = CursorCodec.ofSecrets(List.of(SECRET));

    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "20m")
    void anyCursorTextDecodesToAValidCursorOrFailsWithAnInvalidCursorError(FuzzedDataProvider data) {
        // Text as sent; or raw bytes behind valid base64url; or bytes signed with the codec's key, so
        // the fuzzer gets past each check in turn to the version, partition count and offsets.
        String text = switch (data.consumeInt(0, 2)) {
            case 0 -> data.consumeRemainingAsString();
            case 1 -> base64(data.consumeRemainingAsBytes());
            default -> base64(signed(data.consumeRemainingAsBytes()));
        };
        Cursor cursor;
        try {
            cursor = CODEC.decode(text);
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

    /** The body as version 2 with the key id and MAC the codec's key gives it. */
    static byte[] signed(byte[] body) {
        try {
            byte[] key = SECRET.getBytes(StandardCharsets.UTF_8);
            byte[] unsigned = ByteBuffer.allocate(body.length + 2).put((byte) CursorCodec.VERSION).put(body)
                    .put(MessageDigest.getInstance("SHA-256").digest(key)[0]).array();
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] tag = Arrays.copyOf(mac.doFinal(unsigned), 16);
            return ByteBuffer.allocate(unsigned.length + tag.length).put(unsigned).put(tag).array();
        }
        catch (java.security.GeneralSecurityException ex) {
            throw new AssertionError(ex);
        }
    }

    private static Cursor reDecode(Cursor cursor) {
        try {
            return CODEC.decode(CODEC.encode(cursor));
        }
        catch (InvalidCursorException ex) {
            throw new AssertionError("a cursor the codec decoded does not decode once re-encoded", ex);
        }
    }
}
