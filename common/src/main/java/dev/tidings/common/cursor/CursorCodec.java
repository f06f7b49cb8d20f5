package dev.tidings.common.cursor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encodes cursors as compact base64url strings signed with a key the nodes share, and refuses on
 * decode any cursor it did not sign: a client can store a cursor and hand it to any node, but
 * cannot make one up (a crafted cursor at offset 0 would otherwise buy a scan of the whole topic).
 *
 * <p>Layout (version 2): {@code version:u8, topicId:16 bytes, partitions:varint, offsets:varint*,
 * keyId:u8, mac:16 bytes}; the MAC is HMAC-SHA256 over everything before it, truncated to 128 bits,
 * and {@code keyId} names the key that made it (the first byte of the key's SHA-256). The first key
 * signs; every key verifies, so keys rotate without invalidating the cursors clients hold: add the
 * new key first, and drop the old one once its cursors are older than anything a resume can serve.
 *
 * <p>Thread-safe: immutable; each thread keeps its own {@link Mac} per key.
 */
public final class CursorCodec {

    /** The only version written and read. */
    public static final int VERSION = 2;

    /** Upper bound on partitions, to refuse absurd cursors before allocating. */
    public static final int MAX_PARTITIONS = 10_000;

    /** Longest accepted cursor string. */
    public static final int MAX_LENGTH = 48 + MAX_PARTITIONS * 13;

    /** Shortest key accepted, in bytes. */
    public static final int MIN_KEY_BYTES = 32;

    private static final int MAC_BYTES = 16;
    private static final String HMAC = "HmacSHA256";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final List<Key> keys;

    /**
     * A codec that signs with the first key and verifies with any of them.
     *
     * @throws IllegalArgumentException when there is no key, or one shorter than {@value #MIN_KEY_BYTES} bytes
     */
    public CursorCodec(List<byte[]> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a cursor codec needs at least one key");
        }
        List<Key> list = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            if (key.length < MIN_KEY_BYTES) {
                throw new IllegalArgumentException("cursor keys must be at least " + MIN_KEY_BYTES + " bytes");
            }
            list.add(new Key(key));
        }
        this.keys = List.copyOf(list);
    }

    /** A codec whose keys are the UTF-8 bytes of each secret, the first signing. */
    public static CursorCodec ofSecrets(List<String> secrets) {
        return new CursorCodec(secrets.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList());
    }

    /**
     * A cursor key derived from another secret the nodes already share (HMAC-SHA256 of a fixed label
     * under it), so that a deployment with one shared token secret needs no second one.
     */
    public static byte[] deriveKey(String sharedSecret) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(sharedSecret.getBytes(StandardCharsets.UTF_8), HMAC));
            return mac.doFinal("tidings cursor key v2".getBytes(StandardCharsets.US_ASCII));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HmacSHA256 is not available", ex);
        }
    }

    /** The cursor as a signed base64url string without padding. */
    public String encode(Cursor cursor) {
        int partitions = cursor.partitions();
        // version, topic id, partition count and offsets as var-longs (at most 10 bytes each), key id, MAC
        byte[] out = new byte[1 + 16 + 10 + partitions * 10 + 1 + MAC_BYTES];
        int at = 0;
        out[at++] = (byte) VERSION;
        UUID id = cursor.topicId();
        at = writeLong(out, at, id.getMostSignificantBits());
        at = writeLong(out, at, id.getLeastSignificantBits());
        at = writeVarLong(out, at, partitions);
        for (int p = 0; p < partitions; p++) {
            at = writeVarLong(out, at, cursor.nextOffset(p));
        }
        Key signing = keys.get(0);
        out[at++] = signing.id;
        byte[] mac = signing.mac(out, at);
        System.arraycopy(mac, 0, out, at, MAC_BYTES);
        at += MAC_BYTES;
        return BASE64URL.encodeToString(Arrays.copyOf(out, at));
    }

    /**
     * Decodes a cursor string this codec (or one sharing a key) signed.
     *
     * @throws InvalidCursorException if it does not decode, or no key of this codec signed it
     */
    public Cursor decode(String text) throws InvalidCursorException {
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
        int version = bytes.length == 0 ? -1 : bytes[0] & 0xFF;
        if (version != VERSION) {
            throw new InvalidCursorException("unsupported cursor version " + version
                    + (version == 1 ? " (unsigned, from an earlier release): resume from the node's position" : ""));
        }
        if (bytes.length < 1 + 16 + 1 + 1 + MAC_BYTES) {
            throw new InvalidCursorException("cursor is truncated");
        }
        int signed = bytes.length - MAC_BYTES;
        if (!signedByOneOfUs(bytes, signed)) {
            throw new InvalidCursorException("cursor signature does not verify: not a cursor this deployment issued");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes, 1, signed - 2);
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

    private boolean signedByOneOfUs(byte[] bytes, int signed) {
        byte keyId = bytes[signed - 1];
        byte[] given = Arrays.copyOfRange(bytes, signed, bytes.length);
        for (Key key : keys) {
            if (key.id == keyId && MessageDigest.isEqual(Arrays.copyOf(key.mac(bytes, signed), MAC_BYTES), given)) {
                return true;
            }
        }
        return false;
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

    /** One key: its id byte and a {@link Mac} per thread. */
    private static final class Key {

        final byte id;
        private final ThreadLocal<Mac> mac;

        Key(byte[] secret) {
            byte[] copy = secret.clone();
            try {
                this.id = MessageDigest.getInstance("SHA-256").digest(copy)[0];
            }
            catch (GeneralSecurityException ex) {
                throw new IllegalStateException("SHA-256 is not available", ex);
            }
            this.mac = ThreadLocal.withInitial(() -> {
                try {
                    Mac m = Mac.getInstance(HMAC);
                    m.init(new SecretKeySpec(copy, HMAC));
                    return m;
                }
                catch (GeneralSecurityException ex) {
                    throw new IllegalStateException("HmacSHA256 is not available", ex);
                }
            });
        }

        byte[] mac(byte[] data, int length) {
            Mac m = mac.get();
            m.update(data, 0, length);
            return m.doFinal();
        }
    }
}
