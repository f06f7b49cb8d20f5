package dev.tidings.publisher.publish;

import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Random (version 4) UUIDs for notifications published without an id, from one
 * {@link SecureRandom} per thread.
 *
 * <p>{@link UUID#randomUUID()} draws from one JVM-wide {@code SecureRandom} behind a lock, which
 * every request thread would queue on under load (docs/tuning.md). A plain
 * {@code new SecureRandom()} would not help: on Linux it is {@code NativePRNG}, whose instances
 * share one static generator and its lock. Each thread gets its own DRBG (NIST SP 800-90A, the
 * JDK's), seeded from the platform's entropy: ids stay unpredictable and no thread waits for
 * another.
 *
 * <p>Thread-safe.
 */
final class NotificationIds {

    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(NotificationIds::generator);

    private NotificationIds() {
    }

    private static SecureRandom generator() {
        try {
            return SecureRandom.getInstance("DRBG");
        }
        catch (NoSuchAlgorithmException ex) {
            return new SecureRandom();
        }
    }

    /** A new random UUID, as {@link UUID#randomUUID()} makes it. */
    static UUID random() {
        byte[] bytes = new byte[16];
        RANDOM.get().nextBytes(bytes);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40); // version 4
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80); // IETF variant
        ByteBuffer big = ByteBuffer.wrap(bytes);
        return new UUID(big.getLong(), big.getLong());
    }
}
