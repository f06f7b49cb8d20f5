package dev.tidings.common.cursor;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * Encodes cursors as compact base64url strings and validates them on decode.
 *
 * <p>Layout (version 1): {@code version:u8, topicId:16 bytes, partitions:varint,
 * offsets:varint*, crc32c:4 bytes} over everything before the checksum. The checksum turns a
 * mangled cursor into a clear error rather than a silent resume from the wrong place.
 *
 * <p>Thread-safe: stateless.
 */
public final class CursorCodec {

    /** The only version written; decode rejects others. */
    public static final int VERSION = 1;

    /** Upper bound on partitions, to refuse absurd cursors before allocating. */
    public static final int MAX_PARTITIONS = 10_000;

    /** Longest accepted cursor string. */
    public static final int MAX_LENGTH = 16 + MAX_PARTITIONS * 13;

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private CursorCodec() {
    }

    /** The cursor as a base64url string without padding. */
    public static String encode(Cursor cursor) {
        int partitions = cursor.partitions();
        // version, topic id, partition count and offsets as var-longs (at most 10 bytes each), CRC-32C
        byte[] out = new byte[1 + 16 + 10 + partitions * 10 + 4];
        int at = 0;
        out[at++] = (byte) VERSION;
        UUID id = cursor.topicId();
        at = writeLong(out, at, id.getMostSignificantBits());
        at = writeLong(out, at, id.getLeastSignificantBits());
        at = writeVarLong(out, at, partitions);
        for (int p = 0; p < partitions; p++) {
            at = writeVarLong(out, at, cursor.nextOffset(p));
        }
        CRC32C crc = new CRC32C();
        crc.update(out, 0, at);
        int sum = (int) crc.getValue();
        for (int shift = 24; shift >= 0; shift -= 8) {
            out[at++] = (byte) (sum >>> shift);
        }
        return BASE64URL.encodeToString(Arrays.copyOf(out, at));
    }

    /**
     * Decodes a cursor string.
     *
     * @throws InvalidCursorException if it is not a cursor this codec wrote
     */
    public static Cursor decode(String text) throws InvalidCursorException {
        if (text.isEmpty() || text.length() > MAX_LENGTH) {
            throw new InvalidCursorException("cursor is empty or too long");
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(text);
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidCursorException("cursor is not base64url");
        }
        if (bytes.length < 1 + 16 + 1 + 4) {
            throw new InvalidCursorException("cursor is truncated");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes, 0, bytes.length - 4);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        int expected = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
        if ((int) crc.getValue() != expected) {
            throw new InvalidCursorException("cursor checksum mismatch");
        }
        int version = buf.get() & 0xFF;
        if (version != VERSION) {
            throw new InvalidCursorException("unsupported cursor version " + version);
        }
        UUID topicId = new UUID(buf.getLong(), buf.getLong());
        long partitions = readVarLong(buf);
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new InvalidCursorException("cursor partition count out of range");
        }
        long[] offsets = new long[(int) partitions];
        for (int p = 0; p < offsets.length; p++) {
            offsets[p] = readVarLong(buf);
        }
        if (buf.hasRemaining()) {
            throw new InvalidCursorException("cursor has trailing bytes");
        }
        return new Cursor(topicId, offsets);
    }

    private static int writeLong(byte[] out, int at, long value) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out[at++] = (byte) (value >>> shift);
        }
        return at;
    }

    private static int writeVarLong(byte[] out, int at, long value) {
        while ((value & ~0x7FL) != 0) {
            out[at++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[at++] = (byte) value;
        return at;
    }

    private static long readVarLong(ByteBuffer buf) throws InvalidCursorException {
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            if (!buf.hasRemaining()) {
                throw new InvalidCursorException("cursor is truncated");
            }
            byte b = buf.get();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new InvalidCursorException("cursor offset too large");
    }
}
