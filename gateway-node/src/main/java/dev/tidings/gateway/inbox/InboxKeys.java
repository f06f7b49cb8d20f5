package dev.tidings.gateway.inbox;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import org.apache.kafka.common.utils.Bytes;
import org.jspecify.annotations.Nullable;

/**
 * The byte layout of the inbox stores' keys. Every key starts with its address's prefix (the address's
 * routing key, length-prefixed), so one address's entries are one contiguous range:
 * <ul>
 *   <li>an item: prefix, then its <em>position</em>: {@code publishedAt} (8 bytes, big-endian) and its id, so
 *       the range runs oldest to newest and a replay of a record (same id, same {@code publishedAt}) lands on
 *       the same key;</li>
 *   <li>a read mark of a user: prefix, then {@code 'i'} and a notification id, {@code 'a'} (everything
 *       published up to the mark's time) or {@code 'e'} (erased up to the mark's time).</li>
 * </ul>
 * A page cursor is an item's position, base64url.
 */
final class InboxKeys {

    static final byte MARK_ID = 'i';
    static final byte MARK_ALL = 'a';
    static final byte MARK_ERASED = 'e';

    private static final Base64.Encoder CURSOR_OUT = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder CURSOR_IN = Base64.getUrlDecoder();

    private InboxKeys() {
    }

    /** The prefix of every key of the address (its routing key). */
    static byte[] prefix(String addressKey) {
        byte[] address = addressKey.getBytes(StandardCharsets.UTF_8);
        if (address.length > 0xFFFF) {
            throw new IllegalArgumentException("address key too long");
        }
        return ByteBuffer.allocate(2 + address.length).putShort((short) address.length).put(address).array();
    }

    /** An item's position: newer items have greater positions (unsigned byte order). */
    static byte[] position(long publishedAt, String id) {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + idBytes.length).putLong(publishedAt).put(idBytes).array();
    }

    static Bytes item(String addressKey, byte[] position) {
        return Bytes.wrap(concat(prefix(addressKey), position));
    }

    /** The position part of an item key. */
    static byte[] positionOf(Bytes itemKey) {
        byte[] key = itemKey.get();
        return Arrays.copyOfRange(key, prefixLengthOf(itemKey), key.length);
    }

    static long publishedAtOf(byte[] position) {
        return ByteBuffer.wrap(position).getLong();
    }

    static Bytes mark(String userKey, byte kind, String id) {
        byte[] rest = kind == MARK_ID ? id.getBytes(StandardCharsets.UTF_8) : new byte[0];
        return Bytes.wrap(concat(prefix(userKey), concat(new byte[] {kind}, rest)));
    }

    /** The length of the key's address prefix. */
    static int prefixLengthOf(Bytes key) {
        byte[] bytes = key.get();
        return 2 + (((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF));
    }

    /** The address routing key a key starts with. */
    static String addressOf(Bytes key) {
        return new String(key.get(), 2, prefixLengthOf(key) - 2, StandardCharsets.UTF_8);
    }

    /** The kind byte of a mark key whose prefix is {@code prefixLength} bytes. */
    static byte kindOf(Bytes markKey, int prefixLength) {
        return markKey.get()[prefixLength];
    }

    /** The notification id of an {@link #MARK_ID} mark key. */
    static String markedIdOf(Bytes markKey, int prefixLength) {
        byte[] key = markKey.get();
        return new String(key, prefixLength + 1, key.length - prefixLength - 1, StandardCharsets.UTF_8);
    }

    /** The first key after every key that starts with {@code prefix} and is at most {@code 0xFF} bytes longer. */
    static Bytes upperBound(byte[] prefix) {
        byte[] bound = Arrays.copyOf(prefix, prefix.length + 1024);
        Arrays.fill(bound, prefix.length, bound.length, (byte) 0xFF);
        return Bytes.wrap(bound);
    }

    static String cursor(byte[] position) {
        return CURSOR_OUT.encodeToString(position);
    }

    /** The position a cursor names; {@code null} for none; throws {@link IllegalArgumentException} for a bad one. */
    static byte @Nullable [] positionOfCursor(@Nullable String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        byte[] position = CURSOR_IN.decode(cursor);
        if (position.length < 8) {
            throw new IllegalArgumentException("not an inbox cursor");
        }
        return position;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static byte[] longBytes(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    static long longOf(byte[] bytes) {
        return ByteBuffer.wrap(bytes).getLong();
    }
}
