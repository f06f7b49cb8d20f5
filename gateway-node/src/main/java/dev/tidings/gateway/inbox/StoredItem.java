package dev.tidings.gateway.inbox;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An item as the inbox keeps it: its position ({@link InboxKeys#position}), its {@code expiresAt}
 * ({@code -1}: never) and its {@code notification} frame as UTF-8 JSON. Stored as the expiry (8 bytes)
 * followed by the frame. An item read only to be counted and merged, not listed on the page asked for,
 * carries no frame ({@link #framed()} is false).
 */
record StoredItem(byte[] position, long expiresAt, byte[] frame) {

    private static final byte[] NO_FRAME = new byte[0];

    static byte[] encode(long expiresAt, byte[] frame) {
        return ByteBuffer.allocate(8 + frame.length).putLong(expiresAt).put(frame).array();
    }

    static StoredItem decode(byte[] position, byte[] value) {
        return new StoredItem(position, ByteBuffer.wrap(value).getLong(), Arrays.copyOfRange(value, 8, value.length));
    }

    /** The item without its frame: enough to merge, count and apply read marks. */
    static StoredItem decodeUnframed(byte[] position, byte[] value) {
        return new StoredItem(position, ByteBuffer.wrap(value).getLong(), NO_FRAME);
    }

    boolean framed() {
        return frame.length > 0;
    }

    long publishedAt() {
        return InboxKeys.publishedAtOf(position);
    }

    /** The notification id: the position after its 8-byte time. */
    String id() {
        return new String(position, 8, position.length - 8, StandardCharsets.UTF_8);
    }

    /** Whether the item is still listed at {@code now}: not expired, not older than {@code cutoff}. */
    boolean listedAt(long now, long cutoff) {
        return (expiresAt < 0 || expiresAt > now) && publishedAt() >= cutoff;
    }

    /** The item's frame with {@code "read"} added: the shape of an inbox item. */
    byte[] json(boolean read) {
        if (!framed()) {
            throw new IllegalStateException("item " + id() + " was read without its frame");
        }
        byte[] field = (read ? ",\"read\":true}" : ",\"read\":false}").getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(frame, frame.length - 1 + field.length);
        System.arraycopy(field, 0, out, frame.length - 1, field.length);
        return out;
    }
}
