package dev.tidings.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SystemLimitException;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;

/**
 * Encodes and decodes {@link Notification}s in Avro single-object encoding: a two-byte marker,
 * the writer schema's 64-bit fingerprint, then the Avro binary body. The decoder knows every
 * schema version shipped in this jar (see {@link #HISTORY}), so records written by an older
 * producer decode into the current class without a schema registry.
 *
 * <p>Decoding reads bytes that anyone with write access to the topic chose, on every gateway
 * node at once, so Avro's allocation limits are set (unless the JVM was given its own) before
 * anything is decoded: without them a 100-byte record claiming a billion-item array makes Avro
 * allocate gigabytes, and every node runs out of memory on the same record.
 *
 * <p>Thread-safe: Avro's message encoder and decoder keep per-thread buffers.
 */
public final class NotificationCodec {

    /** Most items of one array or map in a record (a notification's target ids). */
    public static final int MAX_COLLECTION_ITEMS = 100_000;

    /** Longest string or bytes field of a record; more than any record Kafka accepts by default. */
    public static final int MAX_FIELD_BYTES = 16 * 1024 * 1024;

    static {
        // Read once by Avro's SystemLimitException when first used: set them before any decoding.
        limit(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, MAX_COLLECTION_ITEMS);
        limit(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, MAX_FIELD_BYTES);
        limit(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, MAX_FIELD_BYTES);
        if (!limitsInForce()) {
            System.getLogger(NotificationCodec.class.getName()).log(System.Logger.Level.WARNING,
                    "Avro read its allocation limits before Tidings could set them: start the JVM with -D"
                            + SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY + "=" + MAX_COLLECTION_ITEMS
                            + " (and the string and bytes limits) so that a crafted record cannot exhaust memory");
        }
    }

    /** Every schema version, oldest first, as resources of this jar. */
    public static final List<String> HISTORY = List.of(
            "/dev/tidings/schema/history/notification-v1.avsc",
            "/dev/tidings/schema/history/notification-v2.avsc");

    private static final NotificationCodec INSTANCE = new NotificationCodec();

    private final BinaryMessageEncoder<Notification> encoder =
            new BinaryMessageEncoder<>(SpecificData.get(), Notification.getClassSchema());
    private final BinaryMessageDecoder<Notification> decoder =
            new BinaryMessageDecoder<>(SpecificData.get(), Notification.getClassSchema());

    private NotificationCodec() {
        for (Schema writer : historicalSchemas()) {
            decoder.addSchema(writer);
        }
    }

    private static void limit(String property, int value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, String.valueOf(value));
        }
    }

    /**
     * Whether Avro enforces a collection limit of at most {@link #MAX_COLLECTION_ITEMS} (or the
     * JVM's own {@code org.apache.avro.limits.collectionItems.maxLength}); false only if Avro
     * read its limits before this class set them.
     */
    public static boolean limitsInForce() {
        String configured = System.getProperty(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY);
        long limit = configured == null ? MAX_COLLECTION_ITEMS : Long.parseLong(configured);
        try {
            SystemLimitException.checkMaxCollectionLength(limit + 1);
            return false;
        }
        catch (SystemLimitException expected) {
            return true;
        }
    }

    /** The shared codec. */
    public static NotificationCodec get() {
        return INSTANCE;
    }

    /** Every schema version shipped in this jar, oldest first. */
    public static List<Schema> historicalSchemas() {
        List<Schema> schemas = new ArrayList<>();
        for (String resource : HISTORY) {
            try (InputStream in = NotificationCodec.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("schema resource missing from the jar: " + resource);
                }
                schemas.add(new Schema.Parser().parse(in));
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return schemas;
    }

    /** Encodes one notification. */
    public byte[] encode(Notification notification) {
        try {
            ByteBuffer buffer = encoder.encode(notification);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        }
        catch (IOException | AvroRuntimeException ex) {
            throw new UndecodableRecordException("cannot encode notification: " + ex.getMessage(), ex);
        }
    }

    /**
     * Whether the bytes start with Avro's single-object marker ({@code C3 01}); bytes without it can
     * never decode, and a reader skipping them need not build the exceptions a failed {@link #decode} costs.
     */
    public static boolean hasSingleObjectMarker(byte[] bytes) {
        return bytes.length >= 2 && bytes[0] == (byte) 0xC3 && bytes[1] == (byte) 0x01;
    }

    /**
     * Decodes one notification.
     *
     * @throws UndecodableRecordException if the bytes are not a single-object encoded
     *     notification of a known schema version
     */
    public Notification decode(byte[] bytes) {
        try {
            return decoder.decode(bytes);
        }
        catch (MissingSchemaException ex) {
            throw new UndecodableRecordException("unknown schema fingerprint: " + ex.getMessage(), ex);
        }
        catch (BadHeaderException ex) {
            throw new UndecodableRecordException("not Avro single-object encoding: " + ex.getMessage(), ex);
        }
        catch (IOException | RuntimeException ex) {
            // Avro reports truncated or corrupt bodies with a variety of runtime exceptions
            // (EOFException, ArrayIndexOutOfBounds, NegativeArraySize, AvroRuntimeException...).
            throw new UndecodableRecordException("corrupt Avro body: " + ex, ex);
        }
    }
}
